/**
 * What each grammar rule read, and the AST node it makes of it. The parser (parser.ts) fills one
 * draft per rule invocation with the tokens it consumed and the drafts of the rules it called; when
 * the rule ends, even cut short by a syntax error, the draft builds its node. There is no CST.
 *
 * A draft also reports what the grammar cannot: bad durations (`5m`), bad amounts, unknown input
 * kinds and request types, string escapes, missing separators. A node whose required parts are
 * missing is left out (its syntax error is already reported), so the AST holds well-formed nodes only.
 *
 * Diagnostics follow the tree, not the parse: a draft's diagnostics count only if its parent uses
 * it (`b.use(child)`), so a statement dropped for a syntax error adds no second, derived complaint,
 * and diagnostics come in the order a reader of the tree meets them.
 */
import type { IToken } from "chevrotain";
import {
  INPUT_KINDS,
  PARAM_TYPES,
  RECEIPT_COPIES,
  type AcquireStep,
  type CallArgument,
  type CallStep,
  type Handler,
  type PrintStep,
  type ReceiptCopy,
  type Reference,
  type RefundStep,
  type StatusStep,
  REQUEST_TYPES,
  type Amount,
  type BinaryOperator,
  type Currency,
  type DisplayStep,
  type Duration,
  type Expression,
  type Flow,
  type ForStep,
  type Identifier,
  type IfStep,
  type InputKind,
  type InputStep,
  type Literal,
  type MoneyLiteral,
  type NumberLiteral,
  type Param,
  type ParamType,
  type PayStep,
  type RepeatStep,
  type RequestType,
  type SessionStep,
  type Span,
  type Step,
  type StringLiteral,
  type Template,
  type WaitingScreen,
} from "../ast.js";
import type { Diagnostic, DiagnosticCode } from "../diagnostic.js";
import { decimalOfText, divideDecimals, numberOfDecimal } from "../decimal.js";
import { DURATION_BOUNDS, type DurationBound, durationHint, parseDuration } from "../duration.js";
import { AMOUNT_PATTERN, toMinorUnits } from "../money.js";
import { didYouMean } from "../suggest.js";
import { LIMITS, STEP_TOO_DEEP } from "../limits.js";
import { distinctWaitingScreens } from "../waiting-screens.js";
import { readOutcome, readRetryCount, takesHandlers } from "../handlers.js";
import type { LineIndex } from "./positions.js";
import { readString } from "./strings.js";
import { tokenEnd } from "./tokens.js";

const NUMBER_TEXT = /^[0-9]+(?:\.[0-9]+)?$/;

/** A token that really is in the source (not inserted by error recovery, which leaves NaN offsets). */
export function valid(token: IToken | undefined): token is IToken {
  return (
    token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset) && token.startOffset >= 0
  );
}

/** The state of one parse that drafts build with: the source's lines and the diagnostics sink. */
export class AstBuilder {
  /** Diagnostics of the draft being finished, children's included as they are used. */
  private sink: Diagnostic[] | undefined;

  constructor(readonly lines: LineIndex) {}

  /** Builds a draft's node; called once, when its rule ends. */
  finish(draft: Draft<unknown>): void {
    this.sink = undefined;
    draft.value = draft.build(this);
    draft.notes = this.sink;
    this.sink = undefined;
  }

  /** A child's node, its diagnostics joining the current draft's. */
  use<T>(child: Draft<T> | undefined): T | undefined {
    if (child === undefined) return undefined;
    if (child.notes !== undefined) {
      if (this.sink === undefined) this.sink = [];
      for (const d of child.notes) this.sink.push(d);
    }
    return child.value;
  }

