/**
 * The simulator without sockets: routes a request by path, checks the API key, decrypts, reads the
 * envelope, applies injected faults, lets the terminal answer and encodes that answer.
 */
import { decodeBase64Json, systemClock, type Clock } from "../protocol/index.js";
import { decryptEnvelope, encryptEnvelope, GENERIC_CRYPTO_ERROR, isEncryptedMessage } from "../protocol/index.js";
import { readEnvelope } from "./envelope.js";
import { describeFault } from "./faults.js";
import { ByteBudget } from "./history.js";
import { failure, failureBody, rejectNotification, responseMessage } from "./replies.js";
import { type Arrival, LoggedRequest } from "./request-log.js";
import { SimulatedTerminal, type TerminalReply, type TerminalRequest } from "./terminal.js";
import { SimulatorTimers } from "./timers.js";
import { EventEmitter } from "eventemitter3";
import type {
  Channel,
  Fault,
  HandleContext,
  SimulatorAnswer,
  SimulatorEvent,
  SimulatorMemory,
  SimulatorOptions,
} from "./types.js";

type Json = Record<string, unknown>;

/** Shared by every answer: nobody changes it (node:http copies headers). */
const JSON_HEADERS: Record<string, string> = Object.freeze({ "content-type": "application/json" });

/** What one `handle` call learnt about its request, for the single `onRequest` notification. */
interface Call {
  entry?: LoggedRequest;
  /** The simulator's run it came in (`stop` starts the next): an answer from an earlier run goes nowhere. */
  run: number;
}

/** JSON nested deeper than this is refused: no nexo message comes near it (its deepest is about 8). */
export const MAX_JSON_DEPTH = 64;

export type Route =
  | { kind: "route"; channel: Channel; poiid?: string }
  | { kind: "not-found" }
  | { kind: "bad-path"; message: string };

const SYNC: Route = Object.freeze({ kind: "route", channel: "cloud" });
const NEXO: Route = Object.freeze({ kind: "route", channel: "local" });

/** Where a path goes: a channel (and the device path's POIID), or why nowhere. */
export function routeOf(path: string): Route {
  if (path === "/sync") return SYNC;
  const clean = path.split("?")[0].replace(/\/+$/, "") || "/";
  if (clean === "/sync") return SYNC;
  if (clean === "/nexo") return NEXO;
  const device = /^\/v1\/merchants\/([^/]+)\/devices\/([^/]+)\/sync$/.exec(clean);
  if (!device) return { kind: "not-found" };
  try {
    return { kind: "route", channel: "cloud", poiid: decodeURIComponent(device[2]) };
  } catch {
    return { kind: "bad-path", message: `The POIID in ${clean} is not valid percent-encoding` };
  }
}

/** True when `value` holds arrays or objects nested more than `limit` deep. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestedDeeperThan(item, limit - 1)) return true;
    return false;
  }
  for (const key in value) if (nestedDeeperThan((value as Json)[key], limit - 1)) return true;
  return false;
}

function httpError(status: number, errors: string[], extra: Json = {}): SimulatorAnswer {
  return { status, body: JSON.stringify({ ...extra, errors }), headers: JSON_HEADERS };
}

/** The bytes of history (request logs, timelines) a simulator keeps by default, all terminals together. */
export const DEFAULT_HISTORY_BYTES = 32 * 1024 * 1024;
/** The terminals a simulator keeps by default. */
export const DEFAULT_MAX_TERMINALS = 1000;

const UNAUTHORIZED = JSON.stringify({
  status: 401,
  errorCode: "000",
  message: "HTTP Status Response - Unauthorized",
  errorType: "security",
});

/** The shared state and request path of one simulator. */
export class SimulatorCore {
  readonly clock: Clock;
  private readonly timers: SimulatorTimers;
  /** Request logs and timelines of every terminal. */
  private readonly history: ByteBudget;
  /** What terminals remember to answer later requests: transactions and ServiceIDs (a quarter of the history's bytes). */
  private readonly remembered: ByteBudget;
  readonly maxTerminals: number;
  /** Counts the stops: requests in flight when it changes are answered `{dropped: true}`. */
  private run = 0;
  /** Least recently used first: the order in which quiet terminals make room for new ones. */
  private readonly terminalsById = new Map<string, SimulatedTerminal>();
  /** The one event source of every terminal's changes (the page's live updates read it). */
  private readonly events = new EventEmitter<{ change: [SimulatorEvent] }>();

