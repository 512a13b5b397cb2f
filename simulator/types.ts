/**
 * The simulator's public types: options, answers, the screen timeline, the request log and the
 * scripting vocabulary (shopper answers, payment outcomes, faults). docs/simulator.md explains them.
 */
import type { Clock } from "../protocol/index.js";
import type { NexoKey } from "../protocol/index.js";
import type { ErrorCondition, MessageCategory, OperationType, RequestBodyName, Result } from "../protocol/index.js";

/** `body` is the exact response text ("" for the abort's empty answer); `dropped` = connection reset. */
export type SimulatorAnswer = { status: number; body: string; headers?: Record<string, string> } | { dropped: true };

/** Where a request came in: decides the platform timeout (local 120 s, cloud 150 s) and checks. */
export type Channel = "local" | "cloud";

export interface SimulatorOptions {
  /** Default systemClock. Tests pass a VirtualClock. */
  clock?: Clock;
  /** When set, the cloud paths (`/sync`, `/v1/.../sync`) require `X-API-Key` equal to it. */
  apiKey?: string;
  /** When set, `/nexo` accepts only requests encrypted with this key and answers encrypted. */
  key?: NexoKey;
  /** Default shopper think time before answering an input, ms. Default 1000. */
  thinkTimeMs?: number;
  /** Default time from PaymentRequest to its result (card presented, authorised), ms. Default 3000. */
  paymentMs?: number;
  /** How long the result screen of a payment stays before the terminal returns to idle, ms. Default 3000. */
  resultScreenMs?: number;
  /** Reject a ServiceID the terminal has seen from the same SaleID within 48 h. Default true. */
  uniqueServiceIds?: boolean;
  /**
   * The POIIDs of the terminals this simulator has, created at start. Requests for any other POIID get
   * Failure / UnreachableHost, as the cloud answers for a terminal that is not connected. Default: any
   * POIID is a terminal, created on first use.
   */
  terminals?: string[];
  /** Called once per request when its answer is known (the CLI logs one line from it). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface Simulator {
  /** In-process: one request in, the answer out, no socket. `request` is the parsed JSON or the raw body text. */
  handle(request: unknown, context?: HandleContext): Promise<SimulatorAnswer>;
  /** The terminal with this POIID, created on first use (many at once, independent state). */
  terminal(poiid: string): SimulatedTerminalApi;
  /** POIIDs of every terminal created so far. */
  terminals(): string[];
  /** Serve over HTTP (node:http) on 127.0.0.1 unless told otherwise. */
  listen(options?: { port?: number; host?: string }): Promise<SimulatorServer>;
}

export interface HandleContext {
  /** `/sync` (default), `/v1/merchants/:merchant/devices/:poiid/sync` or `/nexo`. */
  path?: string;
  /** The X-API-Key header as received. */
  apiKey?: string;
}

export interface SimulatorServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

// ---- the timeline --------------------------------------------------------------------------------

export type ScreenName = "idle" | "input" | "display" | "payment" | "result" | "waiting";

/** One screen change on a terminal, at the clock's time in ms since the epoch. */
export type ScreenEvent =
  | { at: number; screen: "idle"; reason: string }
  | {
      at: number;
      screen: "input";
      /** The screen's first text (its title), "" when none. */
      prompt: string;
      /** Every OutputText of the screen, in order. */
      texts: string[];
      /** confirmation, signature, menu, digits, phone, amount, text, rating, anykey, scan, other */
      kind: InputScreenKind;
      referenceId?: string;
      inputCommand?: string;
      /** Menu button labels, for menu screens. */
      menu?: string[];
      serviceId?: string;
    }
  | { at: number; screen: "display"; text: string; texts: string[]; serviceId?: string }
  | { at: number; screen: "payment"; amount: number; currency: string; serviceId?: string }
  | {
      at: number;
      screen: "result";
      category: "Payment";
      result: Result;
      errorCondition?: ErrorCondition;
      serviceId?: string;
    }
  | {
      at: number;
      screen: "waiting";
      timeoutMs: number;
      /** The request type whose completion started it: InputRequest, DisplayRequest or Payment. */
      after: OperationType;
      sessionId: string;
      serviceId?: string;
    };

export type InputScreenKind =
  | "confirmation"
  | "signature"
  | "menu"
  | "digits"
  | "phone"
  | "amount"
  | "text"
  | "rating"
  | "anykey"
  | "scan"
  | "other";

// ---- the request log -----------------------------------------------------------------------------

