/**
 * A parsed YAML document -> the AST. Shapes are checked against the step definitions first
 * (read-shape.ts); this file says what each field means, with the same nodes, codes and
 * normalisations as the mini-language (waiting screens in REQUEST_TYPES order, amounts as integer
 * minor units from the text as written, durations in milliseconds).
 *
 * A step whose required parts are missing is dropped (its error is reported), so the AST only holds
 * well-formed nodes, as from the text front end.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLSeq } from "yaml";
import { tokenMatcher } from "chevrotain";
import {
  INPUT_KINDS,
  REQUEST_TYPES,
  type Amount,
  type DisplayContent,
  type DisplayStep,
  type Duration,
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
import { parseDuration } from "../duration.js";
import { LIMITS } from "../limits.js";
import { AMOUNT_PATTERN, toMinorUnits } from "../money.js";
import {
  FLOW_SHAPE,
  IDENTIFIER_PATTERN,
  STEP_BY_KIND,
  STEP_DEFINITIONS,
  type ObjectShape,
  type Shape,
} from "../step-definitions.js";
import { didYouMean } from "../suggest.js";
import { lexFlowSource, Name } from "../text/tokens.js";
import type { YamlContext } from "./context.js";
import { readExpression } from "./expression.js";
import {
  describeNode,
  fits,
  keyName,
  keyOf,
  readList,
  readObject,
  reportWrongType,
  scalarType,
  type Fields,
} from "./read-shape.js";
import { scalarText, textSpans } from "./scalar-text.js";
import { readTemplate } from "./templates.js";

const NUMBER_TEXT = /^-?[0-9]+(?:\.[0-9]+)?$/;
const STEP_KEYS = STEP_DEFINITIONS.map((d) => d.kind);

/** The Flow of a document's root node (null for an empty document). */
export function documentToFlow(ctx: YamlContext, root: unknown): Flow {
  const whole = ctx.span(0, ctx.source.length);
  const flow: Flow = { kind: "flow", params: [], steps: [], span: whole };
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
    ctx.report("missing-field", "the flow needs `steps`", ctx.span(0, 0), "start with `steps:` and a list of steps");
    return flow;
  }
  const fields = readObject(ctx, root, FLOW_SHAPE, "the flow", ctx.span(0, 0));
  if (!fields) return flow;
  const name = fields.pairs.get("flow");
  if (name) flow.name = stringLiteral(ctx, name.value as Scalar);
  const params = fields.pairs.get("params");
  if (params) flow.params = readParams(ctx, params.value);
  const steps = fields.pairs.get("steps");
  if (steps) flow.steps = readSteps(ctx, steps.value as YAMLSeq);
  return name ? { kind: "flow", name: flow.name, params: flow.params, steps: flow.steps, span: whole } : flow;
}

// ---- params --------------------------------------------------------------------------------------

function readParams(ctx: YamlContext, node: unknown): Param[] {
  if (!isMap(node)) return [];
  const params: Param[] = [];
  for (const pair of node.items) {
    const key = keyOf(ctx, pair);
    if (key === undefined) continue;
    const name = identifier(ctx, pair.key as Scalar);
    if (!name) continue;
    const param: Param = { kind: "param", name, span: ctx.nodeSpan(pair) };
    const value = pair.value;
    if (!fits(value, { type: "scalar", scalar: "literal" })) {
      reportWrongType(ctx, `param \`${key}\``, { type: "scalar", scalar: "literal" }, value, ctx.nodeSpan(pair));
      continue;
    }
    const scalar = value as Scalar | null;
    if (scalar && scalarType(scalar) !== "null") {
      const literal = readLiteral(ctx, scalar);
      if (!literal) continue;
      param.default = literal;
    }
    params.push(param);
  }
  return params;
}

function readLiteral(ctx: YamlContext, node: Scalar): Literal | undefined {
  const span = ctx.nodeSpan(node);
  switch (scalarType(node)) {
    case "boolean":
      return { kind: "boolean", value: node.value as boolean, span };
    case "number": {
      const text = scalarText(node);
      if (!NUMBER_TEXT.test(text)) {
        ctx.report(
          "bad-number",
          `\`${text}\` is not a number`,
          span,
          "write a number with digits and an optional decimal point: `42`, `12.5`",
        );
        return undefined;
      }
      return { kind: "number", value: Number(text), text, span };
    }
    default:
      return { kind: "string-literal", value: template(ctx, node), span };
  }
}

