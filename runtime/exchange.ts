/**
 * One request and its answer: a fresh ServiceID, the envelope, the transport call raced against the
 * request's timeout (on the run's Clock) and the run's AbortSignal, the tolerant decode, the message
 * log and the request/response events. Cancelling a payment or input sends an AbortRequest for it
 * and gives the terminal a moment to answer the aborted request; whatever that answer is (`Aborted`,
 * or an approval the abort came too late for) goes back to the caller, flagged `cancelled`.
 */
import type { Clock, TimerHandle } from "../protocol/index.js";
import { decodeAnswer, type Answer } from "./nexo/decode.js";
import type { IdSource } from "../protocol/index.js";
import { headerMismatches } from "./nexo/match.js";
import { abortRequest, envelope } from "./nexo/requests.js";
import {
  RESPONSE_BODY,
  type MessageCategory,
  type RequestBodies,
  type RequestBodyName,
  type SaleToPOIRequest,
} from "../protocol/index.js";
import { TransportError, type SendOptions, type Transport } from "./transport.js";
import type { RunEmitter } from "./events.js";
import { Cancelled } from "./failures.js";
import type { MessageRecord } from "./result.js";
import type { RequestTimeouts } from "./timeouts.js";

export interface ExchangeOptions {
  timeoutMs: number;
  /** The step sending it, for events. */
  path?: string;
  /**
   * When the run is cancelled while waiting: abort the request on the terminal as this category, wait
   * `abortGrace` for its answer and return what came (flagged `cancelled`) instead of throwing.
   */
  abortAs?: "Payment" | "Input" | "CardAcquisition";
  /**
   * The POS's own time limit (`pay ... within 90s`): when it passes before the answer, abort the
   * request as `abortAs`, wait `abortGrace` for its answer and return what came, flagged `gaveUp`.
   */
  giveUpAfterMs?: number;
  /** false: ignore the run's signal and wait for the answer (session Begin/End, aborts). */
  cancellable?: boolean;
}

/** A request that got an answer (which may still be a Failure, a Reject or unreadable). */
export interface Answered {
  ok: true;
  serviceId: string;
  request: SaleToPOIRequest;
  answer: Answer;
  raw: unknown;
  /** The run was cancelled while this request waited; an AbortRequest was sent for it. */
  cancelled?: true;
  /** The request outlived its `giveUpAfterMs`; an AbortRequest was sent for it. */
  gaveUp?: true;
}

/** A request whose answer never came or could not be read as JSON: its outcome is unknown. */
export interface Unanswered {
  ok: false;
  serviceId: string;
  request: SaleToPOIRequest;
  error: TransportError;
  /** The run was cancelled while this request waited; an AbortRequest was sent for it. */
  cancelled?: true;
  /** The request outlived its `giveUpAfterMs`; an AbortRequest was sent for it. */
  gaveUp?: true;
}

export interface ExchangeDeps {
  transport: Transport;
  clock: Clock;
  ids: IdSource;
  emitter: RunEmitter;
  saleId: string;
  poiid: string;
  signal?: AbortSignal;
  messages: MessageRecord[];
  timeouts: RequestTimeouts;
}

type Outcome =
  | { kind: "answer"; raw: unknown }
  | { kind: "error"; error: unknown }
  | { kind: "timeout" }
  | { kind: "cancel" }
  | { kind: "limit" }
  | { kind: "grace" };

/** Sends requests for one run. */
export class Exchanger {
  constructor(private readonly deps: ExchangeDeps) {}

