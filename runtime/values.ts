/**
 * Values at run time: what params and captures hold, how expressions evaluate and how templates
 * interpolate. The checks have typed every expression already; where a param without a default
 * carries caller text (`--var split=true`), comparisons coerce that text to the other side's type.
 */
import type { Expression, Reference, Span, Template } from "../language/index.js";

/** A scalar or a record (a payment capture). */
export type Value = string | number | boolean | { readonly [field: string]: Value };

/** An expression could not be evaluated: carries the span to point the diagnostic at. */
export class EvaluationError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "EvaluationError";
  }
}

/** Names visible to expressions: params first, captures as the run makes them. */
export class Scope {
  private readonly values = new Map<string, Value>();

  set(name: string, value: Value): void {
    this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): Value | undefined {
    return this.values.get(name);
  }

  /** Every name and value, for the run result. */
  entries(): Record<string, Value> {
    return Object.fromEntries(this.values);
  }
}

/** The value of `name.field...`; an EvaluationError when the name is not set yet (a branch not taken). */
export function lookUp(ref: Reference, scope: Scope): Value {
  if (!scope.has(ref.name.name)) {
    throw new EvaluationError(
      `\`${ref.name.name}\` has no value yet`,
      ref.span,
      "it is captured by a step that has not run (another branch, or later in the flow)",
    );
  }
  let value = scope.get(ref.name.name) as Value;
  let path = ref.name.name;
  for (const field of ref.fields) {
    if (typeof value !== "object" || !Object.hasOwn(value, field.name)) {
      throw new EvaluationError(`\`${path}\` has no field \`${field.name}\``, field.span);
    }
    value = value[field.name];
    path += `.${field.name}`;
  }
  return value;
}

/** Evaluates an expression. */
export function evaluate(expression: Expression, scope: Scope): Value {
  switch (expression.kind) {
    case "string-literal":
      return renderTemplate(expression.value, scope);
    case "number":
    case "boolean":
      return expression.value;
    case "reference":
      return lookUp(expression, scope);
    case "unary": {
      const operand = evaluate(expression.operand, scope);
      if (expression.operator === "not") return !asBoolean(operand, expression.operand.span);
      return -asNumber(operand, expression.operand.span);
    }
    case "binary": {
      if (expression.operator === "and") {
        return (
          asBoolean(evaluate(expression.left, scope), expression.left.span) &&
          asBoolean(evaluate(expression.right, scope), expression.right.span)
        );
      }
      if (expression.operator === "or") {
        return (
          asBoolean(evaluate(expression.left, scope), expression.left.span) ||
          asBoolean(evaluate(expression.right, scope), expression.right.span)
        );
      }
      const left = evaluate(expression.left, scope);
      const right = evaluate(expression.right, scope);
      return compare(expression.operator, left, right, expression.span);
    }
  }
}

/** Evaluates a condition (`if`, `expect`) to a boolean. */
export function evaluateCondition(expression: Expression, scope: Scope): boolean {
  return asBoolean(evaluate(expression, scope), expression.span);
}

type Comparison = "==" | "!=" | "<" | "<=" | ">" | ">=";

function compare(operator: Comparison, a: Value, b: Value, span: Span): boolean {
  const [left, right] = coercePair(a, b);
  if (operator === "==") return same(left, right);
  if (operator === "!=") return !same(left, right);
  if (typeof left === "number" && typeof right === "number") return order(operator, left, right);
  if (typeof left === "string" && typeof right === "string") return order(operator, left, right);
  throw new EvaluationError(`cannot order ${describe(left)} and ${describe(right)} with \`${operator}\``, span);
}

function order<T extends number | string>(operator: Comparison, a: T, b: T): boolean {
  if (operator === "<") return a < b;
  if (operator === "<=") return a <= b;
  if (operator === ">") return a > b;
  return a >= b;
}

/** Caller text against a typed value: `"true"` meets `true`, `"12"` meets `12`. */
function coercePair(a: Value, b: Value): [Value, Value] {
  if (typeof a === "string" && typeof b !== "string") return [coerceText(a, b), b];
  if (typeof b === "string" && typeof a !== "string") return [a, coerceText(b, a)];
  return [a, b];
}

function coerceText(text: string, like: Value): Value {
  if (typeof like === "boolean" && /^(true|false)$/.test(text.trim())) return text.trim() === "true";
  if (typeof like === "number" && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  return text;
}

function same(a: Value, b: Value): boolean {
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function asBoolean(value: Value, span: Span): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/.test(value.trim())) return value.trim() === "true";
  throw new EvaluationError(`expected a yes/no value, got ${describe(value)}`, span);
}

function asNumber(value: Value, span: Span): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new EvaluationError(`expected a number, got ${describe(value)}`, span);
}

/** `${name}` and `${name.field}` filled in with the values' text. */
export function renderTemplate(template: Template, scope: Scope): string {
  return template.parts.map((part) => (part.kind === "text" ? part.value : textOf(lookUp(part.ref, scope)))).join("");
}

/** How a value reads inside a string: records as their `result` when they have one. */
export function textOf(value: Value): string {
  if (typeof value === "object") return typeof value.result === "string" ? value.result : JSON.stringify(value);
  return String(value);
}

function describe(value: Value): string {
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  if (typeof value === "object") return "a record";
  return `the ${typeof value} ${String(value)}`;
}

/** The names an expression or template reads (for "does the flow inspect this capture?"). */
export function referencedNames(node: Expression | Template, into: Set<string> = new Set()): Set<string> {
  if (node.kind === "template") {
    for (const part of node.parts) if (part.kind === "interpolation") into.add(part.ref.name.name);
    return into;
  }
  switch (node.kind) {
    case "reference":
      into.add(node.name.name);
      break;
    case "string-literal":
      referencedNames(node.value, into);
      break;
    case "unary":
      referencedNames(node.operand, into);
      break;
    case "binary":
      referencedNames(node.left, into);
      referencedNames(node.right, into);
      break;
    default:
      break;
  }
  return into;
}