  /** The nodes of several children, leaving out those that made none. */
  useAll<T>(children: readonly Draft<T>[]): T[] {
    const out: T[] = [];
    for (const child of children) {
      const value = this.use(child);
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  error(code: DiagnosticCode, message: string, span: Span, hint?: string): void {
    if (this.sink === undefined) this.sink = [];
    this.sink.push(
      hint ? { code, severity: "error", message, span, hint } : { code, severity: "error", message, span },
    );
  }

  /** A draft's span: from its first to its last real token, or the file's start when it has none. */
  span(draft: Draft<unknown>): Span {
    return draft.placed() ? this.lines.span(draft.start, draft.end + 1) : this.lines.span(0, 0);
  }

  tokenSpan(token: IToken): Span {
    return this.lines.span(token.startOffset, tokenEnd(token));
  }

  identifier(token: IToken): Identifier {
    return { kind: "identifier", name: token.image, span: this.tokenSpan(token) };
  }

  /** A capture named by one token (`refund p`, `pay ... with card`), as a reference without fields. */
  nameReference(token: IToken): Reference {
    const span = this.tokenSpan(token);
    return { kind: "reference", name: { kind: "identifier", name: token.image, span }, fields: [], span };
  }

  plainString(token: IToken): StringLiteral {
    const content = readString(token.image, token.startOffset, false, this.lines);
    this.reportStringProblems(content.problems);
    return { kind: "string", value: content.value, span: this.tokenSpan(token) };
  }

  template(token: IToken): Template {
    const content = readString(token.image, token.startOffset, true, this.lines);
    this.reportStringProblems(content.problems);
    return { kind: "template", value: content.value, parts: content.parts, span: this.tokenSpan(token) };
  }

  /** A duration; `bound` (where it is written) keeps the hint for `2h` inside what that place accepts. */
  duration(token: IToken, bound?: DurationBound): Duration {
    const text = token.image;
    const ms = parseDuration(text);
    const span = this.tokenSpan(token);
    if (ms === undefined) this.error("bad-duration", `\`${text}\` is not a duration`, span, durationHint(text, bound));
    return { kind: "duration", ms: ms ?? Number.NaN, text, span };
  }

  /** `12.50 EUR`: an amount and its currency. */
  money(number: IToken, currency: IToken): MoneyLiteral {
    const code = currency.image;
    return {
      kind: "money",
      amount: this.amount(number, code),
      currency: { kind: "currency", code, span: this.tokenSpan(currency) },
      span: this.lines.span(number.startOffset, tokenEnd(currency)),
    };
  }

  /** `10%` (the number 0.1), or a plain number; `sign` is `-` for a negative param default. */
  number(token: IToken, percent: IToken | undefined, sign: string): NumberLiteral {
    const value = this.numberValue(token, sign);
    if (!valid(percent)) return { kind: "number", value, text: `${sign}${token.image}`, span: this.tokenSpan(token) };
    const decimal = decimalOfText(`${sign}${token.image}`);
    const fraction = decimal ? numberOfDecimal(divideDecimals(decimal, { units: 100n, scale: 0 })) : Number.NaN;
    return {
      kind: "number",
      value: fraction,
      text: `${sign}${token.image}%`,
      span: this.lines.span(token.startOffset, tokenEnd(percent)),
    };
  }

  amount(token: IToken, currency: string): Amount {
    const text = token.image;
    const span = this.tokenSpan(token);
    if (!AMOUNT_PATTERN.test(text)) {
      this.error(
        "bad-amount",
        `\`${text}\` is not an amount`,
        span,
        "write the amount in major units with a point for decimals, without leading zeros: `12.50`, `500`",
      );
    }
    return { kind: "amount", text, minor: toMinorUnits(text, currency) ?? null, span };
  }

  numberValue(token: IToken, sign: string): number {
    if (!NUMBER_TEXT.test(token.image)) {
      this.error(
        "bad-number",
        `\`${token.image}\` is not a number`,
        this.tokenSpan(token),
        "write a number with digits and an optional decimal point: `42`, `12.5`",
      );
      return Number.NaN;
    }
    return Number(sign + token.image);
  }

  /** Reports a step nested deeper than LIMITS.stepDepth, at its keyword. */
  stepTooDeep(draft: Draft<unknown>): undefined {
    const span = draft.first ? this.tokenSpan(draft.first) : this.span(draft);
    this.error(STEP_TOO_DEEP.code, STEP_TOO_DEEP.message, span, STEP_TOO_DEEP.hint);
    return undefined;
  }

  /**
   * An expression of a step (its condition, a payment's amount, a loop's list), unless it nests
   * deeper than LIMITS.expressionDepth (then reported).
   */
  condition(draft: OrDraft | undefined, what = "condition"): Expression | undefined {
    const condition = this.use(draft);
    if (!condition || !draft || draft.depth <= LIMITS.expressionDepth) return condition;
    this.error(
      "too-deeply-nested",
      `this ${what} nests more than ${LIMITS.expressionDepth} levels deep`,
      condition.span,
      "each operator, `not` and `-` is a level: split the condition into several `expect` steps or `if`s, or compute in parts",
    );
    return undefined;
  }

  /**
   * Two statements with no `;` or new line between them: report it, keep both. `statements` may
   * hold drafts that made no node (a statement cut short still occupies its place).
   */
  requireSeparators(statements: readonly (Draft<unknown> | undefined)[], separators: readonly IToken[]): void {
    const placed = statements.filter((d): d is Draft<unknown> => d?.placed() === true);
    if (placed.length < 2) return;
    placed.sort((a, b) => a.start - b.start);
    const seps: number[] = [];
    for (const t of separators) if (valid(t)) seps.push(t.startOffset);
    seps.sort((a, b) => a - b);
    for (let i = 1; i < placed.length; i++) {
      const gapStart = placed[i - 1].end + 1;
      const next = placed[i];
      const gapEnd = next.start;
      const s = firstAtOrAfter(seps, gapStart);
      if (s < seps.length && seps[s] < gapEnd) continue;
      const first = next.first;
      this.error(
        "missing-separator",
        "expected `;` or a new line between steps",
        first ? this.tokenSpan(first) : this.lines.span(gapEnd, gapEnd),
        "put each step on its own line, or separate steps on one line with `;`",
      );
    }
  }

  private reportStringProblems(problems: ReturnType<typeof readString>["problems"]): void {
    for (const p of problems) this.error(p.code, p.message, this.lines.span(p.start, p.end), p.hint);
  }
}

/**
 * What one rule invocation read. `start`/`end` are the offsets of the first and last real token it
 * or its children consumed (end inclusive, as Chevrotain's), NaN when it consumed none.
 */
export abstract class Draft<T> {
  declare start: number;
  declare end: number;
  /** The first real token read, for "missing separator before this statement". */
  declare first: IToken | undefined;
  /** The node built when the rule ended; undefined when required parts are missing. */
  declare value: T | undefined;
  /** Diagnostics found while building the node, children's included. */
  declare notes: Diagnostic[] | undefined;
  /** For expressions: how deep the node built is (a name or a literal is 1). */
  declare depth: number;
  /** For steps: nested deeper than LIMITS.stepDepth (the parser says so when the rule starts). */
  declare tooDeep: boolean;

  constructor() {
    this.start = Number.NaN;
    this.end = Number.NaN;
    this.first = undefined;
    this.value = undefined;
    this.notes = undefined;
    this.depth = 1;
    this.tooDeep = false;
  }

  /** Records a token the rule consumed; returns it, so `x = d.add(this.CONSUME(X))` reads naturally. */
  add(token: IToken): IToken {
    if (valid(token)) this.cover(token.startOffset, tokenEnd(token) - 1, token);
    return token;
  }

  /** Takes in a finished child: its place in the source and its node. */
  addChild(child: Draft<unknown>): void {
    if (child.placed()) this.cover(child.start, child.end, child.first);
    this.adopt(child);
  }

  placed(): boolean {
    return Number.isFinite(this.start) && Number.isFinite(this.end) && this.end >= this.start;
  }

  /** Keeps a child this rule calls (each draft knows the kinds of its children). */
  protected adopt(_child: Draft<unknown>): void {}

  /** The node of what was read, reporting through `b`. */
  abstract build(b: AstBuilder): T | undefined;

  private cover(start: number, end: number, first: IToken | undefined): void {
    if (!(start >= this.start)) {
      this.start = start;
      this.first = first;
    }
    if (!(end <= this.end)) this.end = end;
  }
}

// ---- top level -----------------------------------------------------------------------------------

export class FlowDraft extends Draft<Flow> {
  declare name: FlowNameDraft | undefined;
  declare readonly params: ParamDraft[];
  declare readonly steps: StepDraft[];
  declare readonly separators: IToken[];

  constructor() {
    super();
    this.name = undefined;
    this.params = [];
    this.steps = [];
    this.separators = [];
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof StepDraft) this.steps.push(child);
    else if (child instanceof ParamDraft) this.params.push(child);
    else if (child instanceof FlowNameDraft) this.name ??= child;
  }

  build(b: AstBuilder): Flow {
    const name = b.use(this.name);
    const params = b.useAll(this.params);
    const steps = b.useAll(this.steps);
    b.requireSeparators([this.name, ...this.params, ...this.steps], this.separators);
    const span = b.lines.span(0, b.lines.source.length);
    return name ? { kind: "flow", name, params, steps, span } : { kind: "flow", params, steps, span };
  }
}

export class FlowNameDraft extends Draft<StringLiteral> {
  declare string: IToken | undefined;