/** One request a terminal received, with its answer once known. */
export interface RequestLogEntry {
  /** Clock time of arrival, ms. */
  at: number;
  /** Clock time the answer was sent, ms (undefined while pending). */
  answeredAt?: number;
  poiid: string;
  channel: Channel;
  /** The body key: `PaymentRequest`, `AdminRequest`, ... (or the unsupported key as sent; `encrypted` when undecryptable). */
  body: string;
  category: MessageCategory;
  serviceId?: string;
  saleId?: string;
  /** The decrypted request as the terminal read it. */
  request: unknown;
  /** For AdminRequests: the decoded ServiceIdentification session, when readable. */
  session?: { id: string; type: string };
  /**
   * `Success`, `Failure/Busy`, `empty` (abort), `dropped`, `http 500`, `malformed`, `reject` ...:
   * one word a log line or an assertion can use.
   */
  outcome?: string;
  /** The response JSON the terminal produced (before faults and encryption); undefined for empty answers. */
  response?: unknown;
  /** The faults that touched this request. */
  faults?: string[];
}

// ---- scripting -----------------------------------------------------------------------------------

/** How a shopper answers one input screen. `thinkMs` overrides the default think time. */
export type ShopperAnswer = (
  | { confirm: boolean }
  /** Menu: 1-based button numbers or button labels. */
  | { select: number | string | Array<number | string> }
  | { digits: string }
  | { amount: string }
  | { text: string }
  | { cancel: true }
  /** Never answers: the input fails when MaxInputTime runs out (or waits for the POS). */
  | { noAnswer: true }
) & { thinkMs?: number };

/** Shorthands: `"confirm"` = {confirm: true}, `"decline"` = {confirm: false}. */
export type ShopperAnswerLike = ShopperAnswer | "confirm" | "decline" | "cancel" | "noAnswer";

/** How one payment ends. `durationMs` overrides the default payment time. */
export type PaymentOutcome =
  | { outcome: "approve"; durationMs?: number }
  | { outcome: "decline"; errorCondition?: ErrorCondition; reason?: string; durationMs?: number }
  | { outcome: "cancel"; durationMs?: number }
  | { outcome: "cardRemoved"; durationMs?: number }
  /** No result before the platform timeout (120 s local, 150 s cloud): Failure / Communication timeout. */
  | { outcome: "noAnswer" };

export type PaymentOutcomeLike = PaymentOutcome | PaymentOutcome["outcome"];

/** What goes wrong with a request on its way in or out. */
export type Fault =
  /** Answer late by `ms` (the request is processed at once). */
  | { kind: "delay"; ms: number }
  /** Reset the connection. `processed` (default true): the terminal handled the request first. */
  | { kind: "drop"; processed?: boolean }
  /** HTTP 500. `processed` (default false): the terminal never saw the request. */
  | { kind: "http500"; processed?: boolean }
  /** Answer with a truncated, unparsable body after processing the request. */
  | { kind: "malformed" }
  /** Answer Failure / Busy without processing, as if another POS held the terminal. */
  | { kind: "busy" };

export interface FaultOptions {
  /** How many matching requests it applies to. Default 1; Infinity for all. */
  times?: number;
  /** Only requests of this MessageCategory (`Payment`) or body (`PaymentRequest`). */
  category?: MessageCategory | RequestBodyName;
}

/** The scripting and inspection surface of one simulated terminal. */
export interface SimulatedTerminalApi {
  readonly poiid: string;
  /** Every screen change so far, oldest first. */
  timeline(): ScreenEvent[];
  /** The screen showing now. */
  screen(): ScreenEvent;
  /** The open waiting-screen session, or null. */
  readonly session: { id: string; operations: Partial<Record<OperationType, number>> } | null;
  readonly shopper: ShopperScriptApi;
  readonly payments: PaymentScriptApi;
  readonly faults: FaultScriptApi;
  /** Every request received, oldest first, with its answer once known. */
  requests(): RequestLogEntry[];
  /** Clears scripts, log, timeline, session and transactions; aborts nothing in flight. */
  reset(): void;
}

export interface ShopperScriptApi {
  /** Queue answers, used in order by the next input screens. */
  answer(...answers: ShopperAnswerLike[]): this;
  /** Answer screens whose text contains `prompt` (case-insensitive) or matches it; checked before the queue. */
  when(prompt: string | RegExp, answer: ShopperAnswerLike, options?: { times?: number }): this;
  /** Default think time, ms. */
  thinkTime(ms: number): this;
  /** Answers queued and not used yet. */
  pending(): number;
  reset(): void;
}

export interface PaymentScriptApi {
  /** Queue outcomes, used in order by the next payments (before the decline-by-amount rule). */
  next(...outcomes: PaymentOutcomeLike[]): this;
  /** Default payment time, ms. */
  duration(ms: number): this;
  pending(): number;
  reset(): void;
}

export interface FaultScriptApi {
  inject(fault: Fault, options?: FaultOptions): this;
  delay(ms: number, options?: FaultOptions): this;
  drop(options?: FaultOptions & { processed?: boolean }): this;
  http500(options?: FaultOptions & { processed?: boolean }): this;
  malformed(options?: FaultOptions): this;
  busy(options?: FaultOptions): this;
  pending(): number;
  reset(): void;
}
