/**
 * Reports failure handlers that can never run or could do harm: an outcome the step cannot end
 * with (`on declined` on a display, `on timeout` on a payment without `within`), one an earlier
 * handler already takes, `use` where there is no input's answer to give, a `use` value of the wrong
 * type, and a retry of a payment after a timeout (a payment is tried again only after a known
 * decline or failure: its outcome is settled by TransactionStatus first, and it is never sent twice).
 */
import { ANY_FAILURE, handlersOf, type Flow, type Handler, type Step } from "../ast.js";
import { outcomesOf } from "../handlers.js";
import { describeType, sameType } from "../values/types.js";
import type { FlowAnalysis } from "./analysis.js";
import { captureSpecOf } from "./capture-fields.js";
import type { Report, StepVisitor } from "./report.js";

export function reportHandlers(_flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  return { step: (step) => visitStep(step, report, analysis) };
}

function visitStep(step: Step, report: Report, analysis: FlowAnalysis): void {
  const handlers = handlersOf(step);
  if (handlers.length === 0) return;
  const possible = outcomesOf(step);
  const taken = new Map<string, Handler>();
  for (const handler of handlers) {
    reportNeverRuns(step, handler, possible, taken, report);
    reportUse(step, handler, report, analysis);
    reportRetry(step, handler, taken, report);
    const name = handler.outcome.name;
    if (name === ANY_FAILURE) {
      for (const o of possible) if (!taken.has(o)) taken.set(o, handler);
    }
    if (!taken.has(name)) taken.set(name, handler);
  }
}

/** An outcome the step cannot have, or one a handler above already takes. */
function reportNeverRuns(
  step: Step,
  handler: Handler,
  possible: readonly string[],
  taken: ReadonlyMap<string, Handler>,
  report: Report,
): void {
  const name = handler.outcome.name;
  const span = handler.outcome.span;
  if (name === ANY_FAILURE) {
    const first = possible.find((o) => !taken.has(o));
    if (first !== undefined) return;
    const earlier = taken.get(ANY_FAILURE);
    report.error("handler-never-runs", "this handler never runs", span, {
      hint: earlier
        ? "the `on failure` above takes every failure: remove this one"
        : `the handlers above take every way \`${step.kind}\` can fail (${possible.map((o) => `\`${o}\``).join(", ")}): remove it`,
      ...(earlier ? { related: [{ message: "this handler takes it first", span: earlier.outcome.span }] } : {}),
    });
    return;
  }
  if (!possible.includes(name)) {
    const what =
      name === "timeout"
        ? step.kind === "pay" || step.kind === "acquire"
          ? `\`${step.kind}\` without \`within\` never times out`
          : `\`${step.kind}\` never times out`
        : `\`${step.kind}\` is never ${name}`;
    report.error("handler-never-runs", what, span, { hint: impossibleHint(step, name) });
    return;
  }
  const earlier = taken.get(name);
  if (earlier) {
    report.error("handler-never-runs", "this handler never runs", span, {
      hint:
        earlier.outcome.name === ANY_FAILURE
          ? "the `on failure` above takes every failure: put the specific handlers before it"
          : `the \`on ${name}\` above takes it: keep one`,
      related: [{ message: "this handler takes it first", span: earlier.outcome.span }],
    });
  }
}

function impossibleHint(step: Step, outcome: string): string {
  if (outcome === "timeout" && (step.kind === "pay" || step.kind === "acquire")) {
    return step.kind === "pay"
      ? "a payment times out only when the POS gives it a time limit (`within 90s`): add one, or remove the handler; " +
          "a lost answer is settled by TransactionStatus, not handled"
      : "an acquisition times out only when it has a time limit (`within 30s`): add one, or remove the handler";
  }
  const ways = outcomesOf(step);
  const any = ways.length > 1 ? " or `failure` (any of them)" : "";
  return `\`${step.kind}\` can fail as ${ways.map((o) => `\`${o}\``).join(", ")}${any}: handle one of those, or remove the handler`;
}

/** `use` gives an input's capture its value: only there, and of the capture's type. */
function reportUse(step: Step, handler: Handler, report: Report, analysis: FlowAnalysis): void {
  const use = handler.use;
  if (!use) return;
  if (step.kind !== "input") {
    report.error("misplaced-use", `\`use\` gives an input's answer, and \`${step.kind}\` is not an input`, use.span, {
      hint:
        step.kind === "pay" || step.kind === "refund"
          ? "a payment's outcome is what the terminal said, never a value the flow makes up: read it with `if` or `status`"
          : "handle the failure with steps in `{ }` instead",
    });
    return;
  }
  if (!step.as) {
    report.error("misplaced-use", "`use` gives the input's capture a value, but the input captures nothing", use.span, {
      hint: "capture the answer (`as name`) so the value has somewhere to go",
    });
    return;
  }
  const wanted = step.input === "amount" ? analysis.typeOfName(step.as.name) : captureSpecOf(step)?.type;
  const got = analysis.typed(use)?.type;
  if (!wanted || !got || got.kind === "unknown" || wanted.kind === "unknown") return;
  const fits =
    sameType(wanted, got) || (wanted.kind === "money" && got.kind === "money" && (!wanted.currency || !got.currency));
  if (fits) return;
  report.error(
    "type-mismatch",
    `\`use\` gives \`${step.as.name}\` ${describeType(got)}, but the answer is ${describeType(wanted)}`,
    use.span,
    { hint: `give a value like the shopper's answer: ${describeType(wanted)}` },
  );
}

/**
 * A payment is tried again only after a known decline or failure. When its time limit passed the
 * POS aborted it and TransactionStatus settled it: it is not sent again.
 */
function reportRetry(step: Step, handler: Handler, taken: ReadonlyMap<string, Handler>, report: Report): void {
  const retry = handler.retry;
  if (!retry || step.kind !== "pay") return;
  const name = handler.outcome.name;
  if (name === "timeout") {
    report.error("unsafe-retry", "a payment that timed out is not tried again", retry.span, {
      hint:
        "a payment is retried only after a known decline or failure (`declined`, `cancelled`, `failed`); when the POS gives up, " +
        "termflow aborts it and settles its outcome with TransactionStatus, and never sends it twice: handle `timeout` without `retry` (`status p as s`)",
    });
  } else if (name === ANY_FAILURE && step.within && !taken.has("timeout")) {
    report.warning("unsafe-retry", "this retry does not apply when the payment times out", retry.span, {
      hint:
        "a payment is retried only after a known decline or failure; one that timed out is settled by TransactionStatus " +
        "and never sent again, so the run stops there (`retry-refused`): handle `timeout` before `failure`",
    });
  }
}
