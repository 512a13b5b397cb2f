/** What a run produces: its status, per-step results, captures, timings and the messages exchanged. */
import type { Span, StepKind, Diagnostic, Money, Outcome, PayCapture } from "../language/index.js";
import type { Result } from "../protocol/index.js";
import type { Value } from "./values.js";

/**
 * - `passed`: every step passed and every session ended.
 * - `failed`: the terminal answered Failure (not inspected by the flow) or an `expect` was false.
 * - `error`: a transport or configuration problem (unreachable, timeout, unreadable answer).
 * - `cancelled`: the AbortSignal fired (SIGINT/SIGTERM in the CLI); open sessions were ended. A
 *   payment in flight was settled first: read `payments` for what the terminal did with it.
 * - `invalid`: the run could not start (missing param, a flow that does not check clean).
 */
export type RunStatus = "passed" | "failed" | "error" | "cancelled" | "invalid";

export type StepStatus = "passed" | "failed" | "cancelled";

/** The terminal's answer to a step's request, decoded. */
export interface StepAnswer {
  result: Result;
  errorCondition?: string;
  additionalResponse?: Record<string, string>;
}

export interface StepResult {
  /**
   * Where the step sits: `2`, `2.1` (first step inside step 2), `3.else.1`, `4#2.1` (step 4's loop,
   * 2nd time round), `5.declined.1` (the first step of step 5's `on declined` handler), `5@2` (step 5
   * tried again by its handler).
   */
  path: string;
  kind: StepKind;
  /** One line for people: `input confirm "Split the bill?"`. */
  label: string;
  span: Span;
  status: StepStatus;
  /** Clock time the step started, ms since the epoch. */
  startedAt: number;
  durationMs: number;
  /** What `as name` captured. */
  capture?: { name: string; value: Value };
  answer?: StepAnswer;
  /** `if`: the branch that ran (`none`: false condition, no else). */
  branch?: "then" | "else" | "none";
  /** For a loop (`for`, `repeat`): how many times its body ran (its steps' paths are `<path>#<n>.<step>`). */
  iterations?: number;
  /**
   * The way the step failed when one of its handlers took it (`on declined`): the step passed (its
   * `diagnostic` is the failure, as a warning) and the handler's steps ran as `<path>.<outcome>.<n>`.
   */
  handled?: Outcome;
  /** When a handler tried the step again: which try this is (2 for the first retry; path `<path>@2`). */
  attempt?: number;
  /**
   * Why the step failed. Also set on a passed step whose terminal Failure the flow inspects through
   * its capture (severity `warning`): the run goes on and the flow decides.
   */
  diagnostic?: Diagnostic;
}

/** One message on the wire, in order. */
export interface MessageRecord {
  direction: "request" | "response";
  /** Clock time, ms since the epoch. */
  at: number;
  /** The ServiceID of the request (the answer carries its request's). */
  serviceId: string;
  /** `AdminRequest`, `PaymentResponse`, `(empty)`, `(no answer)`. */
  name: string;
  /** The request as sent, or the answer as received (decrypted); undefined for an empty body. */
  json?: unknown;
  /** Responses that did not arrive or could not be read: why. */
  error?: string;
}

/**
 * One payment the run sent, with the outcome the terminal gave (never guessed): its answer, the
 * answer repeated by a TransactionStatus request, or `unknown` when neither could be had.
 */
export interface PaymentRecord extends PayCapture {
  /** The pay step. */
  path: string;
  /** The PaymentRequest's ServiceID: what a TransactionStatus request or the Customer Area looks up. */
  serviceId: string;
  /** SaleTransactionID.TransactionID as sent (the flow's `ref` or a generated one). */
  reference: string;
  /** The amount asked for, the tip included. */
  requestedAmount: Money;
  /** How the outcome became known: the payment's own answer, or the one a status request repeated. */
  via: "answer" | "status" | "none";
  /** The run was cancelled while the payment was in flight (the outcome is still the terminal's). */
  afterCancel: boolean;
}

export interface RunResult {
  status: RunStatus;
  /** The flow's name, when it has one. */
  flow?: string;
  steps: StepResult[];
  /** Params and captures by name, as the flow last saw them. */
  captures: Record<string, Value>;
  /** Every payment sent, in order, with the terminal's outcome: read this, not `status`, for money. */
  payments: PaymentRecord[];
  messages: MessageRecord[];
  /** Errors that made the run fail (empty when passed). */
  diagnostics: Diagnostic[];
  /** Things worth knowing that did not fail the run (a throwing event listener, a tolerated decline). */
  warnings: Diagnostic[];
  startedAt: number;
  endedAt: number;
  durationMs: number;
}
