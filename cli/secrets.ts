/**
 * What a command learns is secret from a flow and its run, by the one rule of protocol/redact.ts:
 * the values of params and captures with secret names. Learnt before anything that may show them is
 * printed, so every output of the command (CliIO) hides them.
 */
import { type CalledFlows, type Flow, walkSteps } from "../language/index.js";
import { isSecretName, type Redactor } from "../protocol/index.js";
import { bindParams, type RunEmitter, type StepStartEvent } from "../runtime/index.js";

/** Learns the defaults of the flow's secret-named params. */
export function learnParamDefaults(secrets: Redactor, flow: Flow): void {
  secrets.addFrom(Object.fromEntries(bindParams(flow).values));
}

/**
 * Learns each secret-named capture (`input text "Token?" as api_token`) when its step ends, and the
 * secret-named params of a called flow when the call binds them (before its steps show them).
 * Attach it before any reporter: listeners run in the order they were added.
 */
export function learnCaptures(secrets: Redactor, emitter: RunEmitter): () => void {
  const listener = ({ result }: { result: { capture?: { name: string; value: unknown } } }): void => {
    if (result.capture) secrets.addFrom({ [result.capture.name]: result.capture.value });
  };
  const call = ({ params }: { params: Record<string, unknown> }): void => {
    secrets.addFrom(params);
  };
  emitter.on("stepEnd", listener);
  emitter.on("call", call);
  return () => {
    emitter.off("stepEnd", listener);
    emitter.off("call", call);
  };
}

/**
 * Whether a starting step captures into a secret name: the shopper's answer is on the wire before
 * the step ends, so an output that streams requests and answers holds them until it does.
 */
export function capturesSecret(flow: Flow, called?: CalledFlows): (step: StepStartEvent) => boolean {
  const starts = new Set<string>();
  const where = (span: { file: string; start: { offset: number } }): string => `${span.file}\0${span.start.offset}`;
  for (const each of [flow, ...Object.values(called?.flows ?? {})])
    walkSteps(each.steps, (step) => {
      if ((step.kind === "input" || step.kind === "pay") && step.as && isSecretName(step.as.name))
        starts.add(where(step.span));
    });
  return (step) => starts.has(where(step.span));
}
