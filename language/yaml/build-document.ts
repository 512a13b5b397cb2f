/**
 * AST -> a yaml Document in the canonical layout of the YAML form. The printer stringifies it as
 * is; the formatter first moves the source's comments onto it. One builder, so `fmt` and `convert`
 * always agree on the layout:
 *
 * - top-level keys `flow`, `params`, `steps`; step fields in the order of the step definitions;
 * - sessions and ifs as block maps; other steps as one-line flow maps (`{amount: "12.50", ...}`)
 *   when they fit in LINE_WIDTH columns, else as block maps;
 * - amounts always double-quoted (their decimals are part of the value); durations and numbers
 *   exactly as written (`007`, `5s`, `12.50`); expressions written back in the mini-language.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node, type ScalarTag, type ToStringOptions } from "yaml";
import {
  REQUEST_TYPES,
  handlersOf,
  type DisplayStep,
  type Handler,
  type Duration,
  type Expression,
  type Flow,
  type InputStep,
  type Literal,
  type Param,
  type PayStep,
  type Identifier,
  type RefundStep,
  type SessionStep,
  type Step,
  type Template,
} from "../ast.js";
import { printExpression } from "../text/print-text.js";
import { writeTemplate } from "./templates.js";

/** Lines the printer tries to stay within when it decides between a flow map and a block map. */
export const LINE_WIDTH = 80;

/** The one set of stringify options of the YAML form. */
export const YAML_STRINGIFY_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  // A double-quoted string stays on one line: a line break in it is written `\n`, never folded.
  doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
  flowCollectionPadding: false,
  nullStr: "null",
  trueStr: "true",
  falseStr: "false",
};

/** A number as written in the flow (`007`, `12.50`, `-3`): printed from its text, never re-rendered. */
export class WrittenNumber {
  constructor(readonly text: string) {}
}

/** Prints a WrittenNumber as its text, plain, so it reads back with the same text. */
const writtenNumberTag: ScalarTag = {
  identify: (value) => value instanceof WrittenNumber,
  default: true,
  tag: "tag:yaml.org,2002:float",
  resolve: (source) => source,
  stringify: (item) => (item.value as WrittenNumber).text,
};

/** A new Document set up for the YAML form, holding `contents` (a yaml node, or nothing). */
export function newFlowDocument(contents: Node | null = null): Document {
  return new Document(contents, { customTags: [writtenNumberTag], version: "1.2" });
}

/** The Document of a flow in canonical layout (no comments). */
export function flowToDocument(flow: Flow): Document {
  const doc = newFlowDocument();
  const root = new YAMLMap();
  if (flow.name) root.items.push(pair("flow", text(flow.name.value)));
  if (flow.params.length > 0) root.items.push(pair("params", paramsNode(flow.params)));
  root.items.push(pair("steps", stepsNode(flow.steps)));
  doc.contents = root;
  return doc;
}

/** One flow's document as text. */
export function documentText(doc: Document): string {
  return doc.toString(YAML_STRINGIFY_OPTIONS);
}

function paramsNode(params: readonly Param[]): YAMLMap {
  const map = new YAMLMap();
  for (const param of params) {
    const value = param.default ? literal(param.default) : new Scalar(null);
    if (!param.type) {
      map.items.push(pair(param.name.name, value));
      continue;
    }
    // `total: {type: money, default: 100.00 EUR}`
    const typed = new YAMLMap();
    typed.flow = true;
    typed.items.push(pair("type", new Scalar(param.type.name)));
    if (param.default) typed.items.push(pair("default", value));
    map.items.push(pair(param.name.name, typed));
  }
  return map;
}

/** A plain scalar YAML reads as an amount (`100.00 EUR`) or a percentage (`10%`): a text that looks so is quoted. */
const LOOKS_LIKE_MONEY_OR_PERCENT = /^(-?[0-9][0-9.]* +[A-Z]{3}|-?[0-9]+(?:\.[0-9]+)?%)$/;

function literal(value: Literal): Scalar {
  switch (value.kind) {
    case "boolean":
      return new Scalar(value.value);
    case "number":
      // `10%` is read back as a percentage only plain.
      return value.text.endsWith("%") ? new Scalar(value.text) : new Scalar(new WrittenNumber(value.text));
    case "money":
      return new Scalar(`${value.amount.text} ${value.currency.code}`);
    case "string-literal": {
      const scalar = template(value.value);
      if (LOOKS_LIKE_MONEY_OR_PERCENT.test(String(scalar.value))) scalar.type = Scalar.QUOTE_DOUBLE;
      return scalar;
    }
  }
}

/** A list of steps, always in block style. */
export function stepsNode(steps: readonly Step[]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const step of steps) seq.items.push(stepNode(step));
  return seq;
}

