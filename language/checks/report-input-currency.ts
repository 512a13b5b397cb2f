// Reports an `input amount` whose answer has no currency: no `in EUR`, and the flow's amounts are in
// no currency or in several, so the answer could not be read as an amount.
import type { Flow } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import type { Report, StepVisitor } from "./report.js";

export function reportInputCurrency(_flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  return {
    step: (step) => {
      if (step.kind !== "input" || step.input !== "amount" || step.currency) return;
      if (analysis.inputCurrency(step) !== undefined) return;
      report.error("amount-currency-unknown", "`input amount` needs the currency of its answer", step.span, {
        hint: 'say which after the prompt: `input amount "Top up by how much?" in EUR`',
      });
    },
  };
}
