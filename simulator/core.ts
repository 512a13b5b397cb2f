/**
 * The simulator without sockets: routes a request by path, checks the API key, decrypts, reads the
 * envelope, applies injected faults, lets the terminal answer and encodes that answer.
 */
import { systemClock, type Clock } from "../protocol/index.js";
import { decryptEnvelope, encryptEnvelope, GENERIC_CRYPTO_ERROR, isEncryptedMessage } from "../protocol/index.js";
import { readEnvelope } from "./envelope.js";
import { describeFault } from "./faults.js";
import { failure, failureBody, rejectNotification, responseMessage } from "./replies.js";
import { SimulatedTerminal, type TerminalReply, type TerminalRequest } from "./terminal.js";
import { SimulatorTimers } from "./timers.js";
import { EventEmitter } from "eventemitter3";
import type {
  Channel,
  Fault,
  HandleContext,
  RequestLogEntry,
  SimulatorAnswer,
  SimulatorEvent,
  SimulatorOptions,
} from "./types.js";

type Json = Record<string, unknown>;

const JSON_HEADERS = { "content-type": "application/json" };

/** What one `handle` call learnt about its request, for the single `onRequest` notification. */
interface Call {
  entry?: RequestLogEntry;
  /** The simulator stopped while this request was in flight: its answer goes nowhere. */
  stopped?: boolean;
}

/** JSON nested deeper than this is refused: no nexo message comes near it (its deepest is about 8). */
export const MAX_JSON_DEPTH = 64;

export type Route =
  | { kind: "route"; channel: Channel; poiid?: string }
  | { kind: "not-found" }
  | { kind: "bad-path"; message: string };

/** Where a path goes: a channel (and the device path's POIID), or why nowhere. */
export function routeOf(path: string): Route {
  const clean = path.split("?")[0].replace(/\/+$/, "") || "/";
  if (clean === "/sync") return { kind: "route", channel: "cloud" };
  if (clean === "/nexo") return { kind: "route", channel: "local" };
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
  return { status, body: JSON.stringify({ ...extra, errors }), headers: { ...JSON_HEADERS } };
}

/** The shared state and request path of one simulator. */
export class SimulatorCore {
  readonly clock: Clock;
  private readonly timers: SimulatorTimers;
  /** How to end each request in flight when the simulator stops. */
  private readonly inFlight = new Set<() => void>();
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

  private publish(event: SimulatorEvent): void {
    if (this.events.listenerCount("change") > 0) this.events.emit("change", event);
  }

  reset(): void {
    for (const t of this.terminalsById.values()) t.reset();
  }

  constructor(readonly options: SimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = new SimulatorTimers(this.clock);
    for (const poiid of options.terminals ?? []) this.terminal(poiid);
  }

