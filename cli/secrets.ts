/**
 * What a command learns is secret from a flow and its run, by the one rule of protocol/redact.ts:
 * the values of params and captures with secret names. Learnt before anything that may show them is
 * printed, so every output of the command (CliIO) hides them.
 */
import { type Flow, walkSteps } from "../language/index.js";
import { isSecretName, type Redactor } from "../protocol/index.js";
import { bindParams, type RunEmitter, type StepStartEvent } from "../runtime/index.js";

/** Learns the defaults of the flow's secret-named params. */
export function learnParamDefaults(secrets: Redactor, flow: Flow): void {
  secrets.addFrom(Object.fromEntries(bindParams(flow).values));
}

/**
 * Learns each secret-named capture (`input text "Token?" as api_token`) when its step ends. Attach
 * it before any reporter: listeners run in the order they were added.
 */
export function learnCaptures(secrets: Redactor, emitter: RunEmitter): () => void {
  const listener = ({ result }: { result: { capture?: { name: string; value: unknown } } }): void => {
    if (result.capture) secrets.addFrom({ [result.capture.name]: result.capture.value });
  };
  emitter.on("stepEnd", listener);
  return () => emitter.off("stepEnd", listener);
}

/**
 * Whether a starting step captures into a secret name: the shopper's answer is on the wire before
 * the step ends, so an output that streams requests and answers holds them until it does.
 */
export function capturesSecret(flow: Flow): (step: StepStartEvent) => boolean {
  const starts = new Set<number>();
  walkSteps(flow.steps, (step) => {
    if ((step.kind === "input" || step.kind === "pay") && step.as && isSecretName(step.as.name))
      starts.add(step.span.start.offset);
  });
  return (step) => starts.has(step.span.start.offset);
}