/** `{<kind>: <value>}`: one list item, with `on: {...}` next to the step key when it has handlers. */
export function stepNode(step: Step): YAMLMap {
  const item = new YAMLMap();
  item.items.push(pair(step.kind, stepValue(step)));
  const handlers = handlersOf(step);
  if (handlers.length > 0) {
    const on = new YAMLMap();
    for (const handler of handlers) on.items.push(pair(handler.outcome.name, handlerNode(handler)));
    item.items.push(pair("on", on));
  }
  return item;
}

/** A handler's steps (`declined: [...]`), or `{retry: 1, use: ..., steps: [...]}` when it says more. */
function handlerNode(handler: Handler): Node {
  if (!handler.retry && !handler.use) {
    const steps = stepsNode(handler.steps);
    if (handler.steps.length === 0) steps.flow = true;
    return steps;
  }
  const fields: [string, Node][] = [];
  if (handler.retry) fields.push(["retry", new Scalar(new WrittenNumber(handler.retry.text))]);
  if (handler.use)
    fields.push(["use", handler.use.kind === "boolean" ? new Scalar(handler.use.value) : expression(handler.use)]);
  if (handler.steps.length > 0) fields.push(["steps", stepsNode(handler.steps)]);
  const map = mapOf(fields);
  return handler.steps.length > 0 ? map : compact(map);
}

function stepValue(step: Step): Node {
  switch (step.kind) {
    case "session":
      return sessionNode(step);
    case "input":
      return compact(inputNode(step));
    case "display":
      return displayNode(step);
    case "pay":
      return payNode(step);
    case "refund":
      return refundNode(step);
    case "print": {
      const c = step.content;
      const fields: [string, Node][] =
        c.kind === "receipt"
          ? [
              ["receipt", new Scalar(c.payment.name.name)],
              ...(c.copy === "cashier" ? [["copy", new Scalar("cashier")] as [string, Node]] : []),
            ]
          : [["lines", seqOf(c.lines.map(template))]];
      return compact(mapOf(withAs(fields, step.as)));
    }
    case "acquire":
      return compact(mapOf(withAs(step.within ? [["within", duration(step.within)]] : [], step.as)));
    case "status":
      return step.as
        ? compact(mapOf(withAs([["payment", new Scalar(step.payment.name.name)]], step.as)))
        : new Scalar(step.payment.name.name);
    case "call": {
      if (step.with.length === 0 && !step.as) return text(step.flow.value);
      const fields: [string, Node][] = [["flow", text(step.flow.value)]];
      if (step.with.length > 0) {
        const args = new YAMLMap();
        args.flow = true;
        for (const arg of step.with) args.items.push(pair(arg.name.name, expression(arg.value)));
        fields.push(["with", args]);
      }
      return compact(mapOf(withAs(fields, step.as)));
    }
    case "wait":
      return duration(step.duration);
    case "expect":
      return new Scalar(printExpression(step.condition));
    case "if": {
      const map = new YAMLMap();
      map.items.push(pair("condition", new Scalar(printExpression(step.condition))));
      map.items.push(pair("then", stepsNode(step.then)));
      if (step.else) map.items.push(pair("else", stepsNode(step.else)));
      return map;
    }
    case "for":
      return mapOf([
        ["each", new Scalar(step.variable.name)],
        ["in", expression(step.over)],
        ["steps", stepsNode(step.steps)],
      ]);
    case "repeat":
      return mapOf([
        ["times", expression(step.count)],
        ["steps", stepsNode(step.steps)],
      ]);
  }
}

/** An expression in the mini-language, as a YAML text (a number stays as written). */
function expression(e: Expression): Scalar {
  return e.kind === "number" && !e.text.endsWith("%")
    ? new Scalar(new WrittenNumber(e.text))
    : new Scalar(printExpression(e));
}

/**
 * `waiting: 5000` (+ `on: [input, display]` for a subset) when every screen has the same timeout as
 * written, else one timeout per type: `waiting: {input: 15000, display: 10000}`.
 */
function sessionNode(step: SessionStep): YAMLMap {
  const map = new YAMLMap();
  const texts = new Set(step.waiting.map((w) => w.timeout.text));
  if (step.waiting.length > 0 && texts.size === 1) {
    map.items.push(pair("waiting", duration(step.waiting[0].timeout)));
    if (step.waiting.length < REQUEST_TYPES.length) {
      const on = new YAMLSeq();
      on.flow = true;
      for (const screen of step.waiting) on.items.push(new Scalar(screen.request));
      map.items.push(pair("on", on));
    }
  } else {
    const perType = new YAMLMap();
    perType.flow = true;
    for (const screen of step.waiting) perType.items.push(pair(screen.request, duration(screen.timeout)));
    map.items.push(pair("waiting", perType));
  }
  if (step.id) map.items.push(pair("id", template(step.id)));
  map.items.push(pair("steps", stepsNode(step.steps)));
  return map;
}

