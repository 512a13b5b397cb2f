// Reports a payment of zero and amounts too large to hold exactly in minor units.
import { type Amount, type Flow, walkSteps } from "../ast.js";
import { AMOUNT_PATTERN, formatMinorUnits, minorUnitDigits } from "../money.js";
import type { Report } from "./report.js";

export function reportAmountRange(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind !== "pay") return;
    const currency = typeof step.currency?.code === "string" ? step.currency.code : "";
    // An unknown currency is reported elsewhere; assume 2 decimals to still catch absurd amounts.
    const digits = minorUnitDigits(currency) ?? 2;
    check(step.amount, "amount", currency, digits, true, report);
    check(step.tip, "tip", currency, digits, false, report);
  });
}

function check(
  amount: Amount | undefined,
  role: "amount" | "tip",
  currency: string,
  digits: number,
  zeroIsError: boolean,
  report: Report,
): void {
  const m = typeof amount?.text === "string" ? AMOUNT_PATTERN.exec(amount.text) : null;
  if (!amount || !m) return;
  const fraction = m[2] ?? "";
  // Exact integer arithmetic: the point of minor units is that no float ever touches money.
  const scaled = BigInt(m[1] + fraction.padEnd(Math.max(digits, fraction.length), "0"));
  if (zeroIsError && scaled === 0n) {
    report.error("amount-out-of-range", `cannot pay \`${amount.text}\`: the amount is zero`, amount.span, {
      hint: "a payment needs an amount above zero",
    });
  } else if (fraction.length <= digits && scaled > BigInt(Number.MAX_SAFE_INTEGER)) {
    const largest = formatMinorUnits(
      Number.MAX_SAFE_INTEGER,
      minorUnitDigits(currency) === undefined ? "EUR" : currency,
    );
    report.error("amount-out-of-range", `${role} \`${amount.text}\` is too large`, amount.span, {
      hint: `the largest amount termflow can hold exactly is ${largest}${currency ? ` ${currency}` : ""}`,
    });
  }
}