  constructor() {
    super();
    this.string = undefined;
  }

  build(b: AstBuilder): StringLiteral | undefined {
    return valid(this.string) ? b.plainString(this.string) : undefined;
  }
}

export class ParamDraft extends Draft<Param> {
  declare name: IToken | undefined;
  declare type: IToken | undefined;
  declare literal: LiteralDraft | undefined;

  constructor() {
    super();
    this.name = undefined;
    this.type = undefined;
    this.literal = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof LiteralDraft) this.literal ??= child;
  }

  build(b: AstBuilder): Param | undefined {
    if (!valid(this.name)) return undefined;
    const param = { kind: "param", name: b.identifier(this.name) } as Param;
    if (valid(this.type)) {
      const type = paramType(b, this.type);
      if (!type) return undefined;
      param.type = { kind: "type", name: type, span: b.tokenSpan(this.type) };
    }
    if (this.literal) {
      const value = b.use(this.literal);
      if (!value) return undefined;
      param.default = value;
    }
    param.span = b.span(this);
    return param;
  }
}

export class LiteralDraft extends Draft<Literal> {
  declare string: IToken | undefined;
  declare boolean: IToken | undefined;
  declare minus: IToken | undefined;
  declare number: IToken | undefined;
  declare percent: IToken | undefined;
  declare currency: IToken | undefined;

  constructor() {
    super();
    this.string = undefined;
    this.boolean = undefined;
    this.minus = undefined;
    this.number = undefined;
    this.percent = undefined;
    this.currency = undefined;
  }

  build(b: AstBuilder): Literal | undefined {
    if (valid(this.string)) {
      return { kind: "string-literal", value: b.template(this.string), span: b.tokenSpan(this.string) };
    }
    if (valid(this.boolean)) return booleanOf(b, this.boolean);
    if (!valid(this.number)) return undefined;
    if (valid(this.currency)) {
      if (valid(this.minus)) {
        b.error(
          "bad-amount",
          `\`-${this.number.image} ${this.currency.image}\` cannot be a default: a default amount is not negative`,
          b.span(this),
          "write the amount without `-`, and subtract it where the flow uses it",
        );
        return undefined;
      }
      return b.money(this.number, this.currency);
    }
    const sign = valid(this.minus) ? "-" : "";
    const literal = b.number(this.number, this.percent, sign);
    return { ...literal, span: b.span(this) };
  }
}

const NO_HANDLERS: HandlerDraft[] = [];

// ---- steps ---------------------------------------------------------------------------------------

/**
 * `step`: one of the statements, with the handlers written after it. Once built it lets go of the
 * drafts under it: the list it sits in keeps it until the list ends (the whole file, at the top
 * level), and only its place in the source and its node are read after that. Kept, every draft of
 * the file lived until the end of the parse and was copied by each young-generation collection.
 */
export class StepDraft extends Draft<Step> {
  declare step: Draft<Step> | undefined;
  declare handlers: HandlerDraft[];

  constructor() {
    super();
    this.step = undefined;
    this.handlers = NO_HANDLERS;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof HandlerDraft) {
      if (this.handlers === NO_HANDLERS) this.handlers = [];
      this.handlers.push(child);
    } else this.step ??= child as Draft<Step>;
  }

  build(b: AstBuilder): Step | undefined {
    const step = b.use(this.step);
    const drafts = this.handlers;
    this.step = undefined;
    this.handlers = NO_HANDLERS;
    if (drafts.length === 0) return step;
    const handlers = b.useAll(drafts);
    if (!step || handlers.length === 0) return step;
    if (!takesHandlers(step)) {
      b.error(
        "handler-never-runs",
        `\`${step.kind}\` cannot fail the way a handler handles`,
        handlers[0].span,
        "a handler (`on ...`) goes after a step that sends a request: input, display, pay, refund, print, acquire, status",
      );
      return step;
    }
    // `handlers` goes after the step's own fields, before its span, as the YAML reader writes it.
    const { span, ...fields } = step;
    return { ...fields, handlers, span } as Step;
  }
}

/** `on declined [retry 1 | use <value>] [{ ... }]`. */
export class HandlerDraft extends Draft<Handler> {
  declare outcome: IToken | undefined;
  declare retry: IToken | undefined;
  declare count: IToken | undefined;
  /** `use` was written (even if recovery made it up). */
  declare uses: boolean;
  declare use: OrDraft | undefined;
  declare body: BlockDraft | undefined;

  constructor() {
    super();
    this.outcome = undefined;
    this.retry = undefined;
    this.count = undefined;
    this.uses = false;
    this.use = undefined;
    this.body = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.use ??= child;
    else if (child instanceof BlockDraft) this.body ??= child;
  }

  build(b: AstBuilder): Handler | undefined {
    if (this.tooDeep) return b.stepTooDeep(this);
    if (!valid(this.outcome)) return undefined;
    const outcome = readOutcome(this.outcome.image);
    if (typeof outcome !== "string") {
      b.error(outcome.code, outcome.message, b.tokenSpan(this.outcome), outcome.hint);
      return undefined;
    }
    const handler = {
      kind: "handler",
      outcome: { kind: "outcome", name: outcome, span: b.tokenSpan(this.outcome) },
    } as Handler;
    if (valid(this.retry)) {
      const counted = valid(this.count) ? this.count : undefined;
      const count = readRetryCount(counted?.image);
      const span = spanOf(b, this.retry, counted ?? this.retry);
      if (typeof count !== "number") {
        b.error(count.code, count.message, span, count.hint);
        return undefined;
      }
      handler.retry = { kind: "retry", count, text: counted!.image, span };
    }
    if (this.uses) {
      const use = b.condition(this.use, "value");
      if (!use) return undefined;
      handler.use = use;
    }
    if (!this.body && !handler.retry && !handler.use) {
      b.error(
        "empty-handler",
        `\`on ${outcome}\` says nothing to do`,
        b.span(this),
        "give it steps in `{ }`, `retry <n>`, or on an input `use <value>`; `{}` goes on as if nothing failed",
      );
      return undefined;
    }
    handler.steps = this.body ? (b.use(this.body) ?? []) : [];
    handler.span = b.span(this);
    return handler;
  }
}

