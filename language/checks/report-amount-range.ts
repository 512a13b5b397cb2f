// Reports amounts that cannot be paid or held: a payment of zero or less and a negative tip where
// the amount is known before the run, and amounts too large to hold exactly in minor units.
import type { DiagnosticCode } from "../diagnostic.js";
import type { Flow, MoneyLiteral } from "../ast.js";
import { AMOUNT_PATTERN, largestHint, minorUnitDigits } from "../money.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report, type StepVisitor } from "./report.js";
import { amountsVisitor } from "./walk.js";

const CODES = new Set<DiagnosticCode>(["amount-out-of-range"]);

export function reportAmountRange(flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  return amountsVisitor(
    flow,
    (literal) => checkSize(literal, report),
    () => reportProblems(analysis, report, CODES),
  );
}

function checkSize(literal: MoneyLiteral, report: Report): void {
  const text = literal.amount?.text;
  const m = typeof text === "string" ? AMOUNT_PATTERN.exec(text) : null;
  if (!m) return;
  const currency = typeof literal.currency?.code === "string" ? literal.currency.code : "";
  // An unknown currency is reported elsewhere; assume 2 decimals to still catch absurd amounts.
  const digits = minorUnitDigits(currency) ?? 2;
  const fraction = m[2] ?? "";
  // Exact integer arithmetic: the point of minor units is that no float ever touches money.
  const scaled = BigInt(m[1] + fraction.padEnd(Math.max(digits, fraction.length), "0"));
  if (fraction.length <= digits && scaled > BigInt(Number.MAX_SAFE_INTEGER)) {
    report.error("amount-out-of-range", `amount \`${text} ${currency}\` is too large`, literal.amount.span, {
      hint: largestHint(currency),
    });
  }
}