// ---- steps ---------------------------------------------------------------------------------------

/** The steps of a list of step maps; items that are not steps are reported and skipped. */
export function readSteps(ctx: YamlContext, seq: YAMLSeq): Step[] {
  const steps: Step[] = [];
  for (const item of seq.items) {
    const step = readStep(ctx, item);
    if (step) steps.push(step);
  }
  return steps;
}

function readStep(ctx: YamlContext, item: unknown): Step | undefined {
  if (!isMap(item)) {
    const span = isScalar(item) || isSeq(item) ? ctx.nodeSpan(item as Node) : ctx.span(0, 0);
    const word = isScalar(item) ? scalarText(item) : undefined;
    const known = word !== undefined && STEP_BY_KIND.has(word) ? word : undefined;
    ctx.report(
      "wrong-type",
      `a step is a map with one key like \`wait: 2s\`, found ${describeNode(item)}`,
      span,
      known
        ? `write \`${known}:\` followed by its value`
        : `a step starts with one of ${STEP_KEYS.map((k) => `\`${k}:\``).join(", ")}`,
    );
    return undefined;
  }
  const pairs = item.items;
  if (pairs.length === 0) {
    ctx.report("wrong-type", "a step is a map with one key like `wait: 2s`, found an empty map", ctx.nodeSpan(item));
    return undefined;
  }
  const stepPair = pairs.find((p) => STEP_BY_KIND.has(keyName(p) ?? ""));
  const span = ctx.nodeSpan(item);
  if (!stepPair) {
    const first = pairs[0];
    const key = keyOf(ctx, first);
    if (key !== undefined) {
      const guess = didYouMean(key, STEP_KEYS);
      ctx.report(
        "unknown-step",
        `unknown step \`${key}\``,
        ctx.keySpan(first),
        guess ? `did you mean \`${guess}\`?` : `a step is one of ${STEP_KEYS.map((k) => `\`${k}\``).join(", ")}`,
      );
    }
    return undefined;
  }
  const kind = keyName(stepPair)!;
  const misplaced = new Set<string>();
  for (const extra of pairs) {
    if (extra === stepPair) continue;
    const key = keyName(extra) ?? "?";
    const belongs = fieldsOf(STEP_BY_KIND.get(kind)!.shape).includes(key);
    if (belongs) misplaced.add(key);
    ctx.report(
      "extra-step-key",
      `\`${key}\` is next to \`${kind}\`, but a step has one key`,
      ctx.keySpan(extra),
      belongs
        ? `indent \`${key}\` under \`${kind}\` to make it part of the step`
        : STEP_BY_KIND.has(key)
          ? `start a new list item: \`- ${key}: ...\``
          : `remove \`${key}\``,
    );
  }
  if (kind !== "session" && kind !== "if") {
    return STEP_READERS[kind as Step["kind"]](ctx, stepPair as Pair<Scalar, unknown>, span, misplaced);
  }
  // Sessions and ifs hold steps: count how deep, as the mini-language does (LIMITS.stepDepth).
  if (ctx.stepDepth >= LIMITS.stepDepth) {
    ctx.report(
      "too-deeply-nested",
      `steps nest more than ${LIMITS.stepDepth} levels deep here`,
      ctx.keySpan(stepPair),
      "each `session`, `if` and `else if` inside another is a level: move the inner steps out, or split the flow",
    );
    return undefined;
  }
  ctx.stepDepth++;
  try {
    return STEP_READERS[kind](ctx, stepPair as Pair<Scalar, unknown>, span, misplaced);
  } finally {
    ctx.stepDepth--;
  }
}

function fieldsOf(shape: Shape): string[] {
  if (shape.type === "object") return Object.keys(shape.fields);
  if (shape.type === "either") return shape.options.flatMap(fieldsOf);
  return [];
}

/** Reads one step; `misplaced` are its fields written next to the step key instead of under it. */
type StepReader = (
  ctx: YamlContext,
  pair: Pair<Scalar, unknown>,
  span: Span,
  misplaced: ReadonlySet<string>,
) => Step | undefined;