export class SessionDraft extends Draft<SessionStep> {
  /** `session waiting 5000 [on ...]`: the one timeout. */
  declare timeout: IToken | undefined;
  /** `on` was written (even if recovery made it up). */
  declare on: boolean;
  declare readonly requestTypes: RequestTypeDraft[];
  declare readonly entries: WaitingEntryDraft[];
  declare id: IToken | undefined;
  declare readonly steps: StepDraft[];
  declare readonly separators: IToken[];

  constructor() {
    super();
    this.timeout = undefined;
    this.on = false;
    this.requestTypes = [];
    this.entries = [];
    this.id = undefined;
    this.steps = [];
    this.separators = [];
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof StepDraft) this.steps.push(child);
    else if (child instanceof RequestTypeDraft) this.requestTypes.push(child);
    else if (child instanceof WaitingEntryDraft) this.entries.push(child);
  }

  build(b: AstBuilder): SessionStep | undefined {
    if (this.tooDeep) return b.stepTooDeep(this);
    const waiting = this.waitingScreens(b);
    const steps = b.useAll(this.steps);
    b.requireSeparators(this.steps, this.separators);
    const span = b.span(this);
    return valid(this.id)
      ? { kind: "session", waiting, id: b.template(this.id), steps, span }
      : { kind: "session", waiting, steps, span };
  }

  /** `session waiting 5000 [on ...]` or `session waiting input 15000, display 10000`, in REQUEST_TYPES order. */
  private waitingScreens(b: AstBuilder): WaitingScreen[] {
    const screens: WaitingScreen[] = [];
    if (valid(this.timeout)) {
      const duration = b.duration(this.timeout, DURATION_BOUNDS.waitingScreen);
      if (!this.on) {
        for (const request of REQUEST_TYPES) screens.push({ request, timeout: { ...duration }, span: duration.span });
      }
      for (const type of this.requestTypes) {
        const request = b.use(type);
        if (request) screens.push({ request, timeout: { ...duration }, span: b.span(type) });
      }
    } else {
      for (const screen of b.useAll(this.entries)) screens.push(screen);
    }
    return distinctWaitingScreens(screens, (code, message, span, hint) => b.error(code, message, span, hint));
  }
}

export class WaitingEntryDraft extends Draft<WaitingScreen> {
  declare type: RequestTypeDraft | undefined;
  declare timeout: IToken | undefined;

  constructor() {
    super();
    this.type = undefined;
    this.timeout = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof RequestTypeDraft) this.type ??= child;
  }

  build(b: AstBuilder): WaitingScreen | undefined {
    const request = b.use(this.type);
    const timeout = valid(this.timeout) ? b.duration(this.timeout, DURATION_BOUNDS.waitingScreen) : undefined;
    if (!request || !timeout) return undefined;
    return { request, timeout, span: b.span(this) };
  }
}

export class RequestTypeDraft extends Draft<RequestType> {
  declare word: IToken | undefined;

  constructor() {
    super();
    this.word = undefined;
  }

  build(b: AstBuilder): RequestType | undefined {
    const token = this.word;
    if (!valid(token)) return undefined;
    if ((REQUEST_TYPES as readonly string[]).includes(token.image)) return token.image as RequestType;
    const guess = didYouMean(token.image, REQUEST_TYPES);
    b.error(
      "unknown-request-type",
      `unknown request type \`${token.image}\``,
      b.tokenSpan(token),
      guess ? `did you mean \`${guess}\`?` : "a session can show a waiting screen for `input`, `display` and `payment`",
    );
    return undefined;
  }
}

export class InputDraft extends Draft<InputStep> {
  declare kind: IToken | undefined;
  declare prompt: IToken | undefined;
  declare menu: MenuEntriesDraft | undefined;
  declare currency: IToken | undefined;
  declare within: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.kind = undefined;
    this.prompt = undefined;
    this.menu = undefined;
    this.currency = undefined;
    this.within = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof MenuEntriesDraft) this.menu ??= child;
    else if (child instanceof CaptureDraft) this.capture ??= child;
  }

  build(b: AstBuilder): InputStep | undefined {
    if (!valid(this.kind) || !valid(this.prompt)) return undefined;
    const kind = inputKind(b, this.kind);
    if (!kind) return undefined;
    const prompt = b.template(this.prompt);
    const span = b.span(this);
    let entries: Template[] | undefined;
    if (kind === "menu") entries = b.use(this.menu) ?? [];
    else if (this.menu) {
      b.error(
        "unexpected-menu-entries",
        `\`input ${kind}\` takes no list of entries`,
        b.span(this.menu),
        "only `input menu` has entries; remove the list or use `input menu`",
      );
    }
    let currency: Currency | undefined;
    if (valid(this.currency)) {
      if (kind === "amount")
        currency = { kind: "currency", code: this.currency.image, span: b.tokenSpan(this.currency) };
      else {
        b.error(
          "unexpected-currency",
          `\`input ${kind}\` takes no currency`,
          b.tokenSpan(this.currency),
          "only `input amount` has a currency (`in EUR`); remove it",
        );
      }
    }
    const within = valid(this.within) ? b.duration(this.within, DURATION_BOUNDS.within) : undefined;
    const as = b.use(this.capture);
    const step = { kind: "input", input: kind, prompt } as InputStep;
    if (entries) step.entries = entries;
    if (currency) step.currency = currency;
    if (within) step.within = within;
    if (as) step.as = as;
    step.span = span;
    return step;
  }
}

