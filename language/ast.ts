/**
 * The one AST of termflow. Both front ends (the mini-language and YAML) produce it, the checks read
 * it, the printers write it back, and the runtime executes it. Nothing here says which syntax a flow
 * came from: a node built from YAML and one built from text differ only in their spans.
 *
 * Conventions every front end honours:
 * - the AST is never partial: every node has every field its type says. A source with syntax
 *   errors gives the statements that could be read whole and leaves the others out (their errors
 *   say why), so checks, printers and the runtime can trust the types;
 * - every node has a `span` into the source it came from;
 * - money is integer minor units plus the source text, never a float (a money literal keeps both);
 * - durations are integer milliseconds plus the source text (`5s`, `5000`, `250ms`).
 */

/** A point in a source file: 1-based line and column, 0-based UTF-16 offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range [start, end) in one source file. */
export interface Span {
  file: string;
  start: Position;
  end: Position;
}

/** A whole flow file. */
export interface Flow {
  kind: "flow";
  /** `flow "Pay at table"` / `flow: Pay at table`. */
  name?: StringLiteral;
  /** Values the caller supplies (`--var k=v`, `runFlow(..., {vars})`), optionally with defaults. */
  params: Param[];
  steps: Step[];
  span: Span;
}

/**
 * `param table`, `param table = "12"`, `param total: money = 100.00 EUR`, `param guests: number`:
 * a name the caller may set; without a default it must. A default fixes the type (a money default
 * its currency too); without type or default the param takes the caller's text as it is.
 */
export interface Param {
  kind: "param";
  name: Identifier;
  /** The declared type, when written (`: money`). */
  type?: TypeName;
  default?: Literal;
  span: Span;
}