/** The object shape of a step, for steps whose value is a map. */
function objectShape(kind: Step["kind"]): ObjectShape {
  const shape = STEP_BY_KIND.get(kind)!.shape;
  if (shape.type === "object") return shape;
  if (shape.type === "either") return shape.options.find((o): o is ObjectShape => o.type === "object")!;
  throw new Error(`step \`${kind}\` has no object shape`);
}

/**
 * Checks a step's value: the value node and its shape, reporting a wrong kind of value, except an
 * empty one whose fields sit next to the step key (already reported as misplaced).
 */
function stepValue(
  ctx: YamlContext,
  kind: Step["kind"],
  pair: Pair<Scalar, unknown>,
  misplaced: ReadonlySet<string>,
): boolean {
  const shape = STEP_BY_KIND.get(kind)!.shape;
  if (fits(pair.value, shape)) return true;
  const empty = pair.value === null || (isScalar(pair.value) && pair.value.value === null);
  if (empty && misplaced.size > 0) return false;
  reportWrongType(ctx, `\`${kind}\``, shape, pair.value, valueOrKeySpan(ctx, pair));
  return false;
}

function valueOrKeySpan(ctx: YamlContext, pair: Pair): Span {
  const value = pair.value as Node | null;
  return value?.range && value.range[1] > value.range[0] ? ctx.nodeSpan(value) : ctx.keySpan(pair);
}

const STEP_READERS: Record<Step["kind"], StepReader> = {
  session(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "session", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("session"), "`session`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const waiting = waitingScreens(ctx, fields);
    const steps = fields.pairs.get("steps");
    if (!waiting || !steps) return undefined;
    const step: SessionStep = { kind: "session", waiting, steps: readSteps(ctx, steps.value as YAMLSeq), span };
    const id = fields.pairs.get("id");
    return id ? { kind: "session", waiting, id: stringLiteral(ctx, id.value), steps: step.steps, span } : step;
  },

  input(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "input", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("input"), "`input`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const kind = INPUT_KINDS.find((k) => fields.pairs.has(k)) as InputKind | undefined;
    if (!kind) return undefined;
    const step: InputStep = { kind: "input", input: kind, prompt: template(ctx, fields.pairs.get(kind)!.value), span };
    if (kind === "menu") step.entries = menuEntries(ctx, fields);
    const within = fields.pairs.get("within");
    if (within) step.within = duration(ctx, within.value);
    const as = fields.pairs.get("as");
    if (as) {
      const name = identifier(ctx, as.value);
      if (name) step.as = name;
    }
    return step;
  },

  display(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "display", pair, misplaced)) return undefined;
    if (isScalar(pair.value)) {
      const text = scalarText(pair.value);
      // `display: idle` is the idle screen; `display: {text: idle}` shows the word.
      const content: DisplayContent =
        text === "idle"
          ? { kind: "idle", span: ctx.nodeSpan(pair.value) }
          : { kind: "text", text: template(ctx, pair.value), span: ctx.nodeSpan(pair.value) };
      return { kind: "display", content, span };
    }
    const fields = readObject(ctx, pair.value, objectShape("display"), "`display`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const text = fields.pairs.get("text");
    const idle = fields.pairs.get("idle");
    let step: DisplayStep;
    if (text)
      step = {
        kind: "display",
        content: { kind: "text", text: template(ctx, text.value), span: ctx.nodeSpan(text.value) },
        span,
      };
    else if (idle) step = { kind: "display", content: { kind: "idle", span: ctx.nodeSpan(idle) }, span };
    else return undefined;
    const forPair = fields.pairs.get("for");
    if (forPair && step.content.kind === "text") step.for = duration(ctx, forPair.value);
    return step;
  },

  pay(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "pay", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("pay"), "`pay`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const amountPair = fields.pairs.get("amount");
    const currencyPair = fields.pairs.get("currency");
    if (!amountPair || !currencyPair) return undefined;
    const currencyNode = currencyPair.value as Scalar;
    const code = scalarText(currencyNode);
    const step: PayStep = {
      kind: "pay",
      amount: amount(ctx, amountPair.value, code),
      currency: { kind: "currency", code, span: ctx.nodeSpan(currencyNode) },
      span,
    };
    const tip = fields.pairs.get("tip");
    if (tip) step.tip = amount(ctx, tip.value, code);
    const ref = fields.pairs.get("ref");
    if (ref) step.ref = template(ctx, ref.value);
    const as = fields.pairs.get("as");
    if (as) {
      const name = identifier(ctx, as.value);
      if (name) step.as = name;
    }
    return step;
  },

  wait(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "wait", pair, misplaced)) return undefined;
    return { kind: "wait", duration: duration(ctx, pair.value), span };
  },

  expect(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "expect", pair, misplaced)) return undefined;
    const condition = readExpression(ctx, pair.value as Scalar);
    return condition ? { kind: "expect", condition, span } : undefined;
  },

  if(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "if", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("if"), "`if`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const conditionPair = fields.pairs.get("condition");
    const thenPair = fields.pairs.get("then");
    const condition = conditionPair ? readExpression(ctx, conditionPair.value as Scalar) : undefined;
    const then = thenPair ? readSteps(ctx, thenPair.value as YAMLSeq) : undefined;
    const elsePair = fields.pairs.get("else");
    const otherwise = elsePair ? readSteps(ctx, elsePair.value as YAMLSeq) : undefined;
    if (!condition || !then) return undefined;
    const step: IfStep = { kind: "if", condition, then, span };
    if (otherwise) step.else = otherwise;
    return step;
  },
};

