// Reports a session inside another session (directly or inside an `if`): a terminal holds one at a time.
import type { Flow, SessionStep } from "../ast.js";
import type { RelatedInformation } from "../diagnostic.js";
import type { Report, StepVisitor } from "./report.js";

export function reportNestedSession(_flow: Flow, report: Report): StepVisitor {
  return {
    step: (step, sessions) => {
      if (step.kind !== "session" || sessions.length === 0) return;
      const { message, hint, related } = nestedSession(sessions[sessions.length - 1]);
      report.error("nested-session", message, step.span, { hint, related });
    },
  };
}

/** The words of `nested-session`, also for a session in a flow called inside a session (language/calls/). */
export function nestedSession(outer: SessionStep): { message: string; hint: string; related: RelatedInformation[] } {
  return {
    message: "a session cannot start inside another session",
    hint: "a terminal holds one session at a time: end the outer session before starting another",
    related: [{ message: "the outer session starts here", span: outer.span }],
  };
}
