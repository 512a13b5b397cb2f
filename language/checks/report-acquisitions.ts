/**
 * Reports card acquisitions used wrongly: a payment `with` something that is not an acquisition, an
 * acquisition no step reads or charges, and one charged twice (two payments on one path, or a payment
 * in a loop the acquisition is not in). An acquisition is continued by at most one payment.
 */
import { handlersOf, type Flow, type PayStep, type Step } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import type { Report, StepVisitor } from "./report.js";
import { childSteps, referencesOfStep } from "./walk.js";

/** Where a step sits: the steps around it, outermost first, and for `if`s which branch. */
interface Placed {
  step: Step;
  around: readonly { step: Step; branch: "then" | "else" | "body" }[];
}

export function reportAcquisitions(flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  // Most flows read no card: only one that does is walked again for where its steps sit.
  let acquires = false;
  return {
    step: (step) => {
      if (step.kind === "acquire" || (step.kind === "pay" && step.with)) acquires = true;
    },
    end: () => {
      if (acquires) reportPlaced(flow, report, analysis);
    },
  };
}

function reportPlaced(flow: Flow, report: Report, analysis: FlowAnalysis): void {
  const placed: Placed[] = [];
  const visit = (steps: readonly Step[], around: Placed["around"]): void => {
    for (const step of steps) {
      placed.push({ step, around });
      if (step.kind === "if") {
        visit(step.then, [...around, { step, branch: "then" }]);
        if (step.else) visit(step.else, [...around, { step, branch: "else" }]);
      } else visit(childSteps(step), [...around, { step, branch: "body" }]);
    }
  };
  visit(flow.steps, []);

  const used = new Set<string>();
  for (const { step } of placed) for (const ref of referencesOfStep(step)) used.add(ref.name?.name);

  for (const { step } of placed) {
    if (step.kind !== "pay" || !step.with) continue;
    const name = step.with.name.name;
    const other = (analysis.bindings.get(name) ?? []).find(
      (b) => !("kind" in b.declaration) || b.declaration.kind !== "acquire",
    );
    if (!other) continue;
    report.error(
      "not-an-acquisition",
      `cannot pay with \`${name}\`: it is ${other.description}, not a card acquisition`,
      step.with.span,
      {
        hint: `read the card first with \`acquire card as ${name}\`, or leave \`with ${name}\` out`,
        related: [{ message: `\`${name}\` is declared here`, span: other.span }],
      },
    );
  }

  for (const acquired of placed) {
    const step = acquired.step;
    if (step.kind !== "acquire") continue;
    const name = step.as?.name;
    if (!name || !used.has(name)) {
      report.error("acquisition-unused", "this card acquisition is never charged nor read", step.span, {
        hint: name
          ? `continue it with \`pay ... with ${name}\` or read \`${name}.brand\`; ` +
            "an acquisition no payment continues is released when the flow (or its session) ends"
          : "capture the card (`as card`) and continue it with `pay ... with card`, or remove the step",
      });
      continue;
    }
    const payments = placed.filter(
      (p): p is Placed & { step: PayStep } => p.step.kind === "pay" && p.step.with?.name.name === name,
    );
    for (const payment of payments) {
      const retry = handlersOf(payment.step).find((h) => h.retry)?.retry;
      if (!retry) continue;
      report.error(
        "acquisition-charged-twice",
        `card acquisition \`${name}\` would be charged more than once`,
        retry.span,
        {
          hint:
            "a retry would continue the same card acquisition again, and one acquisition is continued by one payment: " +
            "acquire the card again for another payment",
          related: [{ message: "the payment that continues it", span: payment.step.with!.span }],
        },
      );
    }
    for (const [i, payment] of payments.entries()) {
      const loop = payment.around.find(
        (a) => (a.step.kind === "for" || a.step.kind === "repeat") && !acquired.around.some((b) => b.step === a.step),
      );
      const earlier = payments.slice(0, i).find((p) => !exclusive(p, payment));
      if (!loop && !earlier) continue;
      report.error(
        "acquisition-charged-twice",
        `card acquisition \`${name}\` would be charged more than once`,
        payment.step.with!.span,
        {
          hint: loop
            ? "this payment runs on every turn of the loop, but the card was read once: acquire the card inside the loop"
            : "one acquisition is continued by one payment: acquire the card again for another payment",
          related: [
            loop
              ? { message: "the loop", span: loop.step.span }
              : { message: "it is charged here first", span: earlier!.step.span },
          ],
        },
      );
    }
  }
}

/** Two steps in different branches of one `if`: at most one of them runs. */
function exclusive(a: Placed, b: Placed): boolean {
  return a.around.some((x) => b.around.some((y) => x.step === y.step && x.step.kind === "if" && x.branch !== y.branch));
}
