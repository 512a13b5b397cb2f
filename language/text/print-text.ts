/**
 * AST -> mini-language text in the one canonical layout: `flow "name"` first, params next, a blank
 * line, then one statement per line with two-space indentation inside sessions and `if` blocks.
 * Texts are kept as written (`12.50`, `5s`), so parse(print(ast)) is the same AST, spans aside.
 */
import type {
  CallStep,
  DisplayStep,
  Expression,
  Flow,
  ForStep,
  Handler,
  IfStep,
  InputStep,
  Literal,
  Param,
  PayStep,
  PrintStep,
  RefundStep,
  Identifier,
  RepeatStep,
  SessionStep,
  Step,
  Template,
  TemplatePart,
  WaitingScreen,
} from "../ast.js";
import { REQUEST_TYPES, handlersOf } from "../ast.js";
import { quoteTemplate, quoteText } from "./strings.js";

/** One output line. `from`/`to` are the source offsets of its first and last token, when known. */
export interface PrintedLine {
  depth: number;
  text: string;
  /** `open` ends with `<` or `{`, `close` is `>` or `}`, `middle` is `} else {`. */
  role: "statement" | "open" | "middle" | "close" | "blank";
  from?: number;
  to?: number;
}

/** Source offsets of the punctuation the AST does not keep, for the formatter. */
export interface BlockLocator {
  /** The `<` of a session, or the `{` after an `if` condition or a loop's header. */
  open(step: SessionStep | IfStep | ForStep | RepeatStep): number | undefined;
  /** The `}` that closes an `if`'s then-block. */
  thenClose(step: IfStep): number | undefined;
  /** The `{` that opens an `else` block (not used for `else if`). */
  elseOpen(step: IfStep): number | undefined;
  /** The `{` that opens a handler's steps. */
  handlerOpen(handler: Handler): number | undefined;
}

/** The canonical text of a flow, ending with one newline. */
export function printFlowText(flow: Flow): string {
  return renderLines(printFlowLines(flow));
}

/** Joins printed lines with two-space indentation and a final newline. */
export function renderLines(lines: readonly PrintedLine[]): string {
  return `${lines.map((l) => (l.role === "blank" || l.text === "" ? "" : "  ".repeat(l.depth) + l.text)).join("\n")}\n`;
}

/** The canonical lines of a flow; with a locator every line knows where it came from. */
export function printFlowLines(flow: Flow, locate?: BlockLocator): PrintedLine[] {
  const lines: PrintedLine[] = [];
  if (flow.name)
    lines.push(
      statement(0, `flow ${quoteText(flow.name.value)}`, flow.name.span.start.offset, flow.name.span.end.offset - 1),
    );
  for (const param of flow.params)
    lines.push(statement(0, printParam(param), param.span.start.offset, param.span.end.offset - 1));
  if (lines.length > 0 && flow.steps.length > 0) lines.push({ depth: 0, text: "", role: "blank" });
  printSteps(flow.steps, 0, lines, locate);
  return lines;
}

function statement(depth: number, text: string, from?: number, to?: number): PrintedLine {
  return { depth, text, role: "statement", from, to };
}

function printSteps(steps: readonly Step[], depth: number, lines: PrintedLine[], locate?: BlockLocator): void {
  for (const step of steps) printStep(step, depth, lines, locate);
}

function printStep(step: Step, depth: number, lines: PrintedLine[], locate?: BlockLocator): void {
  const from = step.span.start.offset;
  const last = step.span.end.offset - 1;
  switch (step.kind) {
    case "session":
      lines.push({ depth, text: `${sessionHeader(step)} <`, role: "open", from, to: locate?.open(step) });
      printSteps(step.steps, depth + 1, lines, locate);
      lines.push({ depth, text: ">", role: "close", from: last, to: last });
      return;
    case "if":
      printIf(step, depth, lines, locate, `if ${printExpression(step.condition)} {`, "open", from);
      lines.push({ depth, text: "}", role: "close", from: last, to: last });
      return;
    case "for":
    case "repeat": {
      const header =
        step.kind === "for"
          ? `for ${step.variable.name} in ${printExpression(step.over)} {`
          : `repeat ${printExpression(step.count)} times {`;
      lines.push({ depth, text: header, role: "open", from, to: locate?.open(step) });
      printSteps(step.steps, depth + 1, lines, locate);
      lines.push({ depth, text: "}", role: "close", from: last, to: last });
      return;
    }
    default:
      lines.push(statement(depth, printSimpleStep(step), from, last));
      for (const handler of handlersOf(step)) printHandler(handler, depth + 1, lines, locate);
  }
}

/**
 * `on declined retry 1 {`, its steps, `}`, one level under its step; without steps, one line:
 * `on cancelled use false`, or `on failed {}` when that is all it says.
 */
