// Reports amounts with more decimals than their currency has minor units (`12.345 EUR`), wherever
// an amount is written: in a payment, a tip, an expression or a param's default.
import type { Flow, MoneyLiteral, Step } from "../ast.js";
import { minorUnitDigits, writtenDecimals } from "../money.js";
import type { Report, StepVisitor } from "./report.js";
import { amountsVisitor } from "./walk.js";

export function reportAmountPrecision(flow: Flow, report: Report): StepVisitor {
  return amountsVisitor(flow, (literal, step) => check(literal, step, report));
}

function check(literal: MoneyLiteral, step: Step | undefined, report: Report): void {
  const currency = literal.currency?.code;
  const digits = typeof currency === "string" ? minorUnitDigits(currency) : undefined;
  // Unknown currencies are reported by report-unknown-currency; their precision is unknowable.
  if (digits === undefined || typeof literal.amount?.text !== "string") return;
  const text = literal.amount.text;
  const decimals = writtenDecimals(text);
  // Malformed amount text is the front end's `bad-amount`.
  if (decimals === undefined || decimals <= digits) return;
  const role = step?.kind === "pay" && step.tip === literal ? "tip" : "amount";
  const units = digits === 0 ? "no minor units" : `${digits} minor unit${digits === 1 ? "" : "s"}`;
  const message = `${role} \`${text} ${currency}\` has ${decimals} decimal${decimals === 1 ? "" : "s"}, but ${currency} has ${units}`;
  const trimmed = withoutExtraZeros(text, digits);
  const rule =
    digits === 0
      ? `${currency} amounts are whole numbers`
      : `${currency} amounts have at most ${digits} decimal${digits === 1 ? "" : "s"}`;
  report.error("amount-precision", message, literal.amount.span, {
    hint: `${rule}${trimmed === undefined ? "" : `: write \`${trimmed} ${currency}\``}`,
  });
}

/** `12.500` with 2 digits -> `12.50`; undefined when the extra decimals are not all zeros. */
function withoutExtraZeros(text: string, digits: number): string | undefined {
  const [whole, fraction = ""] = text.split(".");
  if (!/^0*$/.test(fraction.slice(digits))) return undefined;
  return digits === 0 ? whole : `${whole}.${fraction.slice(0, digits)}`;
}