export class MenuEntriesDraft extends Draft<Template[]> {
  readonly strings: IToken[] = [];

  build(b: AstBuilder): Template[] {
    const out: Template[] = [];
    for (const t of this.strings) if (valid(t)) out.push(b.template(t));
    return out;
  }
}

export class CaptureDraft extends Draft<Identifier> {
  declare name: IToken | undefined;

  constructor() {
    super();
    this.name = undefined;
  }

  build(b: AstBuilder): Identifier | undefined {
    return valid(this.name) ? b.identifier(this.name) : undefined;
  }
}

export class DisplayDraft extends Draft<DisplayStep> {
  declare idle: IToken | undefined;
  declare text: IToken | undefined;
  declare for: IToken | undefined;

  constructor() {
    super();
    this.idle = undefined;
    this.text = undefined;
    this.for = undefined;
  }

  build(b: AstBuilder): DisplayStep | undefined {
    const span = b.span(this);
    if (valid(this.idle)) return { kind: "display", content: { kind: "idle", span: b.tokenSpan(this.idle) }, span };
    if (!valid(this.text)) return undefined;
    const content = { kind: "text", text: b.template(this.text), span: b.tokenSpan(this.text) } as const;
    if (!valid(this.for)) return { kind: "display", content, span };
    return { kind: "display", content, for: b.duration(this.for, DURATION_BOUNDS.displayFor), span };
  }
}

export class PayDraft extends Draft<PayStep> {
  declare amount: OrDraft | undefined;
  /** `tip` was written (even if recovery made it up). */
  declare tipped: boolean;
  declare tip: OrDraft | undefined;
  declare ref: IToken | undefined;
  declare with: IToken | undefined;
  declare within: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.amount = undefined;
    this.tipped = false;
    this.tip = undefined;
    this.ref = undefined;
    this.with = undefined;
    this.within = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
    // The grammar reads the amount before the tip.
    else if (child instanceof OrDraft) {
      if (this.amount === undefined) this.amount = child;
      else this.tip ??= child;
    }
  }

  build(b: AstBuilder): PayStep | undefined {
    const amount = b.condition(this.amount, "amount");
    if (!amount) return undefined;
    const span = b.span(this);
    const tip = this.tipped ? b.condition(this.tip, "tip") : undefined;
    // A tip that could not be read leaves the whole step out, never a payment without it.
    if (this.tipped && !tip) return undefined;
    const ref = valid(this.ref) ? b.template(this.ref) : undefined;
    const as = b.use(this.capture);
    const step = { kind: "pay", amount } as PayStep;
    if (tip) step.tip = tip;
    if (ref) step.ref = ref;
    if (valid(this.with)) step.with = b.nameReference(this.with);
    if (valid(this.within)) step.within = b.duration(this.within, DURATION_BOUNDS.payWithin);
    if (as) step.as = as;
    step.span = span;
    return step;
  }
}

/**
 * `refund p`, `refund p 5.00 EUR`, `refund 5.00 EUR`. Two expressions: the payment, then the amount.
 * One: a bare name (`refund p`, no parentheses or fields) is the payment refunded in full; anything
 * else (`refund 5.00 EUR`, `refund (total)`) is the amount of an unreferenced refund.
 */
export class RefundDraft extends Draft<RefundStep> {
  readonly expressions: OrDraft[] = [];
  /** The payment of `refund p (amount)`, read as a name before the parenthesis. */
  declare payment: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.payment = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
    else if (child instanceof OrDraft) this.expressions.push(child);
  }

  build(b: AstBuilder): RefundStep | undefined {
    const [first, second] = this.expressions;
    if (this.payment) {
      if (!valid(this.payment)) return undefined;
      const amount = b.condition(first, "amount");
      if (!amount) return undefined;
      const as = b.use(this.capture);
      const step = { kind: "refund", payment: b.nameReference(this.payment), amount } as RefundStep;
      if (as) step.as = as;
      step.span = b.span(this);
      return step;
    }
    const subject = b.condition(first, "refund");
    if (!subject) return undefined;
    const span = b.span(this);
    const as = b.use(this.capture);
    const step = { kind: "refund" } as RefundStep;
    if (second) {
      const amount = b.condition(second, "amount");
      if (!amount) return undefined;
      if (!isBareName(subject, first)) {
        b.error(
          "bad-refund-payment",
          "the payment to refund must be a name",
          subject.span,
          "write the payment's capture, then the amount: `refund p 5.00 EUR`",
        );
        return undefined;
      }
      step.payment = subject as Reference;
      step.amount = amount;
    } else if (isBareName(subject, first)) step.payment = subject as Reference;
    else step.amount = subject;
    if (as) step.as = as;
    step.span = span;
    return step;
  }
}

/** `p`, not `p.amount` nor `(p)`: a reference that is all the draft read. */
function isBareName(e: Expression, draft: Draft<unknown>): boolean {
  return e.kind === "reference" && e.fields.length === 0 && draft.end - draft.start + 1 === e.name.name.length;
}

export class PrintDraft extends Draft<PrintStep> {
  declare receipt: IToken | undefined;
  declare payment: IToken | undefined;
  declare copy: IToken | undefined;
  readonly lines: IToken[] = [];
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.receipt = undefined;
    this.payment = undefined;
    this.copy = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
  }

  build(b: AstBuilder): PrintStep | undefined {
    const span = b.span(this);
    const as = b.use(this.capture);
    let content: PrintStep["content"];
    if (valid(this.receipt)) {
      if (this.receipt.image !== "receipt") {
        const guess = didYouMean(this.receipt.image, ["receipt"]);
        b.error(
          "unknown-print-kind",
          `cannot print \`${this.receipt.image}\``,
          b.tokenSpan(this.receipt),
          guess
            ? "did you mean `receipt`?"
            : 'print a payment\'s receipt (`print receipt p`) or lines of text (`print "Table 7" "Thank you"`)',
        );
        return undefined;
      }
      if (!valid(this.payment)) return undefined;
      let copy: ReceiptCopy = "customer";
      if (valid(this.copy)) {
        const word = this.copy.image;
        if (!(RECEIPT_COPIES as readonly string[]).includes(word)) {
          const guess = didYouMean(word, RECEIPT_COPIES);
          b.error(
            "unknown-receipt-copy",
            `unknown receipt \`${word}\``,
            b.tokenSpan(this.copy),
            guess
              ? `did you mean \`${guess}\`?`
              : "a payment has a `customer` receipt (the default) and a `cashier` one",
          );
          return undefined;
        }
        copy = word as ReceiptCopy;
      }
      const payment = b.nameReference(this.payment);
      const last = valid(this.copy) ? this.copy : this.payment;
      content = { kind: "receipt", payment, copy, span: spanOf(b, this.receipt, last) };
    } else {
      const lines = this.lines.filter(valid);
      if (lines.length === 0) return undefined;
      const texts = lines.map((t) => b.template(t));
      content = { kind: "lines", lines: texts, span: spanOf(b, lines[0], lines[lines.length - 1]) };
    }
    return as ? { kind: "print", content, as, span } : { kind: "print", content, span };
  }
}