  /**
   * Sends one request and waits for its answer. Transport failures come back as `ok: false` (the
   * caller decides: a payment asks TransactionStatus). A cancelled run throws `Cancelled`, except
   * for an `abortAs` request: its abort is sent and whatever the terminal answered within the grace
   * period comes back flagged `cancelled` (no answer: `ok: false`, the outcome unknown).
   */
  async attempt<K extends RequestBodyName>(
    name: K,
    content: RequestBodies[K],
    options: ExchangeOptions,
  ): Promise<Answered | Unanswered> {
    const { clock, signal } = this.deps;
    const cancellable = options.cancellable !== false && signal !== undefined;
    if (cancellable && signal!.aborted) throw new Cancelled();

    const serviceId = this.deps.ids.serviceId(this.deps.poiid);
    // Widened once here: the transport and the log take any request.
    const request = envelope(name, content, {
      saleId: this.deps.saleId,
      poiid: this.deps.poiid,
      serviceId,
    }) as unknown as SaleToPOIRequest;
    const sentAt = clock.now();
    this.deps.messages.push({ direction: "request", at: sentAt, serviceId, name, json: request });
    // Events are built only for someone listening: a run without listeners pays nothing for them.
    if (this.deps.emitter.listenerCount("request") > 0)
      this.deps.emitter.emit("request", {
        at: sentAt,
        serviceId,
        name,
        ...(options.path ? { path: options.path } : {}),
        message: request,
      });

    // Only a cancellable request can be given up while the transport still works on it (the
    // transports enforce `timeoutMs` themselves): the others need no AbortController.
    const controller = cancellable ? new AbortController() : undefined;
    const sendOptions = controller
      ? { timeoutMs: options.timeoutMs, signal: controller.signal }
      : { timeoutMs: options.timeoutMs };
    // The request's timers are set before it is sent: on one clock, a timer of the terminal's due
    // with the timeout stays behind it.
    const race = new FirstOf(clock).after(options.timeoutMs, TIMEOUT);
    const cancel = cancellable ? onAbort(signal!) : undefined;
    if (cancel) race.or(cancel.promise);
    if (options.giveUpAfterMs !== undefined && options.abortAs) race.after(options.giveUpAfterMs, LIMIT);
    const sending = outcomeOf(this.deps.transport, request, sendOptions);
    race.or(sending);

    let first = await race.promise;
    race.clear();
    cancel?.dispose();

    if (first.kind === "limit") {
      await this.abort(serviceId, options.abortAs!, options.path);
      const grace = new FirstOf(clock).or(sending).after(this.deps.timeouts.abortGrace, GRACE);
      first = await grace.promise;
      grace.clear();
      if (first.kind === "grace") controller?.abort();
      return { ...this.record(name, serviceId, sentAt, first, options, request), gaveUp: true };
    }
    if (first.kind === "cancel") {
      if (options.abortAs) await this.abort(serviceId, options.abortAs, options.path);
      // Give the terminal the chance to answer the aborted request, so the End that follows does not
      // find it busy, and so the caller learns what the abort came to: it may have come too late.
      const grace = new FirstOf(clock).or(sending).after(this.deps.timeouts.abortGrace, GRACE);
      first = await grace.promise;
      grace.clear();
      controller?.abort();
      const settled = this.record(name, serviceId, sentAt, first, options, request);
      if (!options.abortAs) throw new Cancelled();
      return { ...settled, cancelled: true };
    }
    if (first.kind === "timeout") controller?.abort();
    return this.record(name, serviceId, sentAt, first, options, request);
  }

  /** Sends an AbortRequest for `serviceId`; never throws (an abort is best effort). */
  async abort(serviceId: string, category: MessageCategory, path?: string): Promise<void> {
    try {
      await this.attempt("AbortRequest", abortRequest(this.deps.saleId, serviceId, category), {
        timeoutMs: this.deps.timeouts.abort,
        cancellable: false,
        ...(path ? { path } : {}),
      });
    } catch {
      // Nothing more to do: the End that follows still goes out.
    }
  }

  private record(
    name: RequestBodyName,
    serviceId: string,
    sentAt: number,
    outcome: Outcome,
    options: ExchangeOptions,
    request: SaleToPOIRequest,
  ): Answered | Unanswered {
    const at = this.deps.clock.now();
    const listened = this.deps.emitter.listenerCount("response") > 0;
    if (outcome.kind === "answer") {
      const answer = matched(request, decodeAnswer(outcome.raw, RESPONSE_BODY[name] ?? undefined));
      this.deps.messages.push({
        direction: "response",
        at,
        serviceId,
        name: answerName(answer),
        ...(outcome.raw !== undefined ? { json: outcome.raw } : {}),
      });
      if (listened)
        this.deps.emitter.emit("response", {
          ...responseEvent(at, serviceId, name, sentAt, options),
          answer,
          raw: outcome.raw,
        });
      return { ok: true, serviceId, request, answer, raw: outcome.raw };
    }
    const error = toTransportError(outcome, options.timeoutMs, this.deps.timeouts.abortGrace);
    this.deps.messages.push({
      direction: "response",
      at,
      serviceId,
      name: "(no answer)",
      error: `${error.kind}: ${error.message}`,
    });
    if (listened)
      this.deps.emitter.emit("response", {
        ...responseEvent(at, serviceId, name, sentAt, options),
        error: { kind: error.kind, message: error.message },
      });
    return { ok: false, serviceId, request, error };
  }
}

