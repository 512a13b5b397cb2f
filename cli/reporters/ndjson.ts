/** `--json`: every run event as one JSON line `{"event": "stepEnd", ...}`, in order. */
import type { RunEmitter, RunEventName, StepStartEvent } from "../../runtime/index.js";

const EVENTS: readonly RunEventName[] = [
  "flowStart",
  "stepStart",
  "request",
  "response",
  "sessionBegin",
  "sessionEnd",
  "call",
  "payment",
  "stepEnd",
  "error",
  "flowEnd",
];

export interface NdjsonOptions {
  /** Writes one value as a JSON line (the CLI's, which hides secrets). */
  writeJson: (value: object) => void;
  /**
   * Steps whose events are held until the step ends: one that captures a secret has it in its
   * answer before the capture is known to be one (see cli/secrets.ts).
   */
  hold?: (step: StepStartEvent) => boolean;
}

/** Writes each event as a line; returns a function that removes the listeners. */
export function attachNdjson(emitter: RunEmitter, options: NdjsonOptions): () => void {
  let held: { path: string; lines: object[] } | undefined;
  const listeners = EVENTS.map((event) => {
    const listener = (payload: object): void => {
      const line = { event, ...payload };
      if (event === "stepStart" && !held && options.hold?.(payload as StepStartEvent))
        held = { path: (payload as StepStartEvent).path, lines: [] };
      if (!held) {
        options.writeJson(line);
        return;
      }
      held.lines.push(line);
      if (event === "stepEnd" && (payload as { result: { path: string } }).result.path === held.path) {
        const { lines } = held;
        held = undefined;
        for (const l of lines) options.writeJson(l);
      }
    };
    emitter.on(event, listener as never);
    return [event, listener] as const;
  });
  return () => {
    if (held) for (const l of held.lines) options.writeJson(l);
    held = undefined;
    for (const [event, listener] of listeners) emitter.off(event, listener as never);
  };
}