function spanOf(b: AstBuilder, first: IToken, last: IToken): Span {
  return b.lines.span(first.startOffset, tokenEnd(last));
}

export class AcquireDraft extends Draft<AcquireStep> {
  declare what: IToken | undefined;
  declare within: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.what = undefined;
    this.within = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
  }

  build(b: AstBuilder): AcquireStep | undefined {
    if (!valid(this.what)) return undefined;
    if (this.what.image !== "card") {
      const guess = didYouMean(this.what.image, ["card"]);
      b.error(
        "unknown-acquire-kind",
        `cannot acquire \`${this.what.image}\``,
        b.tokenSpan(this.what),
        guess ? "did you mean `card`?" : "a terminal acquires a card: `acquire card within 30s as card`",
      );
      return undefined;
    }
    const span = b.span(this);
    const as = b.use(this.capture);
    const step = { kind: "acquire" } as AcquireStep;
    if (valid(this.within)) step.within = b.duration(this.within, DURATION_BOUNDS.acquireWithin);
    if (as) step.as = as;
    step.span = span;
    return step;
  }
}

export class StatusDraft extends Draft<StatusStep> {
  declare payment: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.payment = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
  }

  build(b: AstBuilder): StatusStep | undefined {
    if (!valid(this.payment)) return undefined;
    const span = b.span(this);
    const as = b.use(this.capture);
    const step = { kind: "status", payment: b.nameReference(this.payment) } as StatusStep;
    if (as) step.as = as;
    step.span = span;
    return step;
  }
}

/** `call "tip.flow" with bill = total as t`: an argument that could not be read leaves the call out. */
export class CallDraft extends Draft<CallStep> {
  declare path: IToken | undefined;
  readonly arguments: ArgumentDraft[] = [];
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.path = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
    else if (child instanceof ArgumentDraft) this.arguments.push(child);
  }

  build(b: AstBuilder): CallStep | undefined {
    if (!valid(this.path)) return undefined;
    const flow = b.plainString(this.path);
    const args: CallArgument[] = [];
    for (const draft of this.arguments) {
      const arg = b.use(draft);
      if (!arg) return undefined;
      args.push(arg);
    }
    const as = b.use(this.capture);
    const step = { kind: "call", flow, with: args } as CallStep;
    if (as) step.as = as;
    step.span = b.span(this);
    return step;
  }
}

export class ArgumentDraft extends Draft<CallArgument> {
  declare name: IToken | undefined;
  declare expression: OrDraft | undefined;

  constructor() {
    super();
    this.name = undefined;
    this.expression = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.expression ??= child;
  }

  build(b: AstBuilder): CallArgument | undefined {
    const value = b.condition(this.expression, "value");
    if (!valid(this.name) || !value) return undefined;
    return { kind: "argument", name: b.identifier(this.name), value, span: b.span(this) };
  }
}

export class WaitDraft extends Draft<Step> {
  declare duration: IToken | undefined;

  constructor() {
    super();
    this.duration = undefined;
  }

  build(b: AstBuilder): Step | undefined {
    if (!valid(this.duration)) return undefined;
    return { kind: "wait", duration: b.duration(this.duration, DURATION_BOUNDS.wait), span: b.span(this) };
  }
}

export class ExpectDraft extends Draft<Step> {
  declare condition: OrDraft | undefined;

  constructor() {
    super();
    this.condition = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.condition ??= child;
  }

  build(b: AstBuilder): Step | undefined {
    const condition = b.condition(this.condition);
    return condition ? { kind: "expect", condition, span: b.span(this) } : undefined;
  }
}

export class IfDraft extends Draft<IfStep> {
  declare condition: OrDraft | undefined;
  declare then: BlockDraft | undefined;
  declare elseIf: IfDraft | undefined;
  declare else: BlockDraft | undefined;

  constructor() {
    super();
    this.condition = undefined;
    this.then = undefined;
    this.elseIf = undefined;
    this.else = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.condition ??= child;
    else if (child instanceof IfDraft) this.elseIf ??= child;
    // The grammar reads the `then` block before any `else` block.
    else if (child instanceof BlockDraft) {
      if (this.then === undefined) this.then = child;
      else this.else ??= child;
    }
  }

  build(b: AstBuilder): IfStep | undefined {
    if (this.tooDeep) return b.stepTooDeep(this);
    const condition = b.condition(this.condition);
    if (!condition || !this.then) return undefined;
    const then = b.use(this.then) ?? [];
    const span = b.span(this);
    let otherwise: Step[] | undefined;
    if (this.elseIf) {
      const nested = b.use(this.elseIf);
      if (nested) otherwise = [nested];
    } else if (this.else) otherwise = b.use(this.else);
    return otherwise ? { kind: "if", condition, then, else: otherwise, span } : { kind: "if", condition, then, span };
  }
}

export class ForDraft extends Draft<ForStep> {
  declare variable: IToken | undefined;
  declare over: OrDraft | undefined;
  declare body: BlockDraft | undefined;

  constructor() {
    super();
    this.variable = undefined;
    this.over = undefined;
    this.body = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.over ??= child;
    else if (child instanceof BlockDraft) this.body ??= child;
  }

