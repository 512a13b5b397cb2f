/**
 * A parsed YAML document -> the AST. Shapes are checked against the step definitions first
 * (read-shape.ts); this file says what each field means, with the same nodes, codes and
 * normalisations as the mini-language (waiting screens in REQUEST_TYPES order, amounts as integer
 * minor units from the text as written, durations in milliseconds).
 *
 * A step whose required parts are missing is dropped (its error is reported), so the AST only holds
 * well-formed nodes, as from the text front end.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { tokenMatcher } from "chevrotain";
import {
  INPUT_KINDS,
  PARAM_TYPES,
  RECEIPT_COPIES,
  REQUEST_TYPES,
  type Amount,
  type CallArgument,
  type DisplayContent,
  type DisplayStep,
  type Duration,
  type Flow,
  type Handler,
  type Identifier,
  type IfStep,
  type InputKind,
  type InputStep,
  type Literal,
  type MoneyLiteral,
  type Param,
  type ParamType,
  type PayStep,
  type PrintStep,
  type ReceiptCopy,
  type Reference,
  type RefundStep,
  type RequestType,
  type SessionStep,
  type Span,
  type Step,
  type StringLiteral,
  type Template,
  type WaitingScreen,
} from "../ast.js";
import { decimalOfText, divideDecimals, numberOfDecimal } from "../decimal.js";
import { DURATION_BOUNDS, type DurationBound, durationHint, parseDuration } from "../duration.js";
import { LIMITS, STEP_TOO_DEEP } from "../limits.js";
import { distinctWaitingScreens } from "../waiting-screens.js";
import { AMOUNT_PATTERN, toMinorUnits } from "../money.js";
import { readOutcome, readRetryCount, takesHandlers } from "../handlers.js";
import {
  FLOW_SHAPE,
  HANDLER_OBJECT_SHAPE,
  HANDLERS_SHAPE,
  IDENTIFIER_PATTERN,
  PARAM_SHAPE,
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
  valueSpan,
  type Fields,
} from "./read-shape.js";
import { scalarText, textSpans } from "./scalar-text.js";
import { readTemplate } from "./templates.js";

const NUMBER_TEXT = /^-?[0-9]+(?:\.[0-9]+)?$/;
/** A plain scalar that is an amount: `100.00 EUR` (an upper-case code, so `5 stars` stays a text). */
const MONEY_TEXT = /^(-?)([0-9][0-9.]*)( +)([A-Z]{3})$/;
/** A plain scalar that is a percentage: `10%`. */
const PERCENT_TEXT = /^-?[0-9]+(?:\.[0-9]+)?%$/;
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
    const param = { kind: "param", name } as Param;
    let value = pair.value;
    if (isMap(value)) {
      // `total: {type: money, default: 100.00 EUR}`
      const fields = readObject(ctx, value, PARAM_SHAPE, `param \`${key}\``, ctx.keySpan(pair));
      if (!fields) continue;
      const type = fields.pairs.get("type");
      if (type) {
        const typeName = scalarText(type.value as Scalar);
        const span = ctx.nodeSpan(type.value as Scalar);
        if ((PARAM_TYPES as readonly string[]).includes(typeName)) {
          param.type = { kind: "type", name: typeName as ParamType, span };
        } else {
          // Reported like the mini-language's; the param is kept (untyped), so its uses still resolve.
          const guess = didYouMean(typeName, PARAM_TYPES);
          ctx.report(
            "unknown-type",
            `unknown type \`${typeName}\``,
            span,
            guess ? `did you mean \`${guess}\`?` : `a param is one of: ${PARAM_TYPES.join(", ")}`,
          );
        }
      }
      value = fields.pairs.get("default")?.value ?? null;
    } else if (!fits(value, { type: "scalar", scalar: "literal" })) {
      reportWrongType(ctx, `param \`${key}\``, { type: "scalar", scalar: "literal" }, value, ctx.nodeSpan(pair));
      continue;
    }
    const scalar = value as Scalar | null;
    if (scalar && scalarType(scalar) !== "null") {
      const literal = readLiteral(ctx, scalar);
      if (!literal) continue;
      param.default = literal;
    }
    param.span = ctx.nodeSpan(pair);
    params.push(param);
  }
  return params;
}

