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
  /**
   * The most bytes of history kept, all terminals together: request logs (each request and answer
   * as its JSON text) and timelines; the oldest go first. Remembered transactions and ServiceIDs
   * may take a quarter of this more. Default 32 MiB.
   */
  historyBytes?: number;
  /**
   * The most terminals kept. A request for a new POIID at the limit makes room by forgetting the
   * least recently used quiet terminal (no dialogue, session, waiting screen or scripts); when every
   * terminal is busy it is answered Failure / UnreachableHost. Default 1000.
   */
  maxTerminals?: number;
  /** Called once per request when its answer is known (the CLI logs one line from it). */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * Manual shopper on every terminal from the start: inputs and payments wait for a person
   * (`shopper.respond`, `payments.present`, `payments.respond`), within the terminal's own time limits.
   */
  manualShopper?: boolean;
}

export interface Simulator {
  /** In-process: one request in, the answer out, no socket. `request` is the parsed JSON or the raw body text. */
  handle(request: unknown, context?: HandleContext): Promise<SimulatorAnswer>;
  /** The terminal with this POIID, created on first use (many at once, independent state). */
  terminal(poiid: string): SimulatedTerminalApi;
  /** POIIDs of every terminal created so far. */
  terminals(): string[];
  /** Serve over HTTP (node:http) on 127.0.0.1 unless told otherwise. */
  listen(options?: ListenOptions): Promise<SimulatorServer>;
  /**
   * Every change on every terminal (screens, requests and answers, state), as it happens: the one
   * event source the page and any other observer read. Returns the unsubscribe function.
   */
  subscribe(listener: (event: SimulatorEvent) => void): () => void;
  /** Resets every terminal (as `terminal.reset()` each); the POIIDs stay. */
  reset(): void;
  /** What the simulator keeps now, against its limits (`historyBytes`, `maxTerminals`). */
  memory(): SimulatorMemory;
  /**
   * Closes every server of this simulator and ends what is in flight: requests waiting for an answer
   * get `{dropped: true}`, a payment in progress is aborted, no timer is left (the process can exit).
   * Terminals, logs and timelines stay readable, and the simulator can be used again.
   */
  close(): Promise<void>;
}

/** What a simulator keeps, in bytes as its budgets count them (the JSON texts of requests and answers, and so on). */
export interface SimulatorMemory {
  /** Request logs and timelines, all terminals together, and their limit (`historyBytes`). */
  history: { bytes: number; limit: number };
  /** Remembered transactions and ServiceIDs, and their limit (a quarter of `historyBytes`). */
  remembered: { bytes: number; limit: number };
  terminals: { count: number; limit: number };
}

export interface ListenOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * The control API under `/__termflow/` (scripting, reset, inspection, events). Default: on when
   * the host is a loopback address or a token is given; never served on another host without a token.
   */
  control?: boolean;
  /** Require `Authorization: Bearer <token>` on every control call. */
  controlToken?: string;
  /** Serve the virtual-terminal page at `/` (loopback hosts only; needs the control API). */
  ui?: boolean;
  /**
   * How long a client may take: to send its headers (also the longest a new connection may stay
   * silent; default 10000 ms), its whole request (default 30000 ms), and to send the next request on
   * a kept-alive connection (default 5000 ms). Answers may take as long as the terminal takes.
   */
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number };
}

/** One change on one terminal, as `subscribe` delivers it. */
export type SimulatorEvent =
  | { type: "screen"; poiid: string; event: ScreenEvent }
  /** A request arrived (`entry` without its answer yet). */
  | { type: "request"; poiid: string; entry: RequestLogEntry }
  /** The answer of a request is known. */
  | { type: "answer"; poiid: string; entry: RequestLogEntry }
  /** Anything a page shows changed: screen, session, what the terminal waits for, scripts. */
  | { type: "state"; poiid: string; state: TerminalState }
  | { type: "reset"; poiid: string };

/** What a terminal waits for now. */
export type Waiting =
  | {
      for: "input";
      /** Clock time the input screen appeared, ms. */
      since: number;
      /** When MaxInputTime runs out, if the request set one. */
      deadline?: number;
      /** True when a person must answer (manual shopper). */
      manual: boolean;
      /** When the scripted shopper answers (automatic shopper). */
      answerAt?: number;
      screen: {
        kind: InputScreenKind;
        prompt: string;
        texts: string[];
        inputCommand: string;
        referenceId?: string;
        menu?: string[];
        defaultInput?: string;
        minSelections?: number;
        maxSelections?: number;
      };
    }
  | {
      /** `card`: waiting for a card (card acquisition); `authorisation`: card read, waiting for the acquirer. */
      for: "card" | "authorisation";
      since: number;
      /** The platform timeout: the payment is cancelled then. */
      deadline: number;
      manual: boolean;
      /** When the result comes (automatic shopper, or once the card was presented). */
      endsAt?: number;
      /** RequestedAmount as on the wire (0 for a card acquisition). */
      amount: number;
      /** TipAmount as on the wire, when the payment has one: the shopper is asked for amount + tip. */
      tip?: number;
      currency: string;
      brand?: string;
    };

/** A terminal's state now, as the control API's `GET /__termflow/terminals/{POIID}` returns it. */
export interface TerminalState {
  poiid: string;
  /** The simulator clock's time, ms (so a page can count down deadlines). */
  now: number;
  screen: ScreenEvent;
  session: { id: string; operations: Partial<Record<OperationType, number>> } | null;
  waiting: Waiting | null;
  manual: boolean;
  pending: { shopper: number; payments: number; faults: number };
}