  build(b: AstBuilder): ForStep | undefined {
    if (this.tooDeep) return b.stepTooDeep(this);
    const over = b.condition(this.over, "list");
    if (!valid(this.variable) || !over || !this.body) return undefined;
    const steps = b.use(this.body) ?? [];
    return { kind: "for", variable: b.identifier(this.variable), over, steps, span: b.span(this) };
  }
}

export class RepeatDraft extends Draft<RepeatStep> {
  declare count: OrDraft | undefined;
  declare body: BlockDraft | undefined;

  constructor() {
    super();
    this.count = undefined;
    this.body = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.count ??= child;
    else if (child instanceof BlockDraft) this.body ??= child;
  }

  build(b: AstBuilder): RepeatStep | undefined {
    if (this.tooDeep) return b.stepTooDeep(this);
    const count = b.condition(this.count, "count");
    if (!count || !this.body) return undefined;
    const steps = b.use(this.body) ?? [];
    return { kind: "repeat", count, steps, span: b.span(this) };
  }
}

export class BlockDraft extends Draft<Step[]> {
  readonly steps: StepDraft[] = [];
  readonly separators: IToken[] = [];

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof StepDraft) this.steps.push(child);
  }

  build(b: AstBuilder): Step[] {
    b.requireSeparators(this.steps, this.separators);
    return b.useAll(this.steps);
  }
}

// ---- expressions ---------------------------------------------------------------------------------

/** `a or b or c` and `a and b and c`: operands folded to the left. */
abstract class FoldDraft extends Draft<Expression> {
  declare readonly operands: Draft<Expression>[];
  declare private readonly operator: "or" | "and";

  constructor(operator: "or" | "and") {
    super();
    this.operands = [];
    this.operator = operator;
  }

  protected override adopt(child: Draft<unknown>): void {
    this.operands.push(child as Draft<Expression>);
  }

  build(b: AstBuilder): Expression | undefined {
    const first = this.operands[0];
    if (this.operands.length === 1) {
      this.depth = first.depth;
      return b.use(first);
    }
    const operands = this.operands.map((o) => b.use(o));
    if (operands.length === 0 || operands.some((o) => o === undefined)) return undefined;
    let result = operands[0] as Expression;
    let depth = first.depth;
    for (let i = 1; i < operands.length; i++) {
      const right = operands[i] as Expression;
      const span = b.lines.span(result.span.start.offset, right.span.end.offset);
      result = { kind: "binary", operator: this.operator, left: result, right, span };
      depth = Math.max(depth, this.operands[i].depth) + 1;
    }
    this.depth = depth;
    return result;
  }
}

/** `expression`: the whole of a condition, `or` its loosest operator. */
export class OrDraft extends FoldDraft {
  constructor() {
    super("or");
  }
}

export class AndDraft extends FoldDraft {
  constructor() {
    super("and");
  }
}

export class NotDraft extends Draft<Expression> {
  declare not: IToken | undefined;
  declare operand: Draft<Expression> | undefined;

  constructor() {
    super();
    this.not = undefined;
    this.operand = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    this.operand ??= child as Draft<Expression>;
  }

  build(b: AstBuilder): Expression | undefined {
    if (!valid(this.not)) {
      if (!(this.operand instanceof ComparisonDraft)) return undefined;
      this.depth = this.operand.depth;
      return b.use(this.operand);
    }
    const operand = this.operand instanceof NotDraft ? b.use(this.operand) : undefined;
    if (!operand) return undefined;
    this.depth = (this.operand?.depth ?? 0) + 1;
    return { kind: "unary", operator: "not", operand, span: b.span(this) };
  }
}

export class ComparisonDraft extends Draft<Expression> {
  declare left: ArithmeticDraft | undefined;
  declare readonly right: ArithmeticDraft[];
  /** Every operator read, including ones recovery made up (a second one is a chained comparison). */
  declare readonly operators: IToken[];

  constructor() {
    super();
    this.left = undefined;
    this.right = [];
    this.operators = [];
  }

  protected override adopt(child: Draft<unknown>): void {
    // The grammar reads the left operand before any right one.
    if (!(child instanceof ArithmeticDraft)) return;
    if (this.left === undefined) this.left = child;
    else this.right.push(child);
  }

  build(b: AstBuilder): Expression | undefined {
    const left = b.use(this.left);
    this.depth = this.left?.depth ?? 1;
    if (!left || (this.operators.length === 0 && this.right.length === 0)) return left;
    const operator = valid(this.operators[0]) ? this.operators[0] : undefined;
    const chained = this.operators[1];
    if (chained) {
      b.error(
        "chained-comparison",
        `unexpected \`${chained.image}\` after a comparison`,
        b.tokenSpan(chained),
        "comparisons do not chain: write `a < b and b < c`",
      );
    }
    const right = b.use(this.right[0]);
    if (!operator || !right) return undefined;
    this.depth = Math.max(this.depth, this.right[0].depth) + 1;
    // A lone `=` in a condition was reported and is read as the `==` it meant.
    const op = (operator.image === "=" ? "==" : operator.image) as BinaryOperator;
    return { kind: "binary", operator: op, left, right, span: b.span(this) };
  }
}

/** Precedence of the operators of the arithmetic rule: `..` loosest, then `+ -`, then `* /`. */
const ARITHMETIC_PRECEDENCE: Record<string, number> = { "..": 1, "+": 2, "-": 2, "*": 3, "/": 3 };

/**
 * `a + b * c`, `1..guests`: operands and operators in the order read; the tree is built here by
 * precedence (left-associative within a level), so the grammar needs one rule, not one per level.
 */
export class ArithmeticDraft extends Draft<Expression> {
  declare readonly operands: UnaryDraft[];
  /** Every operator read, including ones recovery made up. */
  declare readonly operators: IToken[];

