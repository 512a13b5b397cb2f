// Warns about a session with no steps, or with no request that could show a waiting screen.
import { type Flow, type Step, walkSteps } from "../ast.js";
import type { Report } from "./report.js";
import { childSteps } from "./walk.js";

export function reportEmptySession(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind !== "session") return;
    const steps = step.steps;
    if (steps.length === 0) {
      report.warning("empty-session", "session has no steps", step.span, {
        hint: "add steps to the session, or remove it",
      });
    } else if (!steps.some(sendsRequest)) {
      report.warning("empty-session", "session sends no request to the terminal", step.span, {
        hint: "waiting screens follow `input`, `display` and `pay` steps: add one, or remove the session",
      });
    }
  });
}

/** True when the step, or a step inside it, sends an Input, Display or Payment request. */
function sendsRequest(step: Step): boolean {
  if (step.kind === "input" || step.kind === "display" || step.kind === "pay") return true;
  return childSteps(step).some(sendsRequest);
}