// ---- sessions ------------------------------------------------------------------------------------

/** `waiting: 5s` (+ `on: [...]`) or `waiting: {input: 15s, display: 10s}`, in REQUEST_TYPES order. */
function waitingScreens(ctx: YamlContext, fields: Fields): WaitingScreen[] | undefined {
  const waiting = fields.pairs.get("waiting");
  const on = fields.pairs.get("on");
  if (!waiting) return undefined;
  const screens: WaitingScreen[] = [];
  if (isScalar(waiting.value)) {
    const timeout = duration(ctx, waiting.value);
    if (!on) {
      for (const request of REQUEST_TYPES) screens.push({ request, timeout: { ...timeout }, span: timeout.span });
    } else {
      const items =
        readList(ctx, on.value, { type: "scalar", scalar: "request-type" }, "`on`", ctx.keySpan(on))?.items ?? [];
      if (items.length === 0) {
        ctx.report(
          "empty-list",
          "`on` lists no request type",
          ctx.nodeSpan(on),
          `list one or more of ${REQUEST_TYPES.map((t) => `\`${t}\``).join(", ")}, or remove \`on\` for all of them`,
        );
      }
      for (const item of items) {
        const request = requestType(ctx, item);
        if (request) screens.push({ request, timeout: { ...timeout }, span: ctx.nodeSpan(item as Node) });
      }
    }
  } else if (isMap(waiting.value)) {
    if (on) {
      ctx.report(
        "unexpected-key",
        "`on` goes only with one `waiting` timeout",
        ctx.keySpan(on),
        "with a timeout per request type, the types are the keys of `waiting`; remove `on`",
      );
    }
    const perType = readObject(ctx, waiting.value, waitingShape(), "`waiting`", ctx.keySpan(waiting));
    for (const [request, pair] of perType?.pairs ?? []) {
      screens.push({ request: request as RequestType, timeout: duration(ctx, pair.value), span: ctx.nodeSpan(pair) });
    }
  }
  const seen = new Set<RequestType>();
  for (const screen of screens) {
    if (seen.has(screen.request)) {
      ctx.report(
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

function waitingShape(): ObjectShape {
  const waiting = objectShape("session").fields.waiting.shape;
  return (waiting as { options: readonly Shape[] }).options.find((o): o is ObjectShape => o.type === "object")!;
}

function requestType(ctx: YamlContext, node: unknown): RequestType | undefined {
  const shape: Shape = { type: "scalar", scalar: "request-type" };
  if (!fits(node, shape)) {
    reportWrongType(
      ctx,
      "a request type",
      shape,
      node,
      isScalar(node) || isMap(node) || isSeq(node) ? ctx.nodeSpan(node as Node) : ctx.span(0, 0),
    );
    return undefined;
  }
  const text = scalarText(node as Scalar);
  if ((REQUEST_TYPES as readonly string[]).includes(text)) return text as RequestType;
  const guess = didYouMean(text, REQUEST_TYPES);
  ctx.report(
    "unknown-request-type",
    `unknown request type \`${text}\``,
    ctx.nodeSpan(node as Scalar),
    guess ? `did you mean \`${guess}\`?` : "a session can show a waiting screen for `input`, `display` and `payment`",
  );
  return undefined;
}

// ---- values --------------------------------------------------------------------------------------

function menuEntries(ctx: YamlContext, fields: Fields): Template[] {
  const entries = fields.pairs.get("entries");
  if (!entries) return [];
  const shape: Shape = { type: "scalar", scalar: "text" };
  const out: Template[] = [];
  for (const item of (entries.value as YAMLSeq).items) {
    if (fits(item, shape)) out.push(template(ctx, item));
    else
      reportWrongType(
        ctx,
        "a menu entry",
        shape,
        item,
        isMap(item) || isSeq(item) || isScalar(item) ? ctx.nodeSpan(item as Node) : ctx.nodeSpan(entries),
      );
  }
  return out;
}

function template(ctx: YamlContext, node: unknown): Template {
  const scalar = node as Scalar;
  const text = scalarText(scalar);
  return readTemplate(ctx, text, textSpans(ctx, scalar, text), ctx.nodeSpan(scalar));
}

function stringLiteral(ctx: YamlContext, node: unknown): StringLiteral {
  const scalar = node as Scalar;
  return { kind: "string", value: scalarText(scalar), span: ctx.nodeSpan(scalar) };
}

/** A capture or param name: an identifier that the mini-language also reads as a name. */
function identifier(ctx: YamlContext, node: unknown): Identifier | undefined {
  const scalar = node as Scalar;
  const name = scalarText(scalar);
  const span = ctx.nodeSpan(scalar);
  if (!IDENTIFIER_PATTERN.test(name)) {
    ctx.report(
      "bad-name",
      `\`${name}\` is not a name`,
      span,
      "a name is letters, digits and `_`, starting with a letter or `_`: `split`, `tip_amount`",
    );
    return undefined;
  }
  if (!isName(name)) {
    ctx.report(
      "bad-name",
      `\`${name}\` is a keyword and cannot be a name`,
      span,
      `pick another name, e.g. \`${name}_value\``,
    );
    return undefined;
  }
  return { kind: "identifier", name, span };
}

/** True when the mini-language reads `word` as a name (so `if`, `true`, `and` are not). */
function isName(word: string): boolean {
  const lexed = lexFlowSource(word);
  return lexed.errors.length === 0 && lexed.tokens.length === 1 && tokenMatcher(lexed.tokens[0], Name);
}

function duration(ctx: YamlContext, node: unknown): Duration {
  const scalar = node as Scalar;
  const text = scalarText(scalar);
  const span = ctx.nodeSpan(scalar);
  const ms = parseDuration(text);
  if (ms === undefined) ctx.report("bad-duration", `\`${text}\` is not a duration`, span, durationHint(text));
  return { kind: "duration", ms: ms ?? Number.NaN, text, span };
}

function amount(ctx: YamlContext, node: unknown, currency: string): Amount {
  const scalar = node as Scalar;
  const text = scalarText(scalar);
  const span = ctx.nodeSpan(scalar);
  if (!AMOUNT_PATTERN.test(text)) {
    ctx.report(
      "bad-amount",
      `\`${text}\` is not an amount`,
      span,
      'write the amount in major units with a point for decimals, without leading zeros: `"12.50"`, `"500"`',
    );
  }
  return { kind: "amount", text, minor: toMinorUnits(text, currency) ?? null, span };
}

function durationHint(text: string): string {
  const m = /^([0-9]+)(m|min|h)$/.exec(text);
  if (m) return `durations are milliseconds, \`ms\` or \`s\`: write \`${Number(m[1]) * (m[2] === "h" ? 3600 : 60)}s\``;
  const fraction = /^([0-9]+\.[0-9]+)(s?)$/.exec(text);
  if (fraction) {
    const ms = Number(fraction[1]) * (fraction[2] ? 1000 : 1);
    if (Number.isInteger(ms)) return `durations are whole numbers: write \`${ms}ms\``;
  }
  return "write milliseconds (`5000`) or use `ms` or `s` (`250ms`, `5s`)";
}