  /** Every change on every terminal; a listener that throws is ignored, the others still hear. */
  subscribe(listener: (event: SimulatorEvent) => void): () => void {
    const safe = (event: SimulatorEvent) => {
      try {
        listener(event);
      } catch {
        // An observer must not change what the terminal does.
      }
    };
    this.events.on("change", safe);
    return () => this.events.off("change", safe);
  }

  private listening(): boolean {
    return this.events.listenerCount("change") > 0;
  }

  private publish(event: SimulatorEvent): void {
    if (this.listening()) this.events.emit("change", event);
  }

  reset(): void {
    for (const t of this.terminalsById.values()) t.reset();
  }

  constructor(readonly options: SimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = new SimulatorTimers(this.clock);
    const historyBytes = options.historyBytes ?? DEFAULT_HISTORY_BYTES;
    this.history = new ByteBudget(historyBytes);
    this.remembered = new ByteBudget(Math.ceil(historyBytes / 4));
    this.maxTerminals = options.maxTerminals ?? DEFAULT_MAX_TERMINALS;
    for (const poiid of options.terminals ?? []) this.terminal(poiid);
  }

  /** What is kept now: history (logs, timelines), what terminals remember (transactions, ServiceIDs), terminals. */
  memory(): SimulatorMemory {
    return {
      history: { bytes: this.history.usedBytes, limit: this.history.limit },
      remembered: { bytes: this.remembered.usedBytes, limit: this.remembered.limit },
      terminals: { count: this.terminalsById.size, limit: this.maxTerminals },
    };
  }

  /**
   * The terminal with this POIID, created if need be: at the cap, the least recently used quiet
   * terminal is forgotten to make room. Called in-process, it always gives a terminal (over the cap
   * when every terminal is busy); `terminalWithin` is what requests from outside use.
   */
  terminal(poiid: string): SimulatedTerminal {
    return this.terminalWithin(poiid) ?? this.create(poiid);
  }

  /** The terminal, created within the cap; undefined when the cap is reached and none is quiet. */
  terminalWithin(poiid: string): SimulatedTerminal | undefined {
    const t = this.terminalsById.get(poiid);
    if (t) {
      // Most recently used last.
      this.terminalsById.delete(poiid);
      this.terminalsById.set(poiid, t);
      return t;
    }
    if (this.terminalsById.size >= this.maxTerminals && !this.makeRoom()) return undefined;
    return this.create(poiid);
  }

  private create(poiid: string): SimulatedTerminal {
    const t = new SimulatedTerminal(poiid, {
      clock: this.clock,
      timers: this.timers,
      history: this.history,
      remembered: this.remembered,
      thinkTimeMs: this.options.thinkTimeMs ?? 1000,
      paymentMs: this.options.paymentMs ?? 3000,
      resultScreenMs: this.options.resultScreenMs ?? 3000,
      uniqueServiceIds: this.options.uniqueServiceIds ?? true,
      manualShopper: this.options.manualShopper ?? false,
      publish: (event) => this.publish(event),
      listening: () => this.listening(),
    });
    this.terminalsById.set(poiid, t);
    if (this.listening()) this.publish({ type: "state", poiid, state: t.state() });
    return t;
  }

  /** Forgets the least recently used quiet terminal (never one the `terminals` option lists). */
  private makeRoom(): boolean {
    const fixed = this.options.terminals;
    for (const [poiid, t] of this.terminalsById) {
      if (fixed?.includes(poiid) || !t.isQuiet()) continue;
      this.terminalsById.delete(poiid);
      t.forget();
      return true;
    }
    return false;
  }

  /** Why a request for a new terminal is refused: every terminal is busy and the cap is reached. */
  private capMessage(poiid: string): string {
    return (
      `Terminal ${poiid} is not reachable: this simulator keeps at most ${this.maxTerminals} terminals ` +
      "(maxTerminals, termflow sim --max-terminals) and every one of them is busy (a dialogue, an open session, " +
      "a waiting screen or scripts pending); raise the limit or end a session"
    );
  }

  terminals(): string[] {
    return [...this.terminalsById.keys()];
  }

  /** Known terminal or undefined (the HTTP timeline route must not create terminals). */
  existing(poiid: string): SimulatedTerminal | undefined {
    return this.terminalsById.get(poiid);
  }

