// Warns about a session with no steps, or with no request that could show a waiting screen (a
// called flow's requests count: they are sent inside the session).
import type { Flow, Step } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import type { CallResolver } from "./capture-fields.js";
import type { Report, StepVisitor } from "./report.js";
import { stepsRun } from "./walk.js";

export function reportEmptySession(_flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  return {
    step: (step) => {
      if (step.kind !== "session") return;
      const steps = step.steps;
      if (steps.length === 0) {
        report.warning("empty-session", "session has no steps", step.span, {
          hint: "add steps to the session, or remove it",
        });
      } else if (!steps.some((s) => sendsRequest(s, analysis.calledFlow))) {
        report.warning("empty-session", "session sends no request to the terminal", step.span, {
          hint: "waiting screens follow `input`, `display` and `pay` steps: add one, or remove the session",
        });
      }
    },
  };
}

/** True when the step, or a step it runs, sends (or may send) an Input, Display or Payment request. */
function sendsRequest(step: Step, calls: CallResolver | undefined): boolean {
  if (step.kind === "input" || step.kind === "display" || step.kind === "pay") return true;
  const run = stepsRun(step, calls);
  return run === undefined || run.steps.some((s) => sendsRequest(s, run.calls));
}