function inputNode(step: InputStep): YAMLMap {
  const map = new YAMLMap();
  map.items.push(pair(step.input, template(step.prompt)));
  if (step.input === "menu") {
    const entries = new YAMLSeq();
    entries.flow = true;
    for (const entry of step.entries ?? []) entries.items.push(template(entry));
    map.items.push(pair("entries", entries));
  }
  if (step.currency) map.items.push(pair("currency", new Scalar(step.currency.code)));
  if (step.within) map.items.push(pair("within", duration(step.within)));
  if (step.as) map.items.push(pair("as", new Scalar(step.as.name)));
  return map;
}

/**
 * `display: Thanks`; `{text: Thanks, for: 3s}`; `{idle: true}` for the idle screen, and
 * `{text: idle}` for the word (`display: idle` reads as the idle screen).
 */
function displayNode(step: DisplayStep): Node {
  if (step.content.kind === "idle") return compact(mapOf([["idle", new Scalar(true)]]));
  const shown = template(step.content.text);
  if (!step.for && shown.value !== "idle") return shown;
  const fields: [string, Node][] = [["text", shown]];
  if (step.for) fields.push(["for", duration(step.for)]);
  return compact(mapOf(fields));
}

/**
 * `pay: 12.50 EUR` (or `pay: share`) when the amount is all, as `refund: p` and `display: Thanks` are
 * written. Else `{amount: "12.50", currency: EUR, tip: "1.00"}` when the amount (and tip) are written
 * amounts of one currency, the form YAML flows have always had; otherwise expressions:
 * `{amount: share, tip: share * 10%}`.
 */
function payNode(step: PayStep): Node {
  // Any other field (those to come too) needs the map.
  if (Object.keys(step).every((k) => k === "kind" || k === "amount" || k === "span")) return expression(step.amount);
  const map = compact(new YAMLMap());
  const amount = step.amount;
  const tip = step.tip;
  const written =
    amount.kind === "money" &&
    (tip === undefined || (tip.kind === "money" && tip.currency.code === amount.currency.code));
  if (written) {
    map.items.push(pair("amount", quoted(amount.amount.text)));
    map.items.push(pair("currency", new Scalar(amount.currency.code)));
    if (tip?.kind === "money") map.items.push(pair("tip", quoted(tip.amount.text)));
  } else {
    map.items.push(pair("amount", expression(amount)));
    if (tip) map.items.push(pair("tip", expression(tip)));
  }
  if (step.ref) map.items.push(pair("ref", template(step.ref)));
  if (step.with) map.items.push(pair("with", new Scalar(step.with.name.name)));
  if (step.within) map.items.push(pair("within", duration(step.within)));
  if (step.as) map.items.push(pair("as", new Scalar(step.as.name)));
  return map;
}

/** `refund: p` when that is all; else `{payment, amount (+ currency when written), as}`. */
function refundNode(step: RefundStep): Node {
  if (step.payment && !step.amount && !step.as) return new Scalar(step.payment.name.name);
  const fields: [string, Node][] = [];
  if (step.payment) fields.push(["payment", new Scalar(step.payment.name.name)]);
  const amount = step.amount;
  if (amount?.kind === "money") {
    fields.push(["amount", quoted(amount.amount.text)]);
    fields.push(["currency", new Scalar(amount.currency.code)]);
  } else if (amount) fields.push(["amount", expression(amount)]);
  return compact(mapOf(withAs(fields, step.as)));
}

function withAs(fields: [string, Node][], as: Identifier | undefined): [string, Node][] {
  return as ? [...fields, ["as", new Scalar(as.name)]] : fields;
}

function seqOf(items: Node[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  for (const item of items) seq.items.push(item);
  return seq;
}

// ---- scalars -------------------------------------------------------------------------------------

function template(value: Template): Scalar {
  return text(writeTemplate(value.parts));
}

/** A string; double-quoted when it holds line breaks or tabs, which read back exactly only as escapes. */
function text(value: string): Scalar {
  const scalar = new Scalar(value);
  if (/[\u0000-\u001f\u007f]/.test(value)) scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** `5000` plain as a number, `5s` as text: both exactly as written. */
function duration(value: Duration): Scalar {
  return /^[0-9]+$/.test(value.text) ? new Scalar(new WrittenNumber(value.text)) : new Scalar(value.text);
}

function pair(key: string, value: Node): Pair<Scalar, Node> {
  return new Pair(new Scalar(key), value);
}

function mapOf(fields: [string, Node][]): YAMLMap {
  const map = new YAMLMap();
  for (const [key, value] of fields) map.items.push(pair(key, value));
  return map;
}

/** Marks a step's map as a flow map; `fitLayout` turns it back to block style when it is too long. */
function compact(map: YAMLMap): YAMLMap {
  map.flow = true;
  return map;
}