  /**
   * Ends everything in flight: requests are answered `{dropped: true}` (over HTTP their connections
   * are closed anyway), terminals stop, and no timer is left. The simulator can be used again.
   */
  stop(): void {
    this.run++;
    // Their dialogues end, so every request in flight comes to `finish` and is dropped there.
    for (const t of this.terminalsById.values()) t.stop();
    this.timers.clearAll();
  }

  private servers = 0;

  /** A server starts (+1) or closes (-1); when the last one closes, the simulator stops. */
  serving(change: 1 | -1): void {
    this.servers += change;
    if (change < 0 && this.servers === 0) this.stop();
  }

  /** Timers still set (none after `stop`). */
  get pendingTimers(): number {
    return this.timers.pending;
  }

  async handle(request: unknown, context: HandleContext = {}): Promise<SimulatorAnswer> {
    const call: Call = { run: this.run };
    let answer: SimulatorAnswer;
    try {
      answer = await this.handleUnsafe(request, context, call);
    } catch (error) {
      // A bug in the simulator must not take the server (or a test run) down with it.
      answer = httpError(500, [
        `termflow simulator internal error: ${error instanceof Error ? error.message : String(error)}`,
      ]);
    }
    this.notify(call.entry ?? this.refusal(context.path ?? "/sync", answer, request));
    return answer;
  }

  /** Tells `onRequest` about a request refused before it reached `handle` (HTTP 413, 405). */
  noteRefused(path: string, status: number, request: string): void {
    this.notify(this.refusal(path, { status, body: "" }, request));
  }

  /** The log entry of a request that reached no terminal. */
  private refusal(path: string, answer: SimulatorAnswer, request: unknown): LoggedRequest {
    const route = routeOf(path);
    const entry = new LoggedRequest(
      {
        at: this.clock.now(),
        poiid: (route.kind === "route" && route.poiid) || "N/A",
        channel: route.kind === "route" ? route.channel : "cloud",
        body: "unknown",
        category: "unknown",
      },
      ...receivedAs(request),
    );
    entry.answer(entry.at, "dropped" in answer ? "dropped" : `http ${answer.status}`);
    return entry;
  }

  private notify(logged: LoggedRequest): void {
    const onRequest = this.options.onRequest;
    const published = this.listening() && this.terminalsById.has(logged.poiid);
    if (!published && !onRequest) return;
    const entry = logged.entry();
    if (published) this.publish({ type: "answer", poiid: logged.poiid, entry });
    try {
      onRequest?.(entry);
    } catch {
      // A logging callback must not change the answer.
    }
  }

