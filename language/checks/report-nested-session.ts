// Reports a session inside another session (directly or inside an `if`): a terminal holds one at a time.
import { type Flow, walkSteps } from "../ast.js";
import type { Report } from "./report.js";

export function reportNestedSession(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step, sessions) => {
    if (step.kind !== "session" || sessions.length === 0) return;
    const outer = sessions[sessions.length - 1];
    report.error("nested-session", "a session cannot start inside another session", step.span, {
      hint: "a terminal holds one session at a time: end the outer session before starting another",
      related: [{ message: "the outer session starts here", span: outer.span }],
    });
  });
}