function printHandler(handler: Handler, depth: number, lines: PrintedLine[], locate?: BlockLocator): void {
  const from = handler.span.start.offset;
  const last = handler.span.end.offset - 1;
  let header = `on ${handler.outcome.name}`;
  if (handler.retry) header += ` retry ${handler.retry.text}`;
  if (handler.use) header += ` use ${printExpression(handler.use)}`;
  if (handler.steps.length === 0) {
    lines.push(statement(depth, handler.retry || handler.use ? header : `${header} {}`, from, last));
    return;
  }
  lines.push({ depth, text: `${header} {`, role: "open", from, to: locate?.handlerOpen(handler) });
  printSteps(handler.steps, depth + 1, lines, locate);
  lines.push({ depth, text: "}", role: "close", from: last, to: last });
}

/** An `if` and its `else if` chain, without the final `}`. */
function printIf(
  step: IfStep,
  depth: number,
  lines: PrintedLine[],
  locate: BlockLocator | undefined,
  header: string,
  role: "open" | "middle",
  from: number | undefined,
): void {
  lines.push({ depth, text: header, role, from, to: locate?.open(step) });
  printSteps(step.then, depth + 1, lines, locate);
  if (!step.else) return;
  const close = locate?.thenClose(step);
  const only = step.else.length === 1 ? step.else[0] : undefined;
  if (only?.kind === "if") {
    printIf(only, depth, lines, locate, `} else if ${printExpression(only.condition)} {`, "middle", close);
    return;
  }
  lines.push({ depth, text: "} else {", role: "middle", from: close, to: locate?.elseOpen(step) });
  printSteps(step.else, depth + 1, lines, locate);
}

function sessionHeader(step: SessionStep): string {
  const id = step.id ? ` id ${quoteTemplate(step.id.parts)}` : "";
  return `session ${waitingClause(step.waiting)}${id}`;
}

/** `waiting 5000`, `waiting 5000 on input, display`, or `waiting input 15000, display 10000`. */
function waitingClause(waiting: readonly WaitingScreen[]): string {
  const first = waiting[0];
  if (first && waiting.every((w) => w.timeout.text === first.timeout.text)) {
    const everyType =
      waiting.length === REQUEST_TYPES.length && REQUEST_TYPES.every((t, i) => waiting[i].request === t);
    return everyType
      ? `waiting ${first.timeout.text}`
      : `waiting ${first.timeout.text} on ${waiting.map((w) => w.request).join(", ")}`;
  }
  return `waiting ${waiting.map((w) => `${w.request} ${w.timeout.text}`).join(", ")}`;
}

function printSimpleStep(step: Exclude<Step, SessionStep | IfStep | ForStep | RepeatStep>): string {
  switch (step.kind) {
    case "input":
      return printInput(step);
    case "display":
      return printDisplay(step);
    case "pay":
      return printPay(step);
    case "refund":
      return printRefund(step);
    case "print":
      return printPrint(step);
    case "acquire":
      return `acquire card${step.within ? ` within ${step.within.text}` : ""}${captureText(step.as)}`;
    case "status":
      return `status ${step.payment.name.name}${captureText(step.as)}`;
    case "call":
      return printCall(step);
    case "wait":
      return `wait ${step.duration.text}`;
    case "expect":
      return `expect ${printExpression(step.condition)}`;
  }
}

function printInput(step: InputStep): string {
  let out = `input ${step.input} ${quoteTemplate(step.prompt.parts)}`;
  if (step.input === "menu" || step.entries)
    out += ` [${(step.entries ?? []).map((e) => quoteTemplate(e.parts)).join(", ")}]`;
  if (step.currency) out += ` in ${step.currency.code}`;
  if (step.within) out += ` within ${step.within.text}`;
  if (step.as) out += ` as ${step.as.name}`;
  return out;
}

function printDisplay(step: DisplayStep): string {
  if (step.content.kind === "idle") return "display idle";
  let out = `display ${quoteTemplate(step.content.text.parts)}`;
  if (step.for) out += ` for ${step.for.text}`;
  return out;
}

function printPay(step: PayStep): string {
  let out = `pay ${printExpression(step.amount)}`;
  if (step.tip) out += ` tip ${printExpression(step.tip)}`;
  if (step.ref) out += ` ref ${quoteTemplate(step.ref.parts)}`;
  if (step.with) out += ` with ${step.with.name.name}`;
  if (step.within) out += ` within ${step.within.text}`;
  if (step.as) out += ` as ${step.as.name}`;
  return out;
}

/**
 * `refund p`, `refund p 5.00 EUR`, `refund 5.00 EUR`. An amount that would read back as something
 * else goes in parentheses: a lone name (it would be the payment), or after the payment one that
 * starts with `-` (it would subtract) or with the name `as` or `on` (a capture, a handler).
 * `refund p (...)` reads as the payment and its amount.
 */
