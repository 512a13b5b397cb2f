// Warns about a session whose waiting screens follow no step inside it: `session waiting 5s on
// display < pay ... >` covers display requests, but the session sends only a payment.
import { REQUEST_TYPES, type Flow, type RequestType, type Step, type WaitingScreen } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import type { CallResolver } from "./capture-fields.js";
import type { Report, StepVisitor } from "./report.js";
import { stepsRun } from "./walk.js";

const REQUEST_OF: Partial<Record<Step["kind"], RequestType>> = { input: "input", display: "display", pay: "payment" };

export function reportUnmatchedWaiting(_flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  return {
    step: (step) => {
      if (step.kind !== "session") return;
      // A session that covers every type (`session waiting 5s`) covers whatever it sends.
      if (coversEveryType(step.waiting)) return;
      const covered = new Set(step.waiting.map((w) => w.request));
      const sent = new Set<RequestType>();
      // A called flow's requests are sent inside the session; one the checks cannot see into may send any.
      let unknown = false;
      const visit = (s: Step, calls: CallResolver | undefined): void => {
        const request = REQUEST_OF[s.kind];
        if (request) sent.add(request);
        // A session inside is an error of its own; its requests are its own.
        if (s.kind === "session") return;
        const run = stepsRun(s, calls);
        if (!run) unknown = true;
        else for (const child of run.steps) visit(child, run.calls);
      };
      for (const s of step.steps) visit(s, analysis.calledFlow);
      // No waiting screen at all (a syntax error) or no request at all (empty-session) say it better.
      if (unknown || covered.size === 0 || sent.size === 0) return;
      if ([...covered].some((t) => sent.has(t))) return;
      const list = (types: Iterable<RequestType>): string =>
        REQUEST_TYPES.filter((t) => [...types].includes(t)).join(", ");
      report.warning(
        "waiting-matches-no-step",
        `the session's waiting screens (${list(covered)}) follow no step inside it`,
        step.span,
        {
          hint: `the session sends ${list(sent)} requests: cover them with \`on ${list(sent)}\`, or leave \`on\` out to cover every type`,
        },
      );
    },
  };
}

function coversEveryType(screens: readonly WaitingScreen[]): boolean {
  for (const type of REQUEST_TYPES) {
    let covered = false;
    for (const screen of screens) covered ||= screen.request === type;
    if (!covered) return false;
  }
  return true;
}