function readLiteral(ctx: YamlContext, node: Scalar): Literal | undefined {
  const span = ctx.nodeSpan(node);
  // A plain `100.00 EUR` is an amount and a plain `10%` a percentage, as in the mini-language;
  // quoted, they are texts.
  if (node.type === Scalar.PLAIN && typeof node.value === "string") {
    const text = scalarText(node);
    const money = MONEY_TEXT.exec(text);
    if (money) {
      if (money[1]) {
        ctx.report(
          "bad-amount",
          `\`${text}\` cannot be a default: a default amount is not negative`,
          span,
          "write the amount without `-`, and subtract it where the flow uses it",
        );
        return undefined;
      }
      return moneyLiteral(ctx, node, money[2], money[4], money[2].length + money[3].length);
    }
    if (PERCENT_TEXT.test(text)) {
      const decimal = decimalOfText(text.slice(0, -1));
      const value = decimal ? numberOfDecimal(divideDecimals(decimal, { units: 100n, scale: 0 })) : Number.NaN;
      return { kind: "number", value, text, span };
    }
  }
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
  // `on:` next to the step key holds its handlers; a session's own `on` belongs under `session`.
  const handlersPair = kind === "session" ? undefined : pairs.find((p) => p !== stepPair && keyName(p) === "on");
  for (const extra of pairs) {
    if (extra === stepPair || extra === handlersPair) continue;
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
  if (kind !== "session" && kind !== "if" && kind !== "for" && kind !== "repeat") {
    const step = STEP_READERS[kind as Step["kind"]](ctx, stepPair as Pair<Scalar, unknown>, span, misplaced);
    return handlersPair ? withHandlers(ctx, step, handlersPair) : step;
  }
  if (handlersPair) reportNoHandlers(ctx, kind, handlersPair);
  // Sessions, ifs and loops hold steps: count how deep, as the mini-language does (LIMITS.stepDepth).
  if (ctx.stepDepth >= LIMITS.stepDepth) {
    ctx.report(STEP_TOO_DEEP.code, STEP_TOO_DEEP.message, ctx.keySpan(stepPair), STEP_TOO_DEEP.hint);
    return undefined;
  }
  ctx.stepDepth++;
  try {
    return STEP_READERS[kind](ctx, stepPair as Pair<Scalar, unknown>, span, misplaced);
  } finally {
    ctx.stepDepth--;
  }
}

// ---- handlers ------------------------------------------------------------------------------------

/** `- pay: {...}` with `on: {declined: ...}` next to it: the step with its handlers (in key order). */
function withHandlers(ctx: YamlContext, step: Step | undefined, pair: Pair): Step | undefined {
  if (step && !takesHandlers(step)) {
    reportNoHandlers(ctx, step.kind, pair);
    return step;
  }
  const handlers = readHandlers(ctx, pair);
  if (!step || handlers.length === 0) return step;
  const { span, ...fields } = step;
  return { ...fields, handlers, span } as Step;
}

function reportNoHandlers(ctx: YamlContext, kind: string, pair: Pair): void {
  ctx.report(
    "handler-never-runs",
    `\`${kind}\` cannot fail the way a handler handles`,
    ctx.keySpan(pair),
    "handlers (`on:`) go next to a step that sends a request: input, display, pay, refund, print, acquire, status",
  );
}

function readHandlers(ctx: YamlContext, pair: Pair): Handler[] {
  const handlers: Handler[] = [];
  const map = pair.value;
  if (!isMap(map) || map.items.length === 0) {
    if (!fits(map, HANDLERS_SHAPE)) reportWrongType(ctx, "`on`", HANDLERS_SHAPE, map, valueOrKeySpan(ctx, pair));
    else
      ctx.report("missing-field", "`on` handles nothing", ctx.keySpan(pair), "add an outcome: `on: {declined: [...]}`");
    return handlers;
  }
  if (ctx.stepDepth >= LIMITS.stepDepth) {
    ctx.report(STEP_TOO_DEEP.code, STEP_TOO_DEEP.message, ctx.keySpan(pair), STEP_TOO_DEEP.hint);
    return handlers;
  }
  ctx.stepDepth++;
  try {
    for (const item of map.items) {
      const key = keyOf(ctx, item);
      if (key === undefined) continue;
      const keySpan = ctx.keySpan(item);
      const outcome = readOutcome(key);
      if (typeof outcome !== "string") {
        ctx.report(outcome.code, outcome.message, keySpan, outcome.hint);
        continue;
      }
      const handler = readHandler(ctx, item, outcome, keySpan);
      if (handler) handlers.push(handler);
    }
  } finally {
    ctx.stepDepth--;
  }
  return handlers;
}

function readHandler(
  ctx: YamlContext,
  pair: Pair,
  name: Handler["outcome"]["name"],
  keySpan: Span,
): Handler | undefined {
  const value = pair.value;
  const span = ctx.nodeSpan(pair);
  const handler = { kind: "handler", outcome: { kind: "outcome", name, span: keySpan } } as Handler;
  const empty = value === null || (isScalar(value) && value.value === null);
  if (empty) {
    ctx.report(
      "empty-handler",
      `\`on ${name}\` says nothing to do`,
      keySpan,
      "give it steps, `retry: <n>`, or on an input `use: <value>`; `[]` goes on as if nothing failed",
    );
    return undefined;
  }
  const shape = HANDLERS_SHAPE.fields[name].shape;
  if (!fits(value, shape)) {
    reportWrongType(ctx, `\`${name}\``, shape, value, valueOrKeySpan(ctx, pair));
    return undefined;
  }
  if (isSeq(value)) {
    handler.steps = readSteps(ctx, value);
    handler.span = span;
    return handler;
  }
  const fields = readObject(ctx, value, HANDLER_OBJECT_SHAPE, `\`${name}\``, keySpan);
  if (!fields) return undefined;
  const retry = fields.pairs.get("retry");
  const use = fields.pairs.get("use");
  if (retry && use) {
    ctx.report(
      "conflicting-keys",
      `\`${name}\` has both \`retry\` and \`use\``,
      ctx.keySpan(use),
      "a retry gives the answer of the next try; keep one of `retry` or `use`",
    );
    return undefined;
  }
  if (retry) {
    const node = retry.value as Scalar;
    const text = scalarText(node);
    const count = readRetryCount(text);
    if (typeof count !== "number") {
      ctx.report(count.code, count.message, ctx.nodeSpan(node), count.hint);
      return undefined;
    }
    handler.retry = { kind: "retry", count, text, span: ctx.nodeSpan(node) };
  }
  if (use) {
    const expression = readExpression(ctx, use.value as Scalar);
    if (!expression) return undefined;
    handler.use = expression;
  }
  const steps = fields.pairs.get("steps");
  handler.steps = steps ? readSteps(ctx, steps.value as YAMLSeq) : [];
  handler.span = span;
  return handler;
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
    // Without `waiting` (reported as missing) the steps are still read, so their errors show too.
    const waiting = waitingScreens(ctx, fields) ?? [];
    const steps = fields.pairs.get("steps");
    if (!steps) return undefined;
    const inner = readSteps(ctx, steps.value as YAMLSeq);
    const id = fields.pairs.get("id");
    const step: SessionStep = id
      ? { kind: "session", waiting, id: template(ctx, id.value), steps: inner, span }
      : { kind: "session", waiting, steps: inner, span };
    return step;
  },

  input(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "input", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("input"), "`input`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const kind = INPUT_KINDS.find((k) => fields.pairs.has(k)) as InputKind | undefined;
    if (!kind) return undefined;
    const step: InputStep = { kind: "input", input: kind, prompt: template(ctx, fields.pairs.get(kind)!.value), span };
    if (kind === "menu") step.entries = menuEntries(ctx, fields);
    const currency = fields.pairs.get("currency");
    if (currency) {
      const node = currency.value as Scalar;
      step.currency = { kind: "currency", code: scalarText(node), span: ctx.nodeSpan(node) };
    }
    const within = fields.pairs.get("within");
    if (within) step.within = duration(ctx, within.value, DURATION_BOUNDS.within);
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
    if (forPair && step.content.kind === "text") step.for = duration(ctx, forPair.value, DURATION_BOUNDS.displayFor);
    return step;
  },

  pay(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "pay", pair, misplaced)) return undefined;
    if (isScalar(pair.value)) {
      // `pay: 12.50 EUR` is `{amount: 12.50 EUR}`: a scalar can only be the amount.
      const amount = readExpression(ctx, pair.value);
      return amount ? { kind: "pay", amount, span } : undefined;
    }
    const fields = readObject(ctx, pair.value, objectShape("pay"), "`pay`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const amountPair = fields.pairs.get("amount");
    const currencyPair = fields.pairs.get("currency");
    if (!amountPair) return undefined;
    // With `currency`, amounts are written in major units (`"12.50"`); without, they are expressions.
    const currencyNode = currencyPair?.value as Scalar | undefined;
    const amountValue = currencyNode
      ? writtenMoney(ctx, amountPair.value as Scalar, currencyNode)
      : readExpression(ctx, amountPair.value as Scalar);
    const tipPair = fields.pairs.get("tip");
    const tipNode = tipPair?.value as Scalar | undefined;
    const tip = !tipNode
      ? undefined
      : currencyNode && isWrittenAmount(tipNode)
        ? writtenMoney(ctx, tipNode, currencyNode)
        : readExpression(ctx, tipNode);
    if (!amountValue || (tipNode && !tip)) return undefined;
    const step: PayStep = { kind: "pay", amount: amountValue, span };
    if (tip) step.tip = tip;
    const ref = fields.pairs.get("ref");
    if (ref) step.ref = template(ctx, ref.value);
    const withPair = fields.pairs.get("with");
    if (withPair) {
      const card = nameReference(ctx, withPair.value);
      if (!card) return undefined;
      step.with = card;
    }
    const within = fields.pairs.get("within");
    if (within) step.within = duration(ctx, within.value, DURATION_BOUNDS.payWithin);
    const as = fields.pairs.get("as");
    if (as) {
      const name = identifier(ctx, as.value);
      if (name) step.as = name;
    }
    return step;
  },

  refund(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "refund", pair, misplaced)) return undefined;
    if (isScalar(pair.value)) {
      const payment = nameReference(ctx, pair.value);
      return payment ? { kind: "refund", payment, span } : undefined;
    }
    const shape = objectShape("refund");
    const fields = readObject(ctx, pair.value, shape, "`refund`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const paymentPair = fields.pairs.get("payment");
    const amountPair = fields.pairs.get("amount");
    if (!paymentPair && !amountPair) {
      ctx.report(
        "missing-field",
        "`refund` needs `payment`, `amount` or both",
        ctx.keySpan(pair),
        'refund a payment (`payment: p`), part of it (`payment: p, amount: "5.00", currency: EUR`) or an amount without one (`amount: 5.00 EUR`)',
      );
      return undefined;
    }
    const step = { kind: "refund" } as RefundStep;
    if (paymentPair) {
      const payment = nameReference(ctx, paymentPair.value);
      if (!payment) return undefined;
      step.payment = payment;
    }
    if (amountPair) {
      const currencyNode = fields.pairs.get("currency")?.value as Scalar | undefined;
      const amount = currencyNode
        ? writtenMoney(ctx, amountPair.value as Scalar, currencyNode)
        : readExpression(ctx, amountPair.value as Scalar);
      if (!amount) return undefined;
      step.amount = amount;
    }
    step.span = span;
    return withCapture(ctx, fields, step);
  },

  print(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "print", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("print"), "`print`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const receipt = fields.pairs.get("receipt");
    const lines = fields.pairs.get("lines");
    let content: PrintStep["content"];
    if (receipt) {
      const payment = nameReference(ctx, receipt.value);
      if (!payment) return undefined;
      const copyPair = fields.pairs.get("copy");
      const copy = (copyPair ? scalarText(copyPair.value as Scalar) : "customer") as ReceiptCopy;
      if (!(RECEIPT_COPIES as readonly string[]).includes(copy)) {
        const guess = didYouMean(copy, RECEIPT_COPIES);
        ctx.report(
          "unknown-receipt-copy",
          `unknown receipt \`${copy}\``,
          ctx.nodeSpan(copyPair!.value as Scalar),
          guess ? `did you mean \`${guess}\`?` : "a payment has a `customer` receipt (the default) and a `cashier` one",
        );
        return undefined;
      }
      content = { kind: "receipt", payment, copy, span: ctx.nodeSpan(receipt.value as Scalar) };
    } else if (lines && isSeq(lines.value)) {
      const texts = lines.value.items.map((item) => template(ctx, item));
      if (texts.length === 0) {
        ctx.report(
          "empty-list",
          "`lines` is empty",
          ctx.nodeSpan(lines.value),
          'give at least one line: `["Thank you"]`',
        );
        return undefined;
      }
      content = { kind: "lines", lines: texts, span: ctx.nodeSpan(lines.value) };
    } else return undefined;
    return withCapture(ctx, fields, { kind: "print", content, span });
  },

  acquire(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "acquire", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("acquire"), "`acquire`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const within = fields.pairs.get("within");
    const step: Step = within
      ? { kind: "acquire", within: duration(ctx, within.value, DURATION_BOUNDS.acquireWithin), span }
      : { kind: "acquire", span };
    return withCapture(ctx, fields, step);
  },

  status(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "status", pair, misplaced)) return undefined;
    if (isScalar(pair.value)) {
      const payment = nameReference(ctx, pair.value);
      return payment ? { kind: "status", payment, span } : undefined;
    }
    const fields = readObject(ctx, pair.value, objectShape("status"), "`status`", ctx.keySpan(pair), misplaced);
    const paymentPair = fields?.pairs.get("payment");
    const payment = paymentPair ? nameReference(ctx, paymentPair.value) : undefined;
    if (!fields || !payment) return undefined;
    return withCapture(ctx, fields, { kind: "status", payment, span });
  },

  call(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "call", pair, misplaced)) return undefined;
    if (isScalar(pair.value)) return { kind: "call", flow: stringLiteral(ctx, pair.value), with: [], span };
    const fields = readObject(ctx, pair.value, objectShape("call"), "`call`", ctx.keySpan(pair), misplaced);
    const flowPair = fields?.pairs.get("flow");
    if (!fields || !flowPair) return undefined;
    const withPair = fields.pairs.get("with");
    const args = withPair ? callArguments(ctx, withPair.value as YAMLMap) : [];
    if (!args) return undefined;
    return withCapture(ctx, fields, { kind: "call", flow: stringLiteral(ctx, flowPair.value), with: args, span });
  },

  wait(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "wait", pair, misplaced)) return undefined;
    return { kind: "wait", duration: duration(ctx, pair.value, DURATION_BOUNDS.wait), span };
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

  for(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "for", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("for"), "`for`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const each = fields.pairs.get("each");
    const over = fields.pairs.get("in");
    const body = fields.pairs.get("steps");
    const variable = each ? identifier(ctx, each.value) : undefined;
    const list = over ? readExpression(ctx, over.value as Scalar) : undefined;
    const steps = body ? readSteps(ctx, body.value as YAMLSeq) : undefined;
    if (!variable || !list || !steps) return undefined;
    return { kind: "for", variable, over: list, steps, span };
  },

  repeat(ctx, pair, span, misplaced) {
    if (!stepValue(ctx, "repeat", pair, misplaced)) return undefined;
    const fields = readObject(ctx, pair.value, objectShape("repeat"), "`repeat`", ctx.keySpan(pair), misplaced);
    if (!fields) return undefined;
    const times = fields.pairs.get("times");
    const body = fields.pairs.get("steps");
    const count = times ? readExpression(ctx, times.value as Scalar) : undefined;
    const steps = body ? readSteps(ctx, body.value as YAMLSeq) : undefined;
    if (!count || !steps) return undefined;
    return { kind: "repeat", count, steps, span };
  },
};