  terminal(poiid: string): SimulatedTerminal {
    let t = this.terminalsById.get(poiid);
    if (!t) {
      t = new SimulatedTerminal(poiid, {
        clock: this.clock,
        timers: this.timers,
        thinkTimeMs: this.options.thinkTimeMs ?? 1000,
        paymentMs: this.options.paymentMs ?? 3000,
        resultScreenMs: this.options.resultScreenMs ?? 3000,
        uniqueServiceIds: this.options.uniqueServiceIds ?? true,
        manualShopper: this.options.manualShopper ?? false,
        publish: (event) => this.publish(event),
        listening: () => this.events.listenerCount("change") > 0,
      });
      this.terminalsById.set(poiid, t);
      if (this.events.listenerCount("change") > 0) this.publish({ type: "state", poiid, state: t.state() });
    }
    return t;
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
    for (const end of [...this.inFlight]) end();
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

  /** The answer of `work`, or `{dropped: true}` if the simulator stops first. */
  private untilStopped(work: Promise<SimulatorAnswer>, call: Call): Promise<SimulatorAnswer> {
    return new Promise((resolve, reject) => {
      const end = () => {
        this.inFlight.delete(end);
        call.stopped = true;
        if (call.entry && call.entry.outcome === undefined) {
          call.entry.outcome = "dropped (simulator stopped)";
          call.entry.answeredAt = this.clock.now();
        }
        resolve({ dropped: true });
      };
      this.inFlight.add(end);
      work.then(
        (answer) => {
          this.inFlight.delete(end);
          resolve(answer);
        },
        (error: unknown) => {
          this.inFlight.delete(end);
          reject(error);
        },
      );
    });
  }

  async handle(request: unknown, context: HandleContext = {}): Promise<SimulatorAnswer> {
    const call: Call = {};
    let answer: SimulatorAnswer;
    try {
      answer = await this.untilStopped(this.handleUnsafe(request, context, call), call);
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
  private refusal(path: string, answer: SimulatorAnswer, request: unknown): RequestLogEntry {
    const route = routeOf(path);
    const now = this.clock.now();
    return {
      at: now,
      answeredAt: now,
      poiid: (route.kind === "route" && route.poiid) || "N/A",
      channel: route.kind === "route" ? route.channel : "cloud",
      body: "unknown",
      category: "unknown",
      request,
      outcome: "dropped" in answer ? "dropped" : `http ${answer.status}`,
    };
  }

  private notify(entry: RequestLogEntry): void {
    if (this.events.listenerCount("change") > 0 && this.terminalsById.has(entry.poiid))
      this.publish({ type: "answer", poiid: entry.poiid, entry: { ...entry } });
    try {
      this.options.onRequest?.(entry);
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
    if (channel === "cloud" && this.options.apiKey !== undefined && context.apiKey !== this.options.apiKey) {
      return {
        status: 401,
        body: JSON.stringify({
          status: 401,
          errorCode: "000",
          message: "HTTP Status Response - Unauthorized",
          errorType: "security",
        }),
        headers: { ...JSON_HEADERS },
      };
    }

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
      rawText = text ?? JSON.stringify(request);
    } catch (error) {
      return httpError(400, [`The request is not JSON: ${(error as Error).message}`]);
    }

    // Local encryption: decrypt first, answer encrypted.
    const key = this.options.key;
    let encrypted = false;
    if (isEncryptedMessage(value)) {
      if (!key) {
        return this.refusedEncrypted(
          call,
          value,
          channel,
          route.poiid,
          httpError(400, [
            "This simulator has no key configured, so it cannot decrypt this encrypted request (NexoBlob): " +
              "start it with --key-id, --key-version and --passphrase-env (createSimulator({key}) in-process), or send cleartext",
          ]),
        );
      }
      const decrypted = decryptEnvelope(value, key);
      if (!decrypted.ok || decrypted.root !== "SaleToPOIRequest")
        return this.refusedEncrypted(call, value, channel, route.poiid, httpError(400, [GENERIC_CRYPTO_ERROR]));
      value = decrypted.message;
      encrypted = true;
      if (nestedDeeperThan(value, MAX_JSON_DEPTH))
        return this.reject(call, `Input is nested deeper than ${MAX_JSON_DEPTH} levels`, rawText, channel, route.poiid);
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
      if (typeof poiid === "string" && poiid) {
        const entry = this.terminal(poiid).record(
          this.entry(poiid, channel, envelope.bodyName ?? "unknown", envelope.header, value),
        );
        entry.outcome = "reject";
        entry.answeredAt = this.clock.now();
        entry.response = rejectNotification(envelope.details, rawText, this.clock.now(), envelope.header, route.poiid);
        call.entry = entry;
        return this.encode({ kind: "json", message: entry.response as Json }, encrypted);
      }
      return this.reject(call, envelope.details, rawText, channel, route.poiid, envelope.header);
    }

    const known = this.options.terminals;
    if (known && !known.includes(envelope.header.POIID)) {
      const details = {
        message: `Terminal ${envelope.header.POIID} is not reachable: this simulator has ${known.join(", ")}`,
      };
      const reply = unreachable(envelope.header, envelope.bodyName, envelope.body, details, this.clock.now());
      call.entry = {
        ...this.entry(envelope.header.POIID, channel, envelope.bodyName, envelope.header, value),
        answeredAt: this.clock.now(),
        outcome: outcomeOf(reply),
        response: reply.kind === "json" ? reply.message : undefined,
      };
      return this.encode(reply, encrypted);
    }
    const terminal = this.terminal(envelope.header.POIID);
    const entry = terminal.record(
      this.entry(envelope.header.POIID, channel, envelope.bodyName, envelope.header, value),
    );
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
    entry.faults = faults.length ? faults.map(describeFault) : undefined;
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
      const good = this.encode(reply, encrypted);
      const body =
        "status" in good && good.body
          ? good.body.slice(0, Math.max(1, Math.floor(good.body.length / 2)))
          : '{"SaleToPOIResp';
      return this.finishFault(
        call,
        "malformed",
        find("delay"),
        { status: 200, body, headers: { ...JSON_HEADERS } },
        reply,
      );
    }
    return this.finish(call, reply, faults, encrypted);
  }

  /**
   * The log entry of an encrypted request no terminal could read (no key, or it did not decrypt):
   * POIID, category, ServiceID and SaleID from its clear MessageHeader copy, body `encrypted`.
   */
  private refusedEncrypted(
    call: Call,
    value: unknown,
    channel: Channel,
    pathPoiid: string | undefined,
    answer: SimulatorAnswer,
  ): SimulatorAnswer {
    const clear = (value as { SaleToPOIRequest?: { MessageHeader?: unknown } }).SaleToPOIRequest?.MessageHeader;
    const header = typeof clear === "object" && clear !== null ? (clear as Record<string, unknown>) : {};
    const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);
    const now = this.clock.now();
    call.entry = {
      at: now,
      answeredAt: now,
      poiid: pathPoiid ?? text(header.POIID) ?? "N/A",
      channel,
      body: "encrypted",
      category: text(header.MessageCategory) ?? "unknown",
      serviceId: text(header.ServiceID),
      saleId: text(header.SaleID),
      request: value,
      outcome: "dropped" in answer ? "dropped" : `http ${answer.status}`,
    };
    return answer;
  }

  private entry(
    poiid: string,
    channel: Channel,
    body: string,
    header: Partial<TerminalRequest["header"]> | undefined,
    request: unknown,
  ): RequestLogEntry {
    const entry: RequestLogEntry = {
      at: this.clock.now(),
      poiid,
      channel,
      body,
      category: header?.MessageCategory ?? "unknown",
      serviceId: header?.ServiceID,
      saleId: header?.SaleID,
      request,
    };
    const si = (request as { SaleToPOIRequest?: { AdminRequest?: { ServiceIdentification?: unknown } } })
      ?.SaleToPOIRequest?.AdminRequest?.ServiceIdentification;
    if (typeof si === "string") {
      try {
        const session = JSON.parse(Buffer.from(si, "base64").toString("utf8"))?.Session;
        if (session && (typeof session.Id === "string" || typeof session.Id === "number")) {
          entry.session = { id: String(session.Id), type: String(session.Type) };
        }
      } catch {
        // Unreadable ServiceIdentification: the terminal's answer says why.
      }
    }
    return entry;
  }

  private async finish(
    call: Call,
    reply: TerminalReply,
    faults: Fault[],
    encrypted: boolean,
  ): Promise<SimulatorAnswer> {
    const delay = faults.find((f): f is Extract<Fault, { kind: "delay" }> => f.kind === "delay");
    if (delay) await this.timers.sleep(delay.ms);
    const entry = call.entry!;
    if (call.stopped) return { dropped: true };
    entry.answeredAt = this.clock.now();
    entry.response = reply.kind === "json" ? reply.message : undefined;
    entry.outcome = outcomeOf(reply);
    return this.encode(reply, encrypted);
  }

  private async finishFault(
    call: Call,
    outcome: string,
    delay: Extract<Fault, { kind: "delay" }> | undefined,
    answer: SimulatorAnswer,
    reply?: TerminalReply,
  ): Promise<SimulatorAnswer> {
    if (delay) await this.timers.sleep(delay.ms);
    const entry = call.entry!;
    if (call.stopped) return { dropped: true };
    entry.answeredAt = this.clock.now();
    entry.response = reply?.kind === "json" ? reply.message : undefined;
    entry.outcome = reply ? `${outcome} (processed: ${outcomeOf(reply)})` : outcome;
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
    const message = rejectNotification(details, rawText, this.clock.now(), header, poiid);
    call.entry = {
      at: this.clock.now(),
      answeredAt: this.clock.now(),
      poiid: poiid ?? "N/A",
      channel,
      body: "unknown",
      category: "unknown",
      request: rawText,
      outcome: "reject",
      response: message,
    };
    return { status: 200, body: JSON.stringify(message), headers: { ...JSON_HEADERS } };
  }

  private encode(reply: TerminalReply, encrypted: boolean): SimulatorAnswer {
    if (reply.kind === "empty") return { status: 200, body: "" };
    const key = this.options.key;
    const message =
      encrypted && key && "SaleToPOIResponse" in reply.message ? encryptEnvelope(reply.message, key) : reply.message;
    return { status: 200, body: JSON.stringify(message), headers: { ...JSON_HEADERS } };
  }
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
  const body = Object.entries(root).find(([k]) => k !== "MessageHeader")?.[1] as Json | undefined;
  const response = (body?.Response ??
    (body?.InputResult as Json | undefined)?.Response ??
    (body?.OutputResult as Json[] | undefined)?.[0]?.Response) as
    | { Result?: string; ErrorCondition?: string }
    | undefined;
  if (!response?.Result) return "answered";
  return response.ErrorCondition ? `${response.Result}/${response.ErrorCondition}` : response.Result;
}
