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
  REQUEST_TYPES,
  type Amount,
  type BinaryOperator,
  type DisplayStep,
  type Duration,
  type Expression,
  type Flow,
  type Identifier,
  type IfStep,
  type InputKind,
  type InputStep,
  type Literal,
  type Param,
  type PayStep,
  type RequestType,
  type SessionStep,
  type Span,
  type Step,
  type StringLiteral,
  type Template,
  type WaitingScreen,
} from "../ast.js";
import type { Diagnostic, DiagnosticCode } from "../diagnostic.js";
import { parseDuration } from "../duration.js";
import { AMOUNT_PATTERN, toMinorUnits } from "../money.js";
import { didYouMean } from "../suggest.js";
import { LIMITS } from "../limits.js";
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

  duration(token: IToken): Duration {
    const text = token.image;
    const ms = parseDuration(text);
    const span = this.tokenSpan(token);
    if (ms === undefined) this.error("bad-duration", `\`${text}\` is not a duration`, span, durationHint(text));
    return { kind: "duration", ms: ms ?? Number.NaN, text, span };
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
    this.error(
      "too-deeply-nested",
      `steps nest more than ${LIMITS.stepDepth} levels deep here`,
      draft.first ? this.tokenSpan(draft.first) : this.span(draft),
      "each `session`, `if` and `else if` inside another is a level: move the inner steps out, or split the flow",
    );
    return undefined;
  }

  /** The condition of a step, unless it nests deeper than LIMITS.expressionDepth (then reported). */
  condition(draft: OrDraft | undefined): Expression | undefined {
    const condition = this.use(draft);
    if (!condition || !draft || draft.depth <= LIMITS.expressionDepth) return condition;
    this.error(
      "too-deeply-nested",
      `this condition nests more than ${LIMITS.expressionDepth} levels deep`,
      condition.span,
      "each `and`, `or`, comparison, `not` and `-` is a level: split the condition into several `expect` steps or `if`s",
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
  declare literal: LiteralDraft | undefined;

  constructor() {
    super();
    this.name = undefined;
    this.literal = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof LiteralDraft) this.literal ??= child;
  }

  build(b: AstBuilder): Param | undefined {
    if (!valid(this.name)) return undefined;
    const name = b.identifier(this.name);
    const span = b.span(this);
    if (!this.literal) return { kind: "param", name, span };
    const value = b.use(this.literal);
    return value ? { kind: "param", name, default: value, span } : undefined;
  }
}

export class LiteralDraft extends Draft<Literal> {
  declare string: IToken | undefined;
  declare boolean: IToken | undefined;
  declare minus: IToken | undefined;
  declare number: IToken | undefined;

  constructor() {
    super();
    this.string = undefined;
    this.boolean = undefined;
    this.minus = undefined;
    this.number = undefined;
  }

  build(b: AstBuilder): Literal | undefined {
    if (valid(this.string)) {
      return { kind: "string-literal", value: b.template(this.string), span: b.tokenSpan(this.string) };
    }
    if (valid(this.boolean)) return booleanOf(b, this.boolean);
    if (!valid(this.number)) return undefined;
    const sign = valid(this.minus) ? "-" : "";
    const span = b.span(this);
    return { kind: "number", value: b.numberValue(this.number, sign), text: `${sign}${this.number.image}`, span };
  }
}

// ---- steps ---------------------------------------------------------------------------------------

/** `step`: one of the statements; passes its node through. */
export class StepDraft extends Draft<Step> {
  declare step: Draft<Step> | undefined;

  constructor() {
    super();
    this.step = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    this.step ??= child as Draft<Step>;
  }

  build(b: AstBuilder): Step | undefined {
    return b.use(this.step);
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
      ? { kind: "session", waiting, id: b.plainString(this.id), steps, span }
      : { kind: "session", waiting, steps, span };
  }

