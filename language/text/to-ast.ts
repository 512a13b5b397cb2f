/**
 * CST -> AST for the mini-language. Builds exactly the nodes of ../ast.ts, with half-open spans, and
 * reports what the grammar cannot: bad durations (`5m`), bad amounts, unknown input kinds and
 * request types, string escapes, missing separators.
 *
 * The CST may come from error recovery: any child can be missing and any token can be a virtual
 * one with NaN positions. A node whose required parts are missing is dropped (its syntax error is
 * already reported), so the AST only ever holds well-formed nodes.
 */
import type { CstElement, CstNode, CstNodeLocation, IToken } from "chevrotain";
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
import type { Diagnostic } from "../diagnostic.js";
import { parseDuration } from "../duration.js";
import { AMOUNT_PATTERN, toMinorUnits } from "../money.js";
import { didYouMean } from "../suggest.js";
import { flowParser } from "./parser.js";
import type { LineIndex } from "./positions.js";
import { readString } from "./strings.js";

type Children = Record<string, CstElement[] | undefined>;

const NUMBER_TEXT = /^[0-9]+(?:\.[0-9]+)?$/;

const BaseVisitor = flowParser.getBaseCstVisitorConstructor<CstNodeLocation, unknown>();

/** Turns one flow CST into the AST; reusable, one file at a time. */
class AstBuilder extends BaseVisitor {
  private lines!: LineIndex;
  private diagnostics: Diagnostic[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  /** The Flow of a `flow` CST, and the diagnostics found on the way. */
  build(cst: CstNode, lines: LineIndex): { flow: Flow; diagnostics: Diagnostic[] } {
    this.lines = lines;
    this.diagnostics = [];
    const flow = this.visit(cst) as Flow;
    return { flow, diagnostics: this.diagnostics };
  }

  /** Chevrotain hands visit methods only the children; pass each node's location along. */
  override visit(node: CstNode | CstNode[], _param?: unknown): unknown {
    const n = Array.isArray(node) ? node[0] : node;
    return n === undefined ? undefined : super.visit(n, n.location ?? NO_LOCATION);
  }

  // ---- top level -------------------------------------------------------------------------------

  flow(ctx: Children): Flow {
    const nameNode = nodes(ctx, "flowName")[0];
    const name = nameNode ? (this.visit(nameNode) as StringLiteral | undefined) : undefined;
    const params = this.visitAll<Param>(nodes(ctx, "param"));
    const steps = this.visitAll<Step>(nodes(ctx, "step"));
    this.requireSeparators([nameNode, ...nodes(ctx, "param"), ...nodes(ctx, "step")], tokens(ctx, "Separator"));
    const span = this.lines.span(0, this.lines.source.length);
    return name ? { kind: "flow", name, params, steps, span } : { kind: "flow", params, steps, span };
  }

  flowName(ctx: Children): StringLiteral | undefined {
    const token = tok(ctx, "StringLiteral");
    return token ? this.plainString(token) : undefined;
  }

  param(ctx: Children, loc: CstNodeLocation): Param | undefined {
    const name = tok(ctx, "Name");
    if (!name) return undefined;
    const param: Param = { kind: "param", name: this.identifier(name), span: this.span(loc, ctx) };
    const literal = nodes(ctx, "literal")[0];
    if (literal) {
      const value = this.visit(literal) as Literal | undefined;
      if (!value) return undefined;
      param.default = value;
    }
    return reorder(param, ["kind", "name", "default", "span"]);
  }

  literal(ctx: Children, loc: CstNodeLocation): Literal | undefined {
    const string = tok(ctx, "StringLiteral");
    if (string) return { kind: "string-literal", value: this.template(string), span: this.tokenSpan(string) };
    const bool = tok(ctx, "True") ?? tok(ctx, "False");
    if (bool) return { kind: "boolean", value: bool.tokenType.name === "True", span: this.tokenSpan(bool) };
    const number = tok(ctx, "NumberLiteral");
    if (!number) return undefined;
    const minus = tok(ctx, "Minus");
    const span = this.span(loc, ctx);
    return {
      kind: "number",
      value: this.numberValue(number, minus ? "-" : ""),
      text: `${minus ? "-" : ""}${number.image}`,
      span,
    };
  }

  // ---- steps -----------------------------------------------------------------------------------

  step(ctx: Children): Step | undefined {
    for (const key of STEP_RULES) {
      const node = nodes(ctx, key)[0];
      if (node) return this.visit(node) as Step | undefined;
    }
    return undefined;
  }

  sessionStep(ctx: Children, loc: CstNodeLocation): SessionStep {
    const waiting = this.waitingScreens(ctx);
    const idToken = tok(ctx, "id");
    const steps = this.visitAll<Step>(nodes(ctx, "step"));
    this.requireSeparators(nodes(ctx, "step"), tokens(ctx, "Separator"));
    const span = this.span(loc, ctx);
    return idToken
      ? { kind: "session", waiting, id: this.plainString(idToken), steps, span }
      : { kind: "session", waiting, steps, span };
  }

  waitingEntry(ctx: Children, loc: CstNodeLocation): WaitingScreen | undefined {
    const type = nodes(ctx, "requestType")[0];
    const timeout = tok(ctx, "timeout");
    const request = type ? (this.visit(type) as RequestType | undefined) : undefined;
    const duration = timeout ? this.duration(timeout) : undefined;
    if (!request || !duration) return undefined;
    return { request, timeout: duration, span: this.span(loc, ctx) };
  }

  requestType(ctx: Children): RequestType | undefined {
    const token = tok(ctx, "Input") ?? tok(ctx, "Display") ?? tok(ctx, "Identifier");
    if (!token) return undefined;
    if ((REQUEST_TYPES as readonly string[]).includes(token.image)) return token.image as RequestType;
    const guess = didYouMean(token.image, REQUEST_TYPES);
    this.error(
      "unknown-request-type",
      `unknown request type \`${token.image}\``,
      this.tokenSpan(token),
      guess ? `did you mean \`${guess}\`?` : "a session can show a waiting screen for `input`, `display` and `payment`",
    );
    return undefined;
  }

  inputStep(ctx: Children, loc: CstNodeLocation): InputStep | undefined {
    const kindToken = tok(ctx, "kind");
    const promptToken = tok(ctx, "prompt");
    if (!kindToken || !promptToken) return undefined;
    const kind = this.inputKind(kindToken);
    if (!kind) return undefined;
    const step: InputStep = {
      kind: "input",
      input: kind,
      prompt: this.template(promptToken),
      span: this.span(loc, ctx),
    };
    const menu = nodes(ctx, "menuEntries")[0];
    if (kind === "menu") step.entries = menu ? (this.visit(menu) as Template[]) : [];
    else if (menu) {
      this.error(
        "unexpected-menu-entries",
        `\`input ${kind}\` takes no list of entries`,
        this.span(menu.location ?? NO_LOCATION, menu.children),
        "only `input menu` has entries; remove the list or use `input menu`",
      );
    }
    const within = tok(ctx, "within");
    if (within) step.within = this.duration(within);
    const as = this.captureOf(ctx);
    if (as) step.as = as;
    return reorder(step, ["kind", "input", "prompt", "entries", "within", "as", "span"]);
  }

  menuEntries(ctx: Children): Template[] {
    return tokens(ctx, "StringLiteral")
      .filter(valid)
      .map((t) => this.template(t));
  }

  capture(ctx: Children): Identifier | undefined {
    const name = tok(ctx, "Name");
    return name ? this.identifier(name) : undefined;
  }

  displayStep(ctx: Children, loc: CstNodeLocation): DisplayStep | undefined {
    const idle = tok(ctx, "Idle");
    const text = tok(ctx, "StringLiteral");
    const span = this.span(loc, ctx);
    if (idle) return { kind: "display", content: { kind: "idle", span: this.tokenSpan(idle) }, span };
    if (!text) return undefined;
    const step: DisplayStep = {
      kind: "display",
      content: { kind: "text", text: this.template(text), span: this.tokenSpan(text) },
      span,
    };
    const forToken = tok(ctx, "for");
    if (forToken) step.for = this.duration(forToken);
    return reorder(step, ["kind", "content", "for", "span"]);
  }

  payStep(ctx: Children, loc: CstNodeLocation): PayStep | undefined {
    const amountToken = tok(ctx, "amount");
    const currencyToken = tok(ctx, "currency");
    if (!amountToken || !currencyToken) return undefined;
    const code = currencyToken.image;
    const step: PayStep = {
      kind: "pay",
      amount: this.amount(amountToken, code),
      currency: { kind: "currency", code, span: this.tokenSpan(currencyToken) },
      span: this.span(loc, ctx),
    };
    const tip = tok(ctx, "tip");
    if (tip) step.tip = this.amount(tip, code);
    const ref = tok(ctx, "ref");
    if (ref) step.ref = this.template(ref);
    const as = this.captureOf(ctx);
    if (as) step.as = as;
    return reorder(step, ["kind", "amount", "currency", "tip", "ref", "as", "span"]);
  }

  waitStep(ctx: Children, loc: CstNodeLocation): Step | undefined {
    const duration = tok(ctx, "duration");
    return duration ? { kind: "wait", duration: this.duration(duration), span: this.span(loc, ctx) } : undefined;
  }

  expectStep(ctx: Children, loc: CstNodeLocation): Step | undefined {
    const condition = this.expressionOf(ctx, "expression");
    return condition ? { kind: "expect", condition, span: this.span(loc, ctx) } : undefined;
  }

  ifStep(ctx: Children, loc: CstNodeLocation): IfStep | undefined {
    const condition = this.expressionOf(ctx, "expression");
    const thenNode = nodes(ctx, "then")[0];
    if (!condition || !thenNode) return undefined;
    const step: IfStep = { kind: "if", condition, then: this.visit(thenNode) as Step[], span: this.span(loc, ctx) };
    const elseIf = nodes(ctx, "elseIf")[0];
    const elseBlock = nodes(ctx, "else")[0];
    if (elseIf) {
      const nested = this.visit(elseIf) as IfStep | undefined;
      if (nested) step.else = [nested];
    } else if (elseBlock) step.else = this.visit(elseBlock) as Step[];
    return reorder(step, ["kind", "condition", "then", "else", "span"]);
  }

  block(ctx: Children): Step[] {
    this.requireSeparators(nodes(ctx, "step"), tokens(ctx, "Separator"));
    return this.visitAll<Step>(nodes(ctx, "step"));
  }

  // ---- expressions -----------------------------------------------------------------------------

  expression(ctx: Children): Expression | undefined {
    return this.leftFold(ctx, "or");
  }

  andExpression(ctx: Children): Expression | undefined {
    return this.leftFold(ctx, "and");
  }

  notExpression(ctx: Children, loc: CstNodeLocation): Expression | undefined {
    if (tok(ctx, "Not")) {
      const operand = this.expressionOf(ctx, "notExpression");
      return operand ? { kind: "unary", operator: "not", operand, span: this.span(loc, ctx) } : undefined;
    }
    return this.expressionOf(ctx, "comparison");
  }

  comparison(ctx: Children, loc: CstNodeLocation): Expression | undefined {
    const left = this.expressionOf(ctx, "left");
    if (!left || (!ctx.operator && !ctx.right)) return left;
    const operator = tok(ctx, "operator");
    const chained = tokens(ctx, "operator")[1];
    if (chained) {
      this.error(
        "chained-comparison",
        `unexpected \`${chained.image}\` after a comparison`,
        this.tokenSpan(chained),
        "comparisons do not chain: write `a < b and b < c`",
      );
    }
    const right = this.expressionOf(ctx, "right");
    if (!operator || !right) return undefined;
    return { kind: "binary", operator: operator.image as BinaryOperator, left, right, span: this.span(loc, ctx) };
  }

  unary(ctx: Children, loc: CstNodeLocation): Expression | undefined {
    if (ctx.Minus) {
      const operand = this.expressionOf(ctx, "unary");
      return operand ? { kind: "unary", operator: "-", operand, span: this.span(loc, ctx) } : undefined;
    }
    return this.expressionOf(ctx, "primary");
  }

  primary(ctx: Children): Expression | undefined {
    const number = tok(ctx, "NumberLiteral");
    if (number)
      return { kind: "number", value: this.numberValue(number, ""), text: number.image, span: this.tokenSpan(number) };
    const string = tok(ctx, "StringLiteral");
    if (string) return { kind: "string-literal", value: this.template(string), span: this.tokenSpan(string) };
    const bool = tok(ctx, "True") ?? tok(ctx, "False");
    if (bool) return { kind: "boolean", value: bool.tokenType.name === "True", span: this.tokenSpan(bool) };
    return this.expressionOf(ctx, "expression") ?? this.expressionOf(ctx, "reference");
  }

  reference(ctx: Children, loc: CstNodeLocation): Expression | undefined {
    const head = tok(ctx, "Name");
    if (!head) return undefined;
    const fields = tokens(ctx, "fields");
    if (fields.some((t) => !valid(t))) return undefined;
    return {
      kind: "reference",
      name: this.identifier(head),
      fields: fields.map((t) => this.identifier(t)),
      span: this.span(loc, ctx),
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private captureOf(ctx: Children): Identifier | undefined {
    const node = nodes(ctx, "capture")[0];
    return node ? (this.visit(node) as Identifier | undefined) : undefined;
  }

  private leftFold(ctx: Children, operator: "or" | "and"): Expression | undefined {
    const operands = nodes(ctx, "operands").map((n) => this.visit(n) as Expression | undefined);
    if (operands.length === 0 || operands.some((o) => o === undefined)) return undefined;
    let result = operands[0] as Expression;
    for (const right of operands.slice(1) as Expression[]) {
      result = {
        kind: "binary",
        operator,
        left: result,
        right,
        span: this.lines.span(result.span.start.offset, right.span.end.offset),
      };
    }
    return result;
  }

  private expressionOf(ctx: Children, key: string): Expression | undefined {
    const node = nodes(ctx, key)[0];
    return node ? (this.visit(node) as Expression | undefined) : undefined;
  }

  private visitAll<T>(list: CstNode[]): T[] {
    return list.map((n) => this.visit(n) as T | undefined).filter((v): v is T => v !== undefined);
  }

  /** `session waiting 5000 [on ...]` or `session waiting input 15000, display 10000`, in REQUEST_TYPES order. */
  private waitingScreens(ctx: Children): WaitingScreen[] {
    const screens: WaitingScreen[] = [];
    const timeout = tok(ctx, "timeout");
    if (timeout) {
      const duration = this.duration(timeout);
      const typeNodes = nodes(ctx, "requestType");
      if (!ctx.On) {
        for (const request of REQUEST_TYPES) screens.push({ request, timeout: { ...duration }, span: duration.span });
      }
      for (const node of typeNodes) {
        const request = this.visit(node) as RequestType | undefined;
        if (request)
          screens.push({
            request,
            timeout: { ...duration },
            span: this.span(node.location ?? NO_LOCATION, node.children),
          });
      }
    } else {
      screens.push(...this.visitAll<WaitingScreen>(nodes(ctx, "waitingEntry")));
    }
    const seen = new Set<RequestType>();
    for (const screen of screens) {
      if (seen.has(screen.request)) {
        this.error(
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

  private inputKind(token: IToken): InputKind | undefined {
    if ((INPUT_KINDS as readonly string[]).includes(token.image)) return token.image as InputKind;
    const guess = didYouMean(token.image, INPUT_KINDS) as InputKind | undefined;
    this.error(
      "unknown-input-kind",
      `unknown input kind \`${token.image}\``,
      this.tokenSpan(token),
      guess ? `did you mean \`${guess}\`?` : `an input is one of: ${INPUT_KINDS.join(", ")}`,
    );
    return guess;
  }

  private duration(token: IToken): Duration {
    const text = token.image;
    const ms = parseDuration(text);
    const span = this.tokenSpan(token);
    if (ms === undefined) this.error("bad-duration", `\`${text}\` is not a duration`, span, durationHint(text));
    return { kind: "duration", ms: ms ?? Number.NaN, text, span };
  }

  private amount(token: IToken, currency: string): Amount {
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

  private numberValue(token: IToken, sign: string): number {
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

  private identifier(token: IToken): Identifier {
    return { kind: "identifier", name: token.image, span: this.tokenSpan(token) };
  }

  private plainString(token: IToken): StringLiteral {
    const content = readString(token.image, token.startOffset, false, this.lines);
    this.reportStringProblems(content.problems);
    return { kind: "string", value: content.value, span: this.tokenSpan(token) };
  }

  private template(token: IToken): Template {
    const content = readString(token.image, token.startOffset, true, this.lines);
    this.reportStringProblems(content.problems);
    return { kind: "template", value: content.value, parts: content.parts, span: this.tokenSpan(token) };
  }

  private reportStringProblems(problems: ReturnType<typeof readString>["problems"]): void {
    for (const p of problems) this.error(p.code, p.message, this.lines.span(p.start, p.end), p.hint);
  }

  /** Two statements with no `;` or new line between them: report it, keep both. */
  private requireSeparators(statements: (CstNode | undefined)[], separators: IToken[]): void {
    const placed = statements
      .filter((n): n is CstNode => n !== undefined && hasLocation(n.location))
      .sort((a, b) => a.location!.startOffset - b.location!.startOffset);
    const seps = separators.filter(valid).map((t) => t.startOffset);
    for (let i = 1; i < placed.length; i++) {
      const gapStart = placed[i - 1].location!.endOffset! + 1;
      const next = placed[i];
      const gapEnd = next.location!.startOffset;
      if (seps.some((s) => s >= gapStart && s < gapEnd)) continue;
      const first = firstToken(next);
      const span = first ? this.tokenSpan(first) : this.lines.span(gapEnd, gapEnd);
      this.error(
        "missing-separator",
        "expected `;` or a new line between steps",
        span,
        "put each step on its own line, or separate steps on one line with `;`",
      );
    }
  }

  private span(loc: CstNodeLocation, ctx: Children): Span {
    if (hasLocation(loc)) return this.lines.span(loc.startOffset, loc.endOffset! + 1);
    const all = allTokens(ctx);
    if (all.length === 0) return this.lines.span(0, 0);
    return this.lines.span(
      Math.min(...all.map((t) => t.startOffset)),
      Math.max(...all.map((t) => t.endOffset ?? t.startOffset)) + 1,
    );
  }

  private tokenSpan(token: IToken): Span {
    return this.lines.span(token.startOffset, (token.endOffset ?? token.startOffset) + 1);
  }

  private error(code: string, message: string, span: Span, hint?: string): void {
    this.diagnostics.push(
      hint ? { code, severity: "error", message, span, hint } : { code, severity: "error", message, span },
    );
  }
}

const STEP_RULES = ["sessionStep", "inputStep", "displayStep", "payStep", "waitStep", "expectStep", "ifStep"];
const NO_LOCATION: CstNodeLocation = { startOffset: Number.NaN, endOffset: Number.NaN };

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

/** A token that really is in the source (not inserted by error recovery). */
function valid(token: IToken | undefined): token is IToken {
  return (
    token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset) && token.startOffset >= 0
  );
}

function hasLocation(loc: CstNodeLocation | undefined): loc is CstNodeLocation & { endOffset: number } {
  return (
    loc !== undefined &&
    Number.isFinite(loc.startOffset) &&
    loc.startOffset >= 0 &&
    Number.isFinite(loc.endOffset) &&
    (loc.endOffset ?? -1) >= loc.startOffset
  );
}

function tokens(ctx: Children, key: string): IToken[] {
  return (ctx[key] ?? []).filter((e): e is IToken => "image" in e);
}

function tok(ctx: Children, key: string): IToken | undefined {
  const token = tokens(ctx, key)[0];
  return valid(token) ? token : undefined;
}

function nodes(ctx: Children, key: string): CstNode[] {
  return (ctx[key] ?? []).filter((e): e is CstNode => "children" in e);
}

function allTokens(ctx: Children): IToken[] {
  const out: IToken[] = [];
  for (const list of Object.values(ctx)) {
    for (const e of list ?? []) {
      if ("children" in e) out.push(...allTokens(e.children));
      else if (valid(e)) out.push(e);
    }
  }
  return out;
}

function firstToken(node: CstNode): IToken | undefined {
  const all = allTokens(node.children);
  return all.reduce<IToken | undefined>(
    (best, t) => (best === undefined || t.startOffset < best.startOffset ? t : best),
    undefined,
  );
}

/** Same object with keys in a fixed order, so printed JSON (golden files) is stable. */
function reorder<T extends object>(value: T, order: string[]): T {
  const out: Record<string, unknown> = {};
  for (const key of order)
    if ((value as Record<string, unknown>)[key] !== undefined) out[key] = (value as Record<string, unknown>)[key];
  return out as T;
}

const builder = new AstBuilder();

/** The AST of a parsed `flow` CST (possibly recovered), with the diagnostics only to-ast can see. */
export function cstToAst(cst: CstNode, lines: LineIndex): { flow: Flow; diagnostics: Diagnostic[] } {
  return builder.build(cst, lines);
}