/** `with: {bill: total, guests: 2}`: each key a param name, each value an expression; undefined when one cannot be read. */
function callArguments(ctx: YamlContext, map: YAMLMap): CallArgument[] | undefined {
  const args: CallArgument[] = [];
  let whole = true;
  const shape: Shape = { type: "scalar", scalar: "expression" };
  for (const item of map.items) {
    if (keyOf(ctx, item) === undefined) {
      whole = false;
      continue;
    }
    const name = identifier(ctx, item.key);
    if (!fits(item.value, shape)) {
      reportWrongType(ctx, `\`${keyName(item)}\``, shape, item.value, valueSpan(ctx, item));
      whole = false;
      continue;
    }
    const value = readExpression(ctx, item.value as Scalar);
    if (!name || !value) {
      whole = false;
      continue;
    }
    args.push({ kind: "argument", name, value, span: ctx.nodeSpan(item) });
  }
  return whole ? args : undefined;
}

// ---- sessions ------------------------------------------------------------------------------------

/** `waiting: 5s` (+ `on: [...]`) or `waiting: {input: 15s, display: 10s}`, in REQUEST_TYPES order. */
function waitingScreens(ctx: YamlContext, fields: Fields): WaitingScreen[] | undefined {
  const waiting = fields.pairs.get("waiting");
  const on = fields.pairs.get("on");
  if (!waiting) return undefined;
  const screens: WaitingScreen[] = [];
  if (isScalar(waiting.value)) {
    const timeout = duration(ctx, waiting.value, DURATION_BOUNDS.waitingScreen);
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
      screens.push({
        request: request as RequestType,
        timeout: duration(ctx, pair.value, DURATION_BOUNDS.waitingScreen),
        span: ctx.nodeSpan(pair),
      });
    }
  }
  return distinctWaitingScreens(screens, (code, message, span, hint) => ctx.report(code, message, span, hint));
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