  /** `session waiting 5000 [on ...]` or `session waiting input 15000, display 10000`, in REQUEST_TYPES order. */
  private waitingScreens(b: AstBuilder): WaitingScreen[] {
    const screens: WaitingScreen[] = [];
    if (valid(this.timeout)) {
      const duration = b.duration(this.timeout);
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
    const seen = new Set<RequestType>();
    for (const screen of screens) {
      if (seen.has(screen.request)) {
        b.error(
          "duplicate-request-type",
          `\`${screen.request}\` is listed twice`,
          screen.span,
          "give each request type one waiting screen",
        );
      }
      seen.add(screen.request);
    }
    return REQUEST_TYPES.flatMap((request) => {
      const first = screens.find((s) => s.request === request);
      return first ? [first] : [];
    });
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
    const timeout = valid(this.timeout) ? b.duration(this.timeout) : undefined;
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
  declare within: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.kind = undefined;
    this.prompt = undefined;
    this.menu = undefined;
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
    const within = valid(this.within) ? b.duration(this.within) : undefined;
    const as = b.use(this.capture);
    const step = { kind: "input", input: kind, prompt } as InputStep;
    if (entries) step.entries = entries;
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
    return { kind: "display", content, for: b.duration(this.for), span };
  }
}

export class PayDraft extends Draft<PayStep> {
  declare amount: IToken | undefined;
  declare currency: IToken | undefined;
  declare tip: IToken | undefined;
  declare ref: IToken | undefined;
  declare capture: CaptureDraft | undefined;

  constructor() {
    super();
    this.amount = undefined;
    this.currency = undefined;
    this.tip = undefined;
    this.ref = undefined;
    this.capture = undefined;
  }

  protected override adopt(child: Draft<unknown>): void {
    if (child instanceof CaptureDraft) this.capture ??= child;
  }

  build(b: AstBuilder): PayStep | undefined {
    if (!valid(this.amount) || !valid(this.currency)) return undefined;
    const code = this.currency.image;
    const amount = b.amount(this.amount, code);
    const currency = { kind: "currency", code, span: b.tokenSpan(this.currency) } as const;
    const span = b.span(this);
    const tip = valid(this.tip) ? b.amount(this.tip, code) : undefined;
    const ref = valid(this.ref) ? b.template(this.ref) : undefined;
    const as = b.use(this.capture);
    const step = { kind: "pay", amount, currency } as PayStep;
    if (tip) step.tip = tip;
    if (ref) step.ref = ref;
    if (as) step.as = as;
    step.span = span;
    return step;
  }
}

export class WaitDraft extends Draft<Step> {
  declare duration: IToken | undefined;

  constructor() {
    super();
    this.duration = undefined;
  }

  build(b: AstBuilder): Step | undefined {
    return valid(this.duration) ? { kind: "wait", duration: b.duration(this.duration), span: b.span(this) } : undefined;
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
  declare left: UnaryDraft | undefined;
  declare readonly right: UnaryDraft[];
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
    if (!(child instanceof UnaryDraft)) return;
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
    return { kind: "binary", operator: operator.image as BinaryOperator, left, right, span: b.span(this) };
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
  declare string: IToken | undefined;
  declare boolean: IToken | undefined;
  declare inner: Draft<Expression> | undefined;

  constructor() {
    super();
    this.number = undefined;
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
      return { kind: "number", value: b.numberValue(number, ""), text: number.image, span: b.tokenSpan(number) };
    }
    if (valid(this.string)) {
      return { kind: "string-literal", value: b.template(this.string), span: b.tokenSpan(this.string) };
    }
    if (valid(this.boolean)) return booleanOf(b, this.boolean);
    this.depth = this.inner?.depth ?? 1;
    return b.use(this.inner);
  }
}

export class ReferenceDraft extends Draft<Expression> {
  declare head: IToken | undefined;
  declare readonly fields: IToken[];

  constructor() {
    super();
    this.head = undefined;
    this.fields = [];
  }

  build(b: AstBuilder): Expression | undefined {
    if (!valid(this.head)) return undefined;
    if (!this.fields.every(valid)) return undefined;
    return {
      kind: "reference",
      name: b.identifier(this.head),
      fields: this.fields.map((t) => b.identifier(t)),
      span: b.span(this),
    };
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

function durationHint(text: string): string {
  const m = /^([0-9]+)(?:\.([0-9]+))?(ms|s|m|min|h)?$/.exec(text);
  if (m && (m[3] === "m" || m[3] === "min" || m[3] === "h") && !m[2]) {
    const seconds = Number(m[1]) * (m[3] === "h" ? 3600 : 60);
    return `durations are milliseconds, \`ms\` or \`s\`: write \`${seconds}s\``;
  }
  if (m && m[2] !== undefined && (m[3] === "s" || m[3] === undefined)) {
    const ms = Number(`${m[1]}.${m[2]}`) * (m[3] === "s" ? 1000 : 1);
    if (Number.isInteger(ms)) return `durations are whole numbers: write \`${ms}ms\``;
  }
  return "write milliseconds (`5000`) or use `ms` or `s` (`250ms`, `5s`)";
}