function printRefund(step: RefundStep): string {
  const amount = step.amount ? printExpression(step.amount) : undefined;
  let out = "refund";
  if (step.payment) out += ` ${step.payment.name.name}`;
  if (amount !== undefined) {
    const ambiguous = step.payment
      ? amount.startsWith("-") || /^(?:as|on)(?![A-Za-z0-9_])/.test(amount)
      : step.amount?.kind === "reference" && step.amount.fields.length === 0;
    out += ambiguous ? ` (${amount})` : ` ${amount}`;
  }
  return out + captureText(step.as);
}

/** `call "shared/tip.flow" with bill = total, guests = 2 as t`. */
function printCall(step: CallStep): string {
  const args = step.with.map((a) => `${a.name.name} = ${printExpression(a.value)}`).join(", ");
  return `call ${quoteText(step.flow.value)}${args ? ` with ${args}` : ""}${captureText(step.as)}`;
}

function printPrint(step: PrintStep): string {
  const c = step.content;
  const what =
    c.kind === "receipt"
      ? `receipt ${c.payment.name.name}${c.copy === "cashier" ? " cashier" : ""}`
      : c.lines.map((line) => quoteTemplate(line.parts)).join(" ");
  return `print ${what}${captureText(step.as)}`;
}

function captureText(as: Identifier | undefined): string {
  return as ? ` as ${as.name}` : "";
}

function printParam(param: Param): string {
  const type = param.type ? `: ${param.type.name}` : "";
  const value = param.default ? ` = ${printLiteral(param.default)}` : "";
  return `param ${param.name.name}${type}${value}`;
}

function printLiteral(literal: Literal): string {
  return printExpression(literal);
}

// ---- expressions: parentheses only where precedence needs them -----------------------------

const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARISON = 4;
const RANGE = 5;
const ADDITIVE = 6;
const MULTIPLICATIVE = 7;
const NEGATION = 8;
const PRIMARY = 9;

function precedence(e: Expression): number {
  if (e.kind === "binary") {
    switch (e.operator) {
      case "or":
        return OR;
      case "and":
        return AND;
      case "+":
      case "-":
        return ADDITIVE;
      case "*":
      case "/":
        return MULTIPLICATIVE;
      default:
        return COMPARISON;
    }
  }
  if (e.kind === "range") return RANGE;
  if (e.kind === "unary") return e.operator === "not" ? NOT : NEGATION;
  return PRIMARY;
}

/**
 * Param values to write in place of their `${name}`: `termflow plan` shows a flow with its --var
 * values filled in. Captures and `${name.field}` stay as written.
 */
export type KnownValues = ReadonlyMap<string, string>;

const NONE: KnownValues = new Map();

/** A template as a string literal, with known param values filled in. */
export function printTemplate(template: Template, known: KnownValues = NONE): string {
  if (known.size === 0) return quoteTemplate(template.parts);
  const parts: TemplatePart[] = template.parts.map((part) =>
    part.kind === "interpolation" && part.ref.fields.length === 0 && known.has(part.ref.name.name)
      ? { kind: "text", value: known.get(part.ref.name.name) as string }
      : part,
  );
  return quoteTemplate(parts);
}

/**
 * An expression as it would be written, with the fewest parentheses that keep its tree, except that
 * a negated negation reads `-(-x)`: `--x` parses back the same but looks like a decrement.
 */
export function printExpression(e: Expression, known: KnownValues = NONE): string {
  switch (e.kind) {
    case "number":
      return e.text;
    case "money":
      return `${e.amount.text} ${e.currency.code}`;
    case "boolean":
      return String(e.value);
    case "string-literal":
      return printTemplate(e.value, known);
    case "reference":
      return [e.name.name, ...e.fields.map((f) => f.name)].join(".");
    case "unary":
      if (e.operator === "not") return `not ${wrap(e.operand, NOT, known)}`;
      return e.operand.kind === "unary" && e.operand.operator === "-"
        ? `-(${printExpression(e.operand, known)})`
        : `-${wrap(e.operand, NEGATION, known)}`;
    case "binary": {
      const level = precedence(e);
      // Everything else associates to the left; comparisons do not chain, so both sides bind tighter.
      const left = wrap(e.left, level === COMPARISON ? RANGE : level, known);
      const right = wrap(e.right, level === COMPARISON ? RANGE : level + 1, known);
      return `${left} ${e.operator} ${right}`;
    }
    case "range":
      // A range has one `..`: both ends bind tighter.
      return `${wrap(e.from, ADDITIVE, known)}..${wrap(e.to, ADDITIVE, known)}`;
    case "call":
      return `${e.callee.name}(${e.args.map((a) => printExpression(a, known)).join(", ")})`;
  }
}

function wrap(e: Expression, atLeast: number, known: KnownValues): string {
  const text = printExpression(e, known);
  return precedence(e) >= atLeast ? text : `(${text})`;
}