/** `amount: "12.50"` next to `currency: EUR`: the money literal the two write. */
function writtenMoney(ctx: YamlContext, amountNode: Scalar, currencyNode: Scalar): MoneyLiteral {
  const code = scalarText(currencyNode);
  return {
    kind: "money",
    amount: amount(ctx, amountNode, code),
    currency: { kind: "currency", code, span: ctx.nodeSpan(currencyNode) },
    span: ctx.nodeSpan(amountNode),
  };
}

/** A tip next to `currency` written as an amount (`"1.00"`, `1.00`) rather than an expression. */
function isWrittenAmount(node: Scalar): boolean {
  return scalarType(node) === "number" || /^[0-9][0-9.,]*$/.test(scalarText(node));
}

/** `100.00 EUR` in one plain scalar: the amount and the code get spans of their own. */
function moneyLiteral(ctx: YamlContext, node: Scalar, amountText: string, code: string, codeAt: number): MoneyLiteral {
  const spans = textSpans(ctx, node, scalarText(node));
  const amountSpan = spans.span(0, amountText.length);
  return {
    kind: "money",
    amount: { kind: "amount", text: amountText, minor: toMinorUnits(amountText, code) ?? null, span: amountSpan },
    currency: { kind: "currency", code, span: spans.span(codeAt, codeAt + code.length) },
    span: ctx.nodeSpan(node),
  };
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
    // `payment: sale.amount`: a capture's field where the step names the capture.
    const [head, ...fields] = name.split(".");
    const field = fields.length > 0 && [head, ...fields].every((part) => IDENTIFIER_PATTERN.test(part));
    ctx.report(
      "bad-name",
      `\`${name}\` is not a name`,
      span,
      field
        ? `name the capture, not one of its fields: \`${head}\``
        : "a name is letters, digits and `_`, starting with a letter or `_`: `split`, `tip_amount`",
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

/** A capture named by a scalar (`refund: p`, `with: card`), as a reference without fields. */
function nameReference(ctx: YamlContext, node: unknown): Reference | undefined {
  const name = identifier(ctx, node);
  return name ? { kind: "reference", name, fields: [], span: name.span } : undefined;
}

/** The step with its `as` capture, when the fields name one. */
function withCapture<S extends Step & { as?: Identifier }>(ctx: YamlContext, fields: Fields, step: S): S {
  const as = fields.pairs.get("as");
  const name = as ? identifier(ctx, as.value) : undefined;
  if (!name) return step;
  // `as` goes after the step's other fields, as the text front end writes it.
  const { span, ...rest } = step;
  return { ...rest, as: name, span } as S;
}

/** True when the mini-language reads `word` as a name (so `if`, `true`, `and` are not). */
function isName(word: string): boolean {
  const lexed = lexFlowSource(word);
  return lexed.errors.length === 0 && lexed.tokens.length === 1 && tokenMatcher(lexed.tokens[0], Name);
}

function duration(ctx: YamlContext, node: unknown, bound: DurationBound): Duration {
  const scalar = node as Scalar;
  const text = scalarText(scalar);
  const span = ctx.nodeSpan(scalar);
  const ms = parseDuration(text);
  if (ms === undefined) ctx.report("bad-duration", `\`${text}\` is not a duration`, span, durationHint(text, bound));
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
