// Reports amounts (and tips) with more decimals than their currency has minor units (`12.345 EUR`).
import { type Amount, type Flow, walkSteps } from "../ast.js";
import { minorUnitDigits, writtenDecimals } from "../money.js";
import type { Report } from "./report.js";

export function reportAmountPrecision(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind !== "pay") return;
    const currency = step.currency?.code;
    const digits = typeof currency === "string" ? minorUnitDigits(currency) : undefined;
    // Unknown currencies are reported by report-unknown-currency; their precision is unknowable.
    if (digits === undefined) return;
    check(step.amount, "amount", currency, digits, report);
    check(step.tip, "tip", currency, digits, report);
  });
}

function check(
  amount: Amount | undefined,
  role: "amount" | "tip",
  currency: string,
  digits: number,
  report: Report,
): void {
  if (typeof amount?.text !== "string") return;
  const decimals = writtenDecimals(amount.text);
  // Malformed amount text is the front end's `bad-amount`.
  if (decimals === undefined || decimals <= digits) return;
  const units = digits === 0 ? "no minor units" : `${digits} minor unit${digits === 1 ? "" : "s"}`;
  const message = `${role} \`${amount.text}\` has ${decimals} decimal${decimals === 1 ? "" : "s"}, but ${currency} has ${units}`;
  const trimmed = withoutExtraZeros(amount.text, digits);
  const context = role === "tip" ? `the tip is in the payment's currency: ` : "";
  const rule =
    digits === 0
      ? `${currency} amounts are whole numbers`
      : `${currency} amounts have at most ${digits} decimal${digits === 1 ? "" : "s"}`;
  report.error("amount-precision", message, amount.span, {
    hint: `${context}${rule}${trimmed === undefined ? "" : `: write \`${trimmed}\``}`,
  });
}

/** `12.500` with 2 digits -> `12.50`; undefined when the extra decimals are not all zeros. */
function withoutExtraZeros(text: string, digits: number): string | undefined {
  const [whole, fraction = ""] = text.split(".");
  if (!/^0*$/.test(fraction.slice(digits))) return undefined;
  return digits === 0 ? whole : `${whole}.${fraction.slice(0, digits)}`;
}
