/**
 * Ending a waiting-screen session: the End AdminRequest (docs/protocol.md: the same Id, no Operation),
 * sent once, and again only when it provably never reached the terminal (connection refused, name
 * not resolved, TLS handshake failed), since an End that may have arrived is not sent twice. Used by
 * the session step, by a Begin that ends a session a crashed run left open, and by `endSession`
 * (`termflow end-session`), the way out when a terminal refuses every Begin with NotAllowed.
 */
import { systemClock, type Clock } from "../protocol/index.js";
import { createIdSource, type IdSource } from "../protocol/index.js";
import { RunEmitter } from "./events.js";
import { Exchanger, type Answered, type Unanswered } from "./exchange.js";
import { sessionEndRequest } from "./nexo/requests.js";
import type { MessageRecord } from "./result.js";
import type { SessionJournal } from "./session-journal.js";
import { resolveTimeouts, type RequestTimeouts } from "./timeouts.js";
import type { Transport } from "./transport.js";
import { isSimulatorLike, simulatorTransport, type SimulatorLike } from "./transports/simulator.js";

/** How an End came out. */
export type EndOutcome =
  /** The terminal ended the session. */
  | { kind: "ended"; sent: Answered }
  /** The terminal has no open session with this Id (`NotFound`): nothing left to end. */
  | { kind: "not-open"; sent: Answered }
  /** The terminal answered, and did not end it (`Busy` with a payment running, a Reject, ...). */
  | { kind: "refused"; sent: Answered }
  /** No answer, or none that can be read as this End's: the session may still be open. */
  | { kind: "unknown"; sent: Answered | Unanswered };

/** Sends the End of session `id`, again after each pause while it provably never left. */
export async function sendSessionEnd(
  exchanger: Exchanger,
  clock: Clock,
  id: string,
  options: { timeoutMs: number; retryPausesMs: readonly number[]; path?: string },
): Promise<EndOutcome> {
  for (let attempt = 0; ; attempt++) {
    const sent = await exchanger.attempt("AdminRequest", sessionEndRequest(id), {
      timeoutMs: options.timeoutMs,
      cancellable: false,
      ...(options.path ? { path: options.path } : {}),
    });
    if (!sent.ok) {
      const pause = options.retryPausesMs[attempt];
      if (!sent.error.notDelivered || pause === undefined) return { kind: "unknown", sent };
      await clock.sleep(pause);
      continue;
    }
    const answer = sent.answer;
    if (answer.kind === "rejected") return { kind: "refused", sent };
    if (answer.kind !== "response") return { kind: "unknown", sent };
    if (answer.response.result === "Success") return { kind: "ended", sent };
    return answer.response.errorCondition === "NotFound" ? { kind: "not-open", sent } : { kind: "refused", sent };
  }
}

export interface EndSessionOptions {
  /** The terminal: a Transport, or a simulator. */
  terminal: Transport | SimulatorLike;
  /** The Session.Id to end (the flow's `id`, or the one the run printed). */
  sessionId: string;
  poiid: string;
  /** The SaleID of the POS that began it. */
  saleId: string;
  clock?: Clock;
  ids?: IdSource;
  timeouts?: Partial<RequestTimeouts>;
  /** Struck off here when the terminal ends the session or says it is not open. */
  journal?: SessionJournal;
}

export interface EndSessionResult {
  /** `ended`, `not-open` (nothing to end), `refused` or `unknown` (see EndOutcome). */
  outcome: EndOutcome["kind"];
  /** What the terminal said, in words: `Success`, `Failure NotFound (message: ...)`, `timeout: ...`. */
  answer: string;
  /** The End request(s) and answer(s), as a run records them. */
  messages: MessageRecord[];
}

/** Ends one session outside any flow; never throws. */
export async function endSession(options: EndSessionOptions): Promise<EndSessionResult> {
  const clock = options.clock ?? systemClock;
  const timeouts = resolveTimeouts(options.timeouts);
  const messages: MessageRecord[] = [];
  const transport = isSimulatorLike(options.terminal) ? simulatorTransport(options.terminal) : options.terminal;
  const exchanger = new Exchanger({
    transport,
    clock,
    ids: options.ids ?? createIdSource(),
    emitter: new RunEmitter(),
    saleId: options.saleId,
    poiid: options.poiid,
    messages,
    timeouts,
  });
  let outcome: EndOutcome;
  try {
    outcome = await sendSessionEnd(exchanger, clock, options.sessionId, {
      timeoutMs: timeouts.admin,
      retryPausesMs: timeouts.endRetryPauses,
    });
  } catch (error) {
    return { outcome: "unknown", answer: error instanceof Error ? error.message : String(error), messages };
  }
  if (outcome.kind === "ended" || outcome.kind === "not-open")
    options.journal?.closed({ poiid: options.poiid, saleId: options.saleId, id: options.sessionId });
  return { outcome: outcome.kind, answer: describeEndAnswer(outcome.sent), messages };
}

/** `Success`, `Failure NotFound (message: No open session ...)`, `rejected: ...`, `timeout: ...`. */
export function describeEndAnswer(sent: Answered | Unanswered): string {
  if (!sent.ok) return `${sent.error.kind}: ${sent.error.message}`;
  const answer = sent.answer;
  if (answer.kind === "rejected") return `rejected: ${answer.message}`;
  if (answer.kind === "malformed") return `unreadable: ${answer.reason}`;
  if (answer.kind === "mismatched") return "an answer that was not to this End";
  if (answer.kind === "empty") return "an empty answer";
  const { result, errorCondition, additional } = answer.response;
  const detail = additional.message ? ` (message: ${additional.message})` : "";
  return `${result}${errorCondition ? ` ${errorCondition}` : ""}${detail}`;
}