/** The fields every response event starts with (built only when someone listens). */
function responseEvent(at: number, serviceId: string, name: RequestBodyName, sentAt: number, options: ExchangeOptions) {
  return { at, serviceId, name, durationMs: at - sentAt, ...(options.path ? { path: options.path } : {}) };
}

/**
 * Whichever outcome comes first (the answer, a timer, a cancel): one promise the first settles,
 * rather than a promise a racer under Promise.race, which a request paid for in time and garbage.
 */
class FirstOf {
  readonly promise: Promise<Outcome>;
  private settle: (outcome: Outcome) => void = () => {};
  private readonly timers: TimerHandle[] = [];

  constructor(private readonly clock: Clock) {
    this.promise = new Promise<Outcome>((resolve) => {
      this.settle = resolve;
    });
  }

  /** What `outcome` resolves to (it never rejects). */
  or(outcome: Promise<Outcome>): this {
    outcome.then(this.settle);
    return this;
  }

  /** `outcome` after `ms` on the run's clock. */
  after(ms: number, outcome: Outcome): this {
    const settle = this.settle;
    this.timers.push(this.clock.setTimeout(() => settle(outcome), ms));
    return this;
  }

  /** Clears the timers, once the first outcome has come. */
  clear(): void {
    for (const timer of this.timers) this.clock.clearTimeout(timer);
  }
}

/** Race values that carry nothing but their kind: one of each. */
const TIMEOUT: Outcome = { kind: "timeout" };
const LIMIT: Outcome = { kind: "limit" };
const GRACE: Outcome = { kind: "grace" };

/** The transport's answer or failure as an Outcome (a send that throws at once included); never rejects. */
async function outcomeOf(transport: Transport, request: SaleToPOIRequest, options: SendOptions): Promise<Outcome> {
  try {
    return { kind: "answer", raw: await transport.send(request, options) };
  } catch (error) {
    return { kind: "error", error };
  }
}

function onAbort(signal: AbortSignal): { promise: Promise<Outcome>; dispose: () => void } {
  let listener: (() => void) | undefined;
  const promise = new Promise<Outcome>((resolve) => {
    listener = () => resolve({ kind: "cancel" });
    if (signal.aborted) listener();
    else signal.addEventListener("abort", listener, { once: true });
  });
  return { promise, dispose: () => listener && signal.removeEventListener("abort", listener) };
}

function toTransportError(outcome: Outcome, timeoutMs: number, graceMs: number): TransportError {
  if (outcome.kind === "timeout") return new TransportError("timeout", `no answer within ${timeoutMs} ms`);
  if (outcome.kind === "grace")
    return new TransportError("timeout", `no answer within ${graceMs} ms of the abort (abortGrace)`);
  if (outcome.kind === "error") {
    const error = outcome.error;
    if (error instanceof TransportError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new TransportError("connection", message);
  }
  return new TransportError("aborted", "the request was cancelled");
}

/**
 * The answer, or `mismatched` when its header does not echo the request's (docs/protocol.md: the header
 * echoes the request's, MessageType Response), or when an abort, which has no answer body, gets one.
 */
function matched(request: SaleToPOIRequest, answer: Answer): Answer {
  if (answer.kind !== "response") return answer;
  const header = answer.header;
  const mismatches = headerMismatches(request, header);
  if ("AbortRequest" in request.SaleToPOIRequest)
    mismatches.push({ field: "SaleToPOIResponse body", expected: "(none: an empty answer)", got: answer.bodyName });
  if (mismatches.length === 0) return answer;
  const { bodyName, body, response } = answer;
  return { kind: "mismatched", bodyName, ...(header ? { header } : {}), body, response, mismatches };
}

function answerName(answer: Answer): string {
  if (answer.kind === "response") return answer.bodyName;
  if (answer.kind === "mismatched") return `${answer.bodyName ?? "(no body)"} (mismatched)`;
  if (answer.kind === "empty") return "(empty)";
  if (answer.kind === "rejected") return "EventNotification";
  return "(unreadable)";
}
