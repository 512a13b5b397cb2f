/** `--json`: every run event as one JSON line `{"event": "stepEnd", ...}`, in order. */
import type { RunEmitter, RunEventName } from "../../runtime/index.js";

const EVENTS: readonly RunEventName[] = [
  "flowStart",
  "stepStart",
  "request",
  "response",
  "sessionBegin",
  "sessionEnd",
  "payment",
  "stepEnd",
  "error",
  "flowEnd",
];

/** Writes each event as a line; returns a function that removes the listeners. */
export function attachNdjson(emitter: RunEmitter, write: (text: string) => void): () => void {
  const listeners = EVENTS.map((event) => {
    const listener = (payload: object): void => write(`${JSON.stringify({ event, ...payload })}\n`);
    emitter.on(event, listener as never);
    return [event, listener] as const;
  });
  return () => {
    for (const [event, listener] of listeners) emitter.off(event, listener as never);
  };
}