  private async handleUnsafe(request: unknown, context: HandleContext, call: Call): Promise<SimulatorAnswer> {
    const path = context.path ?? "/sync";
    const route = routeOf(path);
    if (route.kind === "bad-path") return httpError(400, [route.message]);
    if (route.kind === "not-found")
      return httpError(404, [
        `No Terminal API endpoint at ${path}: use POST /sync, /v1/merchants/{merchant}/devices/{POIID}/sync or /nexo`,
      ]);
    const { channel } = route;
    if (channel === "cloud" && this.options.apiKey !== undefined && context.apiKey !== this.options.apiKey)
      return { status: 401, body: UNAUTHORIZED, headers: JSON_HEADERS };

    const text =
      typeof request === "string" ? request : Buffer.isBuffer(request) ? request.toString("utf8") : undefined;
    let value: unknown = request;
    if (text !== undefined) {
      try {
        value = JSON.parse(text);
      } catch {
        return this.reject(call, "Input is not a JSONObject", text, channel, route.poiid);
      }
    }
    if (nestedDeeperThan(value, MAX_JSON_DEPTH)) {
      const shown = text ?? "(an object nested too deeply to show)";
      return this.reject(call, `Input is nested deeper than ${MAX_JSON_DEPTH} levels`, shown, channel, route.poiid);
    }
    let rawText: string;
    try {
      // JSON.stringify gives undefined for undefined (and functions): an empty request.
      rawText = text ?? JSON.stringify(request) ?? "";
    } catch (error) {
      return httpError(400, [`The request is not JSON: ${(error as Error).message}`]);
    }
    /** The request as the terminal reads it: decrypted when it came encrypted. */
    let readText = rawText;

    // Local encryption: decrypt first, answer encrypted.
    const key = this.options.key;
    let encrypted = false;
    if (isEncryptedMessage(value)) {
      const decrypted = key ? decryptEnvelope(value, key) : undefined;
      if (!decrypted?.ok || decrypted.root !== "SaleToPOIRequest") {
        const why = key
          ? GENERIC_CRYPTO_ERROR
          : "This simulator has no key configured, so it cannot decrypt this encrypted request (NexoBlob): " +
            "start it with --key-id, --key-version and --passphrase-env (createSimulator({key}) in-process), or send cleartext";
        return this.refusedEncrypted(call, value, rawText, channel, route.poiid, httpError(400, [why]));
      }
      value = decrypted.message;
      encrypted = true;
      if (nestedDeeperThan(value, MAX_JSON_DEPTH))
        return this.reject(call, `Input is nested deeper than ${MAX_JSON_DEPTH} levels`, rawText, channel, route.poiid);
      readText = JSON.stringify(value);
    } else if (
      key &&
      channel === "local" &&
      typeof value === "object" &&
      value !== null &&
      "SaleToPOIRequest" in value
    ) {
      return httpError(400, [
        "This terminal accepts only encrypted requests on /nexo: send NexoBlob and SecurityTrailer (see docs/simulator.md, Local encryption)",
      ]);
    }

    const envelope = readEnvelope(value, channel, route.poiid);
    if (envelope.kind === "http-error") return httpError(envelope.status, envelope.errors);
    if (envelope.kind === "reject") {
      const poiid = envelope.header?.POIID ?? route.poiid;
      const terminal = typeof poiid === "string" && poiid ? this.reachable(poiid) : undefined;
      if (terminal) {
        const message = rejectNotification(envelope.details, rawText, this.clock.now(), envelope.header, route.poiid);
        const entry = terminal.record(
          this.arrival(poiid as string, channel, envelope.bodyName ?? "unknown", envelope.header, value, readText),
        );
        call.entry = entry;
        return this.finish(call, { kind: "json", message }, [], encrypted, "reject");
      }
      return this.reject(call, envelope.details, rawText, channel, route.poiid, envelope.header);
    }

    const poiid = envelope.header.POIID;
    const known = this.options.terminals;
    const terminal = known && !known.includes(poiid) ? undefined : this.terminalWithin(poiid);
    if (!terminal) {
      const message = known
        ? `Terminal ${poiid} is not reachable: this simulator has ${known.join(", ")}`
        : this.capMessage(poiid);
      call.entry = this.arrival(poiid, channel, envelope.bodyName, envelope.header, value, readText);
      const reply = unreachable(envelope.header, envelope.bodyName, envelope.body, { message }, this.clock.now());
      return this.finish(call, reply, [], encrypted);
    }
    const entry = terminal.record(this.arrival(poiid, channel, envelope.bodyName, envelope.header, value, readText));
    call.entry = entry;
    const terminalRequest: TerminalRequest = {
      header: envelope.header,
      bodyName: envelope.bodyName,
      body: envelope.body,
      channel,
    };

    if (envelope.kind === "format") {
      // A bad header: the terminal answers Failure/MessageFormat without acting on the body. A
      // ServiceID that breaks the 1-10 rule cannot be echoed in a valid answer, so it is left out.
      const header = { ...envelope.header };
      if (typeof header.ServiceID !== "string" || !/^.{1,10}$/.test(header.ServiceID)) delete header.ServiceID;
      const reply = terminal.formatFailure({ ...terminalRequest, header }, envelope.errors);
      return this.finish(call, reply, [], encrypted);
    }

    const faults = terminal.faults.take(envelope.header.MessageCategory, envelope.bodyName, entry.session?.type);
    if (faults.length === 0) {
      const reply = await terminal.process(terminalRequest);
      return this.finish(call, reply, faults, encrypted);
    }
    entry.faults = faults.map(describeFault);
    const find = <K extends Fault["kind"]>(kind: K) =>
      faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind);
    const http500 = find("http500");
    const drop = find("drop");
    if (http500 && !http500.processed)
      return this.finishFault(call, "http 500", find("delay"), httpError(500, ["Internal Server Error"]));
    if (drop && drop.processed === false) return this.finishFault(call, "dropped", find("delay"), { dropped: true });