  constructor() {
    super();
    this.operands = [];
    this.operators = [];
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof UnaryDraft) this.operands.push(child);
  }

  build(b: AstBuilder): Expression | undefined {
    if (this.operands.length === 1 && this.operators.length === 0) {
      this.depth = this.operands[0].depth;
      return b.use(this.operands[0]);
    }
    const operands = this.operands.map((o) => b.use(o));
    if (operands.length !== this.operators.length + 1 || operands.some((o) => o === undefined)) return undefined;
    if (!this.operators.every(valid)) return undefined;
    const ranges = this.operators.filter((t) => t.image === "..");
    if (ranges.length > 1) {
      b.error(
        "chained-comparison",
        "unexpected second `..` in a range",
        b.tokenSpan(ranges[1]),
        "a range has one `..`: `1..guests`",
      );
      return undefined;
    }
    // Shunting-yard over one precedence table: left-associative, tighter operators first. Each
    // value keeps its depth (an operator over its operands is one level more), for LIMITS.
    const values: Expression[] = [operands[0] as Expression];
    const depths: number[] = [this.operands[0].depth];
    const pending: string[] = [];
    const reduce = (): void => {
      const operator = pending.pop() as string;
      const right = values.pop() as Expression;
      const left = values.pop() as Expression;
      const depth = Math.max(depths.pop() as number, depths.pop() as number) + 1;
      const span = b.lines.span(left.span.start.offset, right.span.end.offset);
      values.push(
        operator === ".."
          ? { kind: "range", from: left, to: right, span }
          : { kind: "binary", operator: operator as BinaryOperator, left, right, span },
      );
      depths.push(depth);
    };
    this.operators.forEach((token, i) => {
      const level = ARITHMETIC_PRECEDENCE[token.image];
      while (pending.length > 0 && ARITHMETIC_PRECEDENCE[pending[pending.length - 1]] >= level) reduce();
      pending.push(token.image);
      values.push(operands[i + 1] as Expression);
      depths.push(this.operands[i + 1].depth);
    });
    while (pending.length > 0) reduce();
    this.depth = depths[0];
    return values[0];
  }
}

export class UnaryDraft extends Draft<Expression> {
  /** `-` was written (even if recovery made it up). */
  declare minus: boolean;
  declare operand: Draft<Expression> | undefined;

  constructor() {
    super();
    this.minus = false;
    this.operand = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    this.operand ??= child as Draft<Expression>;
  }

  build(b: AstBuilder): Expression | undefined {
    if (!this.minus) {
      if (!(this.operand instanceof PrimaryDraft)) return undefined;
      this.depth = this.operand.depth;
      return b.use(this.operand);
    }
    const operand = this.operand instanceof UnaryDraft ? b.use(this.operand) : undefined;
    if (!operand) return undefined;
    this.depth = (this.operand?.depth ?? 0) + 1;
    return { kind: "unary", operator: "-", operand, span: b.span(this) };
  }
}

export class PrimaryDraft extends Draft<Expression> {
  declare number: IToken | undefined;
  declare percent: IToken | undefined;
  declare currency: IToken | undefined;
  declare string: IToken | undefined;
  declare boolean: IToken | undefined;
  declare inner: Draft<Expression> | undefined;

  constructor() {
    super();
    this.number = undefined;
    this.percent = undefined;
    this.currency = undefined;
    this.string = undefined;
    this.boolean = undefined;
    this.inner = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    this.inner ??= child as Draft<Expression>;
  }

  build(b: AstBuilder): Expression | undefined {
    const number = this.number;
    if (valid(number)) {
      if (valid(this.currency)) return b.money(number, this.currency);
      return b.number(number, this.percent, "");
    }
    if (valid(this.string)) {
      return { kind: "string-literal", value: b.template(this.string), span: b.tokenSpan(this.string) };
    }
    if (valid(this.boolean)) return booleanOf(b, this.boolean);
    this.depth = this.inner?.depth ?? 1;
    return b.use(this.inner);
  }
}

/** `payment.result`, or a call `split(total, guests)`. */
export class ReferenceDraft extends Draft<Expression> {
  declare head: IToken | undefined;
  declare readonly fields: IToken[];
  /** `(` was written (even if recovery made it up): a call. */
  declare call: boolean;
  declare readonly args: OrDraft[];

  constructor() {
    super();
    this.head = undefined;
    this.fields = [];
    this.call = false;
    this.args = [];
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof OrDraft) this.args.push(child);
  }

  build(b: AstBuilder): Expression | undefined {
    if (!valid(this.head)) return undefined;
    if (!this.fields.every(valid)) return undefined;
    if (!this.call) {
      return {
        kind: "reference",
        name: b.identifier(this.head),
        fields: this.fields.map((t) => b.identifier(t)),
        span: b.span(this),
      };
    }
    const args = this.args.map((a) => b.use(a));
    if (args.some((a) => a === undefined)) return undefined;
    this.depth = this.args.reduce((depth, a) => Math.max(depth, a.depth + 1), 1);
    if (this.fields.length > 0) {
      const name = [this.head, ...this.fields].map((t) => t.image).join(".");
      b.error(
        "unknown-function",
        `unknown function \`${name}\``,
        b.span(this),
        "the functions are `split`, `number` and `string`",
      );
      return undefined;
    }
    return { kind: "call", callee: b.identifier(this.head), args: args as Expression[], span: b.span(this) };
  }
}

// ---- helpers -------------------------------------------------------------------------------------

/** The index of the first number >= `at` in an ascending array (its length when there is none). */
export function firstAtOrAfter(sorted: readonly number[], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

function booleanOf(b: AstBuilder, token: IToken): Literal {
  return { kind: "boolean", value: token.image === "true", span: b.tokenSpan(token) };
}

function paramType(b: AstBuilder, token: IToken): ParamType | undefined {
  if ((PARAM_TYPES as readonly string[]).includes(token.image)) return token.image as ParamType;
  const guess = didYouMean(token.image, PARAM_TYPES) as ParamType | undefined;
  b.error(
    "unknown-type",
    `unknown type \`${token.image}\``,
    b.tokenSpan(token),
    guess ? `did you mean \`${guess}\`?` : `a param is one of: ${PARAM_TYPES.join(", ")}`,
  );
  return guess;
}

function inputKind(b: AstBuilder, token: IToken): InputKind | undefined {
  if ((INPUT_KINDS as readonly string[]).includes(token.image)) return token.image as InputKind;
  const guess = didYouMean(token.image, INPUT_KINDS) as InputKind | undefined;
  b.error(
    "unknown-input-kind",
    `unknown input kind \`${token.image}\``,
    b.tokenSpan(token),
    guess ? `did you mean \`${guess}\`?` : `an input is one of: ${INPUT_KINDS.join(", ")}`,
  );
  return guess;
}
