// Reports a refund, status request or receipt that names a capture other than a payment's.
import type { Flow, Reference } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import type { Report, StepVisitor } from "./report.js";

export function reportPaymentReferences(_flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  return {
    step: (step) => {
      let ref: Reference | undefined;
      let what = "";
      if (step.kind === "refund") [ref, what] = [step.payment, "refund"];
      else if (step.kind === "status") [ref, what] = [step.payment, "ask the status of"];
      else if (step.kind === "print" && step.content.kind === "receipt")
        [ref, what] = [step.content.payment, "print the receipt of"];
      const name = ref?.name?.name;
      if (!ref || !name) return;
      // An unknown name is the name pass's `undefined-name`.
      const other = (analysis.bindings.get(name) ?? []).find(
        (b) => !("kind" in b.declaration) || b.declaration.kind !== "pay",
      );
      if (!other) return;
      const hint =
        step.kind === "refund"
          ? `a refund names a payment captured with \`pay ... as ${name}\`; to refund an amount without a payment, write \`refund 5.00 EUR\``
          : `name a payment captured with \`pay ... as ${name}\``;
      report.error("not-a-payment", `cannot ${what} \`${name}\`: it is ${other.description}, not a payment`, ref.span, {
        hint,
        related: [{ message: `\`${name}\` is declared here`, span: other.span }],
      });
    },
  };
}
