// Reports two sessions with the same `id`: each session needs its own Session.Id on the wire.
import type { Flow, Template } from "../ast.js";
import type { Report, StepVisitor } from "./report.js";

export function reportDuplicateSessionId(_flow: Flow, report: Report): StepVisitor {
  const first = new Map<string, Template>();
  return {
    step: (step) => {
      if (step.kind !== "session" || !step.id || typeof step.id.value !== "string") return;
      // An id that interpolates (`"table-${table}"`) may differ at run time.
      if (step.id.parts.some((p) => p.kind === "interpolation")) return;
      const earlier = first.get(step.id.value);
      if (!earlier) {
        first.set(step.id.value, step.id);
        return;
      }
      report.error("duplicate-session-id", `session id \`${step.id.value}\` is used twice`, step.id.span, {
        hint: "give each session its own id, or leave `id` out and let termflow make one",
        related: [{ message: "first used here", span: earlier.span }],
      });
    },
  };
}