/** The types a param can be declared with. */
export const PARAM_TYPES = ["money", "number", "string", "boolean"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** `money` in `param total: money`. */
export interface TypeName {
  kind: "type";
  name: ParamType;
  span: Span;
}

export type Step =
  | SessionStep
  | InputStep
  | DisplayStep
  | PayStep
  | RefundStep
  | PrintStep
  | AcquireStep
  | StatusStep
  | CallStep
  | WaitStep
  | ExpectStep
  | IfStep
  | ForStep
  | RepeatStep;
export type StepKind = Step["kind"];

/** The request types a waiting-screen session can cover, in their canonical order. */
export const REQUEST_TYPES = ["input", "display", "payment"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/**
 * `session waiting 5000 [on input, display] [id "S1"] < ... >` or
 * `session waiting input 15000, display 10000 < ... >`.
 * Runs its steps between an Admin Begin and an Admin End (always sent once Begin succeeded).
 */
export interface SessionStep {
  kind: "session";
  /** One entry per request type that gets a waiting screen, in REQUEST_TYPES order, no repeats. */
  waiting: WaitingScreen[];
  /** The session's Id on the wire (it may interpolate: `"table-${table}"`); the runtime makes one when absent. */
  id?: Template;
  steps: Step[];
  span: Span;
}

export interface WaitingScreen {
  request: RequestType;
  timeout: Duration;
  span: Span;
}

export const INPUT_KINDS = ["confirm", "digits", "text", "amount", "phone", "signature", "menu"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/**
 * `input confirm "Split the bill?" within 30s as split`, `input menu "Rate us" ["Good", "Bad"]`,
 * `input amount "Tip?" in EUR as tip`.
 */
export interface InputStep {
  kind: "input";
  input: InputKind;
  prompt: Template;
  /** Menu entries; present exactly when `input` is "menu". */
  entries?: Template[];
  /** `in EUR`: the currency of an `input amount` answer (only on amounts). */
  currency?: Currency;
  /** The shopper's time limit (MaxInputTime on the wire, in seconds). */
  within?: Duration;
  /** Capture name for the shopper's answer. */
  as?: Identifier;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

/** `display "Thanks" [for 3s]` or `display idle`. */
export interface DisplayStep {
  kind: "display";
  content: DisplayContent;
  /** Minimum display time (MinimumDisplayTime on the wire, in seconds). */
  for?: Duration;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

export type DisplayContent = { kind: "text"; text: Template; span: Span } | { kind: "idle"; span: Span };

/** `pay 12.50 EUR [tip 2.00 EUR] [ref "table-7"] [as payment]`, `pay share tip share * 10%`. */
export interface PayStep {
  kind: "pay";
  /** Any money expression: `12.50 EUR`, `total`, `split_total / guests`. */
  amount: Expression;
  /** A money expression in the payment's currency. */
  tip?: Expression;
  /** Our transaction reference (SaleTransactionID.TransactionID); the runtime makes one when absent. */
  ref?: Template;
  /** `with card`: the card acquisition (`acquire card ... as card`) this payment continues. */
  with?: Reference;
  /**
   * `within 90s`: the POS gives up after this long: AbortRequest, then TransactionStatus until the
   * payment is settled (never a second payment).
   */
  within?: Duration;
  as?: Identifier;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

/**
 * `refund p` (referenced: a ReversalRequest of payment capture `p`, its whole amount),
 * `refund p 5.00 EUR as r` (partial: ReversedAmount), `refund 5.00 EUR as r` (unreferenced: a
 * PaymentRequest with PaymentType Refund). At least one of `payment` and `amount` is present.
 */
export interface RefundStep {
  kind: "refund";
  /** The payment capture refunded; absent for an unreferenced refund. */
  payment?: Reference;
  /** The amount: a money expression; absent for a full referenced refund. */
  amount?: Expression;
  as?: Identifier;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

/** The two receipts of a payment (DocumentQualifier CustomerReceipt / CashierReceipt). */
export const RECEIPT_COPIES = ["customer", "cashier"] as const;
export type ReceiptCopy = (typeof RECEIPT_COPIES)[number];

/** `print receipt p [cashier]` or `print "Table 7" "Thank you"`: a PrintRequest. */
export interface PrintStep {
  kind: "print";
  content: PrintContent;
  as?: Identifier;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

export type PrintContent =
  | { kind: "receipt"; payment: Reference; copy: ReceiptCopy; span: Span }
  | { kind: "lines"; lines: Template[]; span: Span };

/**
 * `acquire card [within 30s] [as card]`: a CardAcquisitionRequest, reading the card before the
 * amount is final. An acquisition is always closed: by the payment that continues it
 * (`pay ... with card`), else by an EnableServiceRequest AbortTransaction the runtime sends when
 * the enclosing session ends or, outside sessions, when the flow ends (also when a step failed).
 */
export interface AcquireStep {
  kind: "acquire";
  /** The POS gives up after this long (AbortRequest of the acquisition). */
  within?: Duration;
  as?: Identifier;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

/** `status p as s`: a TransactionStatusRequest for the payment of capture `p`. */
export interface StatusStep {
  kind: "status";
  payment: Reference;
  as?: Identifier;
  /** `on declined { ... }`: what happens when the step fails that way (absent: none). */
  handlers?: Handler[];
  span: Span;
}

/**
 * `call "shared/tip.flow" with bill = total as t`: runs another flow file with values for its
 * params, and captures what that flow captured (`t.tip`). The path is relative to the calling file;
 * a YAML flow may call a text flow and the other way round. The front end reads the called files
 * (through the files it is given) and checks the whole program: see language/calls/.
 */
export interface CallStep {
  kind: "call";
  /** The called file, as written. */
  flow: StringLiteral;
  /** `with name = value, ...`: a value for each param of the called flow, in the order written. */
  with: CallArgument[];
  /** Capture name for the called flow's captures (a record: `t.tip`). */
  as?: Identifier;
  span: Span;
}

/** `bill = total` in `call ... with bill = total`: a param of the called flow and its value. */
export interface CallArgument {
  kind: "argument";
  name: Identifier;
  value: Expression;
  span: Span;
}

/** The steps that send a request and can fail in ways a handler names (`on declined { ... }`). */
export type RequestStep = InputStep | DisplayStep | PayStep | RefundStep | PrintStep | AcquireStep | StatusStep;
export const REQUEST_STEP_KINDS = ["input", "display", "pay", "refund", "print", "acquire", "status"] as const;
export type RequestStepKind = (typeof REQUEST_STEP_KINDS)[number];

/**
 * How a request step can fail, as a handler names it: `declined` (the issuer refused a payment),
 * `refused` (the terminal refused a refund), `cancelled` (the shopper, or an abort, cancelled),
 * `timeout` (no answer within `within`), `failed` (any other Failure the terminal answered). An
 * unknown payment outcome is none of them: it is settled by TransactionStatus, never handled.
 */
export const OUTCOMES = ["declined", "refused", "cancelled", "timeout", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** `failure`: every outcome the step can have, for a handler written after the specific ones. */
export const ANY_FAILURE = "failure";
export type HandlerOutcome = Outcome | typeof ANY_FAILURE;

/**
 * `on declined retry 1 { display "Declined: ${p.declineReason}" }`, `on cancelled use false`,
 * `on timeout { status p as s }`: runs when its step ends with that outcome, instead of failing
 * the flow. `use` gives an input's capture a value; `retry` runs the step again afterwards, at most
 * `count` times (always bounded: language/limits.ts). The steps run before the retry, after `use`.
 */
export interface Handler {
  kind: "handler";
  outcome: OutcomeName;
  retry?: RetryCount;
  /** An input's answer when this outcome happens (only on `input ... as name`). */
  use?: Expression;
  /** The steps run when it happens; may be empty (`on failed {}`: go on). */
  steps: Step[];
  span: Span;
}

/** `declined` in `on declined`. */
export interface OutcomeName {
  kind: "outcome";
  name: HandlerOutcome;
  span: Span;
}

/** `retry 2`: how many more times the step is tried (a whole number written in the flow). */
export interface RetryCount {
  kind: "retry";
  count: number;
  text: string;
  span: Span;
}

/** The handlers of a step, in order (none for steps that take none). */
export function handlersOf(step: Step): readonly Handler[] {
  return "handlers" in step && step.handlers ? step.handlers : NO_HANDLERS;
}

/** One empty list for every step without handlers: the checks ask each step for its handlers. */
const NO_HANDLERS: readonly Handler[] = [];

/** `wait 2s`: a local pause, no request. */
export interface WaitStep {
  kind: "wait";
  duration: Duration;
  span: Span;
}

/** `expect payment.result == "approved"`: fails the flow when false. */
export interface ExpectStep {
  kind: "expect";
  condition: Expression;
  span: Span;
}

/** `if split == true { ... } else { ... }` (braces: they cannot clash with `< >` or comparisons). */
export interface IfStep {
  kind: "if";
  condition: Expression;
  then: Step[];
  else?: Step[];
  span: Span;
}

/**
 * `for share in split(total, guests) { ... }`, `for i in 1..guests { ... }`: the steps once per
 * item of a list, which is always finite (a split or a range, at most MAX_LOOP_ITERATIONS items).
 */
export interface ForStep {
  kind: "for";
  /** The name each item is bound to inside the loop. */
  variable: Identifier;
  /** The list: `split(...)` or a range `a..b`. */
  over: Expression;
  steps: Step[];
  span: Span;
}

/** `repeat 3 times { ... }`: the steps a whole number of times (at most MAX_LOOP_ITERATIONS). */
export interface RepeatStep {
  kind: "repeat";
  count: Expression;
  steps: Step[];
  span: Span;
}

/** The most items a loop runs over; a larger count is an error before (or, if only known then, at) run time. */
export const MAX_LOOP_ITERATIONS = 100;

/** A decimal amount in major units as written, and its exact value in the currency's minor units. */
export interface Amount {
  kind: "amount";
  /** As written: `12.50`. */
  text: string;
  /**
   * Integer minor units (`12.50 EUR` -> 1250, `500 JPY` -> 500, `1.250 KWD` -> 1250).
   * null when the value cannot be expressed exactly (unknown currency, more decimals than the
   * currency has, out of the safe-integer range): the checks report those, so a flow that checks
   * clean never has null here.
   */
  minor: number | null;
  span: Span;
}

/** An ISO 4217 alphabetic code as written (`EUR`); the checks validate it. */
export interface Currency {
  kind: "currency";
  code: string;
  span: Span;
}

/** A length of time: integer milliseconds and the source text (`5s`, `5000`, `250ms`). */
export interface Duration {
  kind: "duration";
  ms: number;
  text: string;
  span: Span;
}

/** A name: a capture (`as split`), a param, or the head of a reference. */
export interface Identifier {
  kind: "identifier";
  name: string;
  span: Span;
}

/** A string with no interpolation (flow name, session id). */
export interface StringLiteral {
  kind: "string";
  value: string;
  span: Span;
}

/** A string that may interpolate `${name}` / `${name.field}`; `value` is the unescaped text. */
export interface Template {
  kind: "template";
  value: string;
  parts: TemplatePart[];
  span: Span;
}

export type TemplatePart = { kind: "text"; value: string } | { kind: "interpolation"; ref: Reference };

// ---- expressions -------------------------------------------------------------------------------

export type Expression = Literal | Reference | UnaryExpression | BinaryExpression | CallExpression | RangeExpression;

export type Literal = StringExpression | NumberLiteral | BooleanLiteral | MoneyLiteral;

/** A string in an expression; it may interpolate like any other string. */
export interface StringExpression {
  kind: "string-literal";
  value: Template;
  span: Span;
}

export interface NumberLiteral {
  kind: "number";
  /** The number: `10%` is 0.1. */
  value: number;
  /** As written, so `12.50` prints back as `12.50` and `10%` as `10%`. */
  text: string;
  span: Span;
}

/** `12.50 EUR`: an amount and its currency, held as integer minor units (never a float). */
export interface MoneyLiteral {
  kind: "money";
  amount: Amount;
  currency: Currency;
  span: Span;
}

export interface BooleanLiteral {
  kind: "boolean";
  value: boolean;
  span: Span;
}

/** `split`, `payment.result`: a capture or param and a field path into it. */
export interface Reference {
  kind: "reference";
  name: Identifier;
  fields: Identifier[];
  span: Span;
}

export interface UnaryExpression {
  kind: "unary";
  operator: "not" | "-";
  operand: Expression;
  span: Span;
}

export const COMPARISON_OPERATORS = ["==", "!=", "<", "<=", ">", ">="] as const;
export const LOGICAL_OPERATORS = ["and", "or"] as const;
export const ARITHMETIC_OPERATORS = ["+", "-", "*", "/"] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export type ArithmeticOperator = (typeof ARITHMETIC_OPERATORS)[number];
export type BinaryOperator = ComparisonOperator | (typeof LOGICAL_OPERATORS)[number] | ArithmeticOperator;

export interface BinaryExpression {
  kind: "binary";
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
  span: Span;
}

/** The functions a flow can call. */
export const FUNCTION_NAMES = ["split", "number", "string"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** `split(total, guests)`, `number(table)`, `string(total)`. */
export interface CallExpression {
  kind: "call";
  callee: Identifier;
  args: Expression[];
  span: Span;
}

/** `1..guests`: the whole numbers from `from` to `to`, both included; only a `for` loops over it. */
export interface RangeExpression {
  kind: "range";
  from: Expression;
  to: Expression;
  span: Span;
}

// ---- helpers every stage uses ----------------------------------------------------------------

/** Every node type of the AST, for walkers. */
export type Node =
  | Flow
  | Param
  | TypeName
  | Step
  | CallArgument
  | WaitingScreen
  | DisplayContent
  | PrintContent
  | Handler
  | OutcomeName
  | RetryCount
  | Amount
  | Currency
  | Duration
  | Identifier
  | StringLiteral
  | Template
  | Expression;

/**
 * The one step walker: calls `visit` on every step, depth first in source order (parents before
 * children, `then` before `else`, a step before its handlers' steps), with the sessions around the
 * step (through `if` blocks and handlers too).
 */
export function walkSteps(
  steps: readonly Step[],
  visit: (step: Step, sessions: readonly SessionStep[]) => void,
  sessions: readonly SessionStep[] = [],
): void {
  for (const step of steps) {
    visit(step, sessions);
    if (step.kind === "session") walkSteps(step.steps, visit, [...sessions, step]);
    else if (step.kind === "if") {
      walkSteps(step.then, visit, sessions);
      if (step.else) walkSteps(step.else, visit, sessions);
    } else if (step.kind === "for" || step.kind === "repeat") walkSteps(step.steps, visit, sessions);
    else for (const handler of handlersOf(step)) walkSteps(handler.steps, visit, sessions);
  }
}

/** A deep copy of any AST value without its `span` fields: what "the same AST" means across syntaxes. */
export function stripSpans<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === "span" ? undefined : v)));
}