    const reply = find("busy") ? terminal.busy(terminalRequest) : await terminal.process(terminalRequest);
    if (http500)
      return this.finishFault(call, "http 500", find("delay"), httpError(500, ["Internal Server Error"]), reply);
    if (drop) return this.finishFault(call, "dropped", find("delay"), { dropped: true }, reply);
    if (find("malformed")) {
      const good = this.encode(reply, encrypted, textOf(reply));
      const body =
        "status" in good && good.body
          ? good.body.slice(0, Math.max(1, Math.floor(good.body.length / 2)))
          : '{"SaleToPOIResp';
      return this.finishFault(call, "malformed", find("delay"), { status: 200, body, headers: JSON_HEADERS }, reply);
    }
    return this.finish(call, reply, faults, encrypted);
  }

  /** The terminal for a POIID from a request: unknown POIIDs (with the `terminals` option) and a full cap give none. */
  private reachable(poiid: string): SimulatedTerminal | undefined {
    const known = this.options.terminals;
    return known && !known.includes(poiid) ? undefined : this.terminalWithin(poiid);
  }

  /**
   * The log entry of an encrypted request no terminal could read (no key, or it did not decrypt):
   * POIID, category, ServiceID and SaleID from its clear MessageHeader copy, body `encrypted`.
   */
  private refusedEncrypted(
    call: Call,
    value: unknown,
    rawText: string,
    channel: Channel,
    pathPoiid: string | undefined,
    answer: SimulatorAnswer,
  ): SimulatorAnswer {
    const clear = (value as { SaleToPOIRequest?: { MessageHeader?: unknown } }).SaleToPOIRequest?.MessageHeader;
    const header = typeof clear === "object" && clear !== null ? (clear as Record<string, unknown>) : {};
    const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);
    const entry = new LoggedRequest(
      {
        at: this.clock.now(),
        poiid: pathPoiid ?? text(header.POIID) ?? "N/A",
        channel,
        body: "encrypted",
        category: text(header.MessageCategory) ?? "unknown",
        serviceId: text(header.ServiceID),
        saleId: text(header.SaleID),
      },
      rawText,
    );
    entry.answer(entry.at, "dropped" in answer ? "dropped" : `http ${answer.status}`);
    call.entry = entry;
    return answer;
  }

  /** A request's log entry as it arrives (`readText`: the JSON text of `request`). */
  private arrival(
    poiid: string,
    channel: Channel,
    body: string,
    header: Partial<TerminalRequest["header"]> | undefined,
    request: unknown,
    readText: string,
  ): LoggedRequest {
    const arrival: Arrival = {
      at: this.clock.now(),
      poiid,
      channel,
      body,
      category: header?.MessageCategory ?? "unknown",
      serviceId: header?.ServiceID,
      saleId: header?.SaleID,
    };
    const si = (request as { SaleToPOIRequest?: { AdminRequest?: { ServiceIdentification?: unknown } } })
      ?.SaleToPOIRequest?.AdminRequest?.ServiceIdentification;
    // An unreadable ServiceIdentification is logged without a session: the terminal's answer says why.
    const decoded = typeof si === "string" ? decodeBase64Json(si) : undefined;
    const session = decoded?.ok
      ? (decoded.value as { Session?: { Id?: unknown; Type?: unknown } } | null)?.Session
      : undefined;
    if (session && (typeof session.Id === "string" || typeof session.Id === "number")) {
      arrival.session = { id: String(session.Id), type: String(session.Type) };
    }
    return new LoggedRequest(arrival, readText);
  }

  /** The entry's answer is known: the log keeps its text and counts what it adds. */
  private settle(entry: LoggedRequest, outcome: string, responseText?: string): void {
    const added = entry.answer(this.clock.now(), outcome, responseText);
    this.terminalsById.get(entry.poiid)?.grew(entry, added);
  }

  /** A request whose simulator stopped while it was in flight: no answer. */
  private dropped(call: Call): SimulatorAnswer {
    this.settle(call.entry!, "dropped (simulator stopped)");
    return { dropped: true };
  }

  /** Settles and encodes the answer: at once (no promise of its own) unless a delay fault holds it. */
  private finish(
    call: Call,
    reply: TerminalReply,
    faults: Fault[],
    encrypted: boolean,
    outcome = outcomeOf(reply),
  ): SimulatorAnswer | Promise<SimulatorAnswer> {
    const delay =
      faults.length > 0 ? faults.find((f): f is Extract<Fault, { kind: "delay" }> => f.kind === "delay") : undefined;
    if (delay) return this.timers.sleep(delay.ms).then(() => this.answer(call, reply, encrypted, outcome));
    return this.answer(call, reply, encrypted, outcome);
  }

  private answer(call: Call, reply: TerminalReply, encrypted: boolean, outcome: string): SimulatorAnswer {
    if (call.run !== this.run) return this.dropped(call);
    const text = textOf(reply);
    this.settle(call.entry!, outcome, text);
    return this.encode(reply, encrypted, text);
  }

  private async finishFault(
    call: Call,
    outcome: string,
    delay: Extract<Fault, { kind: "delay" }> | undefined,
    answer: SimulatorAnswer,
    reply?: TerminalReply,
  ): Promise<SimulatorAnswer> {
    if (delay) await this.timers.sleep(delay.ms);
    if (call.run !== this.run) return this.dropped(call);
    this.settle(call.entry!, reply ? `${outcome} (processed: ${outcomeOf(reply)})` : outcome, reply && textOf(reply));
    return answer;
  }

  private reject(
    call: Call,
    details: string,
    rawText: string,
    channel: Channel,
    poiid?: string,
    header?: Json,
  ): SimulatorAnswer {
    const message = JSON.stringify(rejectNotification(details, rawText, this.clock.now(), header, poiid));
    const entry = new LoggedRequest(
      { at: this.clock.now(), poiid: poiid ?? "N/A", channel, body: "unknown", category: "unknown" },
      rawText,
      false,
    );
    entry.answer(entry.at, "reject", message);
    call.entry = entry;
    return { status: 200, body: message, headers: JSON_HEADERS };
  }

  /** The answer over the wire; `text` is the reply's JSON text, made once for the log and the wire. */
  private encode(reply: TerminalReply, encrypted: boolean, text: string | undefined): SimulatorAnswer {
    if (reply.kind === "empty") return { status: 200, body: "" };
    const key = this.options.key;
    const body =
      encrypted && key && "SaleToPOIResponse" in reply.message
        ? JSON.stringify(encryptEnvelope(reply.message, key))
        : (text ?? JSON.stringify(reply.message));
    return { status: 200, body, headers: JSON_HEADERS };
  }
}