/** A person's action that had nothing to act on is a value, not a throw. */
export type ActionResult = { ok: true } | { ok: false; message: string };

export interface HandleContext {
  /** `/sync` (default), `/v1/merchants/:merchant/devices/:poiid/sync` or `/nexo`. */
  path?: string;
  /** The X-API-Key header as received. */
  apiKey?: string;
}

export interface SimulatorServer {
  url: string;
  port: number;
  /**
   * Stops serving and closes every connection. Closing a simulator's last server ends its work in
   * flight as `Simulator.close()` does, so no timer keeps the process alive.
   */
  close(): Promise<void>;
}

// ---- the timeline --------------------------------------------------------------------------------

export type ScreenName = "idle" | "input" | "display" | "payment" | "acquisition" | "result" | "waiting";

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
  /** `amount` (RequestedAmount) and `tip` (TipAmount) as on the wire; the screen asks for both: askedToPay. */
  | { at: number; screen: "payment"; amount: number; tip?: number; currency: string; serviceId?: string }
  /** A CardAcquisitionRequest: "present your card" before the amount is final. */
  | { at: number; screen: "acquisition"; serviceId?: string }
  | {
      at: number;
      screen: "result";
      category: "Payment" | "CardAcquisition";
      result: Result;
      errorCondition?: ErrorCondition;
      /** A partial approval: what the card covered of what was asked, as people write it (`30.00 EUR`). */
      partly?: { paid: string; asked: string };
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
  /**
   * An answer as a person (or a scenario's `given`) writes it, fitted to the screen it meets: `true` /
   * `"yes"` confirms, `2` or `"Good"` picks a menu entry, `"0042"` is typed as digits, `"12.50"` as an amount.
   */
  | { value: ShopperValue }
) & { thinkMs?: number };

export type ShopperValue = string | number | boolean | Array<string | number>;

/** Shorthands: `"confirm"` = {confirm: true}, `"decline"` = {confirm: false}. */
export type ShopperAnswerLike = ShopperAnswer | "confirm" | "decline" | "cancel" | "noAnswer";

/** How one payment ends. `durationMs` overrides the default payment time. */
export type PaymentOutcome =
  /** `brand`: the card the shopper presents (a card acquisition reads it too); mc when absent. */
  | { outcome: "approve"; durationMs?: number; brand?: CardBrand }
  /**
   * A partial approval: the card covers only `authorised` (`"30.00"`, in the payment's currency).
   * Answered with Result Partial and that AuthorizedAmount; an amount not below what was asked
   * (amount and tip) approves in full, and one of nothing, or that the currency cannot hold, declines
   * (Refusal, not enough balance).
   */
  | { outcome: "partial"; authorised: string; durationMs?: number; brand?: CardBrand }
  | { outcome: "decline"; errorCondition?: ErrorCondition; reason?: string; durationMs?: number; brand?: CardBrand }
  | { outcome: "cancel"; durationMs?: number }
  | { outcome: "cardRemoved"; durationMs?: number }
  /** No result before the platform timeout (120 s local, 150 s cloud): Failure / Communication timeout. */
  | { outcome: "noAnswer" };

/** An outcome, or its name alone for the outcomes that need nothing more (a partial approval needs its amount). */
export type PaymentOutcomeLike = PaymentOutcome | Exclude<PaymentOutcome["outcome"], "partial">;

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
  /** Let this many matching requests pass first (`on 2nd payment` is `skip: 1`). Default 0. */
  skip?: number;
  /** Only AdminRequests that begin or end a session. */
  session?: "Begin" | "End";
}

/** Plain scripts for one terminal, as `termflow sim --script` hands them over (the calls they stand for). */
export interface TerminalScript {
  /** `shopper.answer(...answers)` */
  answers?: ShopperAnswerLike[];
  /** `shopper.when(prompt, answer, {times})` */
  when?: Array<{ prompt: string | RegExp; answer: ShopperAnswerLike; times?: number }>;
  /** `shopper.thinkTime(ms)` */
  thinkMs?: number;
  /** `payments.next(...outcomes)` */
  payments?: PaymentOutcomeLike[];
  /** `faults.inject(fault, options)` */
  faults?: Array<{ fault: Fault; options?: FaultOptions }>;
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
  /** Screen, session, what the terminal waits for, scripts pending. */
  state(): TerminalState;
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
  /** Manual shopper: input screens and payments wait for a person. `manual()` = on. */
  manual(on?: boolean): this;
  /** Answers the input screen showing now (manual or not). */
  respond(answer: ShopperAnswerLike): ActionResult;
}

export interface PaymentScriptApi {
  /** Queue outcomes, used in order by the next payments (before the decline-by-amount rule). */
  next(...outcomes: PaymentOutcomeLike[]): this;
  /** Default payment time, ms. */
  duration(ms: number): this;
  pending(): number;
  reset(): void;
  /**
   * A person presents a card (of this brand, default `mc`) to the payment waiting for one: the
   * outcome is the next scripted one, else the amount rule, after the payment time.
   */
  present(card?: { brand?: CardBrand }): ActionResult;
  /** A person ends the payment waiting for a card with this outcome, at once. */
  respond(outcome: PaymentOutcomeLike, card?: { brand?: CardBrand }): ActionResult;
}

/** The card brands a person can present (PaymentBrand / cardType on the wire). */
export type CardBrand = "mc" | "visa" | "amex" | "maestro";

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
