// Reports `${...}` in a session id: the id is plain text sent as written, so a placeholder there
// would reach the terminal literally (`coffee-${order}`) instead of the value the author meant.
import { type Flow, walkSteps } from "../ast.js";
import type { Report } from "./report.js";

/** `session ... id "coffee-${order}"`: session ids do not interpolate. */
export function reportSessionIdInterpolation(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind !== "session" || !step.id || typeof step.id.value !== "string") return;
    if (!/\$\{[^}]*\}/.test(step.id.value)) return;
    report.error(
      "session-id-interpolation",
      `session id \`${step.id.value}\` contains \`\${...}\`, but session ids are plain text and do not interpolate`,
      step.id.span,
      {
        hint: 'write the id out in full (`id "coffee-12"`), or leave `id` out and let termflow make a unique one',
      },
    );
  });
}