/** How a request that reached no terminal is kept in its entry: JSON text when it is JSON, else as given. */
function receivedAs(request: unknown): [text: string, json: boolean] {
  if (typeof request === "string") return [request, false];
  try {
    const text = JSON.stringify(request);
    if (typeof text === "string") return [text, true];
  } catch {
    // Not serialisable: shown as a description below.
  }
  return [String(request), false];
}

/** The JSON text of a reply (once, whoever needs it first: the log or the wire). */
function textOf(reply: TerminalReply): string | undefined {
  if (reply.kind === "empty") return undefined;
  reply.text ??= JSON.stringify(reply.message);
  return reply.text;
}

/** The cloud's answer for a terminal it cannot reach: Failure / UnreachableHost in the request's body. */
function unreachable(
  header: TerminalRequest["header"],
  bodyName: TerminalRequest["bodyName"],
  body: Json,
  details: Record<string, string>,
  now: number,
): TerminalReply {
  if (bodyName === "AbortRequest") return { kind: "empty" };
  return {
    kind: "json",
    message: responseMessage(header, bodyName, failureBody(bodyName, body, failure("UnreachableHost", details), now)),
  };
}

/** `Success`, `Failure/Busy`, `empty`, `reject`: the short outcome of a terminal's reply. */
export function outcomeOf(reply: TerminalReply): string {
  if (reply.kind === "empty") return "empty";
  const root = reply.message.SaleToPOIResponse as Json | undefined;
  if (!root) return "reject";
  // The first key but the header (as Object.entries would find it, without an array a key).
  let body: Json | undefined;
  for (const k in root) {
    if (k === "MessageHeader") continue;
    body = root[k] as Json | undefined;
    break;
  }
  const response = (body?.Response ??
    (body?.InputResult as Json | undefined)?.Response ??
    (body?.OutputResult as Json[] | undefined)?.[0]?.Response) as
    | { Result?: string; ErrorCondition?: string }
    | undefined;
  if (!response?.Result) return "answered";
  return response.ErrorCondition ? `${response.Result}/${response.ErrorCondition}` : response.Result;
}
