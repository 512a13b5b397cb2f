/**
 * Hand-built ASTs for check tests that need shapes no parser produces (partial, recovered nodes) or
 * that must not depend on a front end. Each node gets its own span (one per line), so a test can
 * ask "does the diagnostic point at this node?" with `d.span === node.span`.
 */
import type {
  Amount,
  DisplayStep,
  Duration,
  Expression,
  Flow,
  Identifier,
  IfStep,
  InputKind,
  InputStep,
  Literal,
  MoneyLiteral,
  Param,
  PayStep,
  Reference,
  SessionStep,
  Span,
  Step,
  Template,
  TemplatePart,
  WaitingScreen,
} from "../../../language/ast.js";
import { parseDuration } from "../../../language/duration.js";
import { toMinorUnits } from "../../../language/money.js";

let nextLine = 1;
/** A fresh span on its own line of `test.flow`. */
export function span(): Span {
  const line = nextLine++;
  return {
    file: "test.flow",
    start: { line, column: 1, offset: line * 100 },
    end: { line, column: 5, offset: line * 100 + 4 },
  };
}

export const id = (name: string): Identifier => ({ kind: "identifier", name, span: span() });

/** `a.b.c` -> a reference. */
export function ref(path: string): Reference {
  const [name, ...fields] = path.split(".");
  return { kind: "reference", name: id(name), fields: fields.map(id), span: span() };
}

/** A string with `${a.b}` interpolations split into parts. */
export function template(value: string): Template {
  const parts: TemplatePart[] = [];
  let rest = value;
  for (let m = /\$\{([^}]*)\}/.exec(rest); m; m = /\$\{([^}]*)\}/.exec(rest)) {
    if (m.index > 0) parts.push({ kind: "text", value: rest.slice(0, m.index) });
    parts.push({ kind: "interpolation", ref: ref(m[1]) });
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest !== "") parts.push({ kind: "text", value: rest });
  return { kind: "template", value, parts, span: span() };
}

export const duration = (text: string): Duration => ({
  kind: "duration",
  ms: parseDuration(text) ?? NaN,
  text,
  span: span(),
});

export function amount(text: string, currency = "EUR"): Amount {
  return { kind: "amount", text, minor: toMinorUnits(text, currency) ?? null, span: span() };
}

/** `12.50 EUR` as an expression. */
export function money(text: string, currency = "EUR"): MoneyLiteral {
  return {
    kind: "money",
    amount: amount(text, currency),
    currency: { kind: "currency", code: currency, span: span() },
    span: span(),
  };
}

export const str = (value: string): Expression => ({ kind: "string-literal", value: template(value), span: span() });
export const num = (value: number): Expression => ({ kind: "number", value, text: String(value), span: span() });
export const bool = (value: boolean): Expression => ({ kind: "boolean", value, span: span() });
export const bin = (
  left: Expression,
  operator: Extract<Expression, { kind: "binary" }>["operator"],
  right: Expression,
): Expression => ({
  kind: "binary",
  operator,
  left,
  right,
  span: span(),
});
export const not = (operand: Expression): Expression => ({ kind: "unary", operator: "not", operand, span: span() });

export function session(timeout: string, steps: Step[], sessionId?: string): SessionStep {
  const waiting: WaitingScreen[] = (["input", "display", "payment"] as const).map((request) => ({
    request,
    timeout: duration(timeout),
    span: span(),
  }));
  return {
    kind: "session",
    waiting,
    ...(sessionId ? { id: template(sessionId) } : {}),
    steps,
    span: span(),
  };
}

export function input(
  kind: InputKind,
  prompt: string,
  options: { as?: string; entries?: string[]; within?: string } = {},
): InputStep {
  return {
    kind: "input",
    input: kind,
    prompt: template(prompt),
    ...(options.entries ? { entries: options.entries.map(template) } : kind === "menu" ? { entries: [] } : {}),
    ...(options.within ? { within: duration(options.within) } : {}),
    ...(options.as ? { as: id(options.as) } : {}),
    span: span(),
  };
}

export function display(text: string, forTime?: string): DisplayStep {
  return {
    kind: "display",
    content: { kind: "text", text: template(text), span: span() },
    ...(forTime ? { for: duration(forTime) } : {}),
    span: span(),
  };
}

export function pay(
  text: string,
  currency: string,
  options: { as?: string; tip?: string; ref?: string } = {},
): PayStep {
  return {
    kind: "pay",
    amount: money(text, currency),
    ...(options.tip ? { tip: money(options.tip, currency) } : {}),
    ...(options.ref ? { ref: template(options.ref) } : {}),
    ...(options.as ? { as: id(options.as) } : {}),
    span: span(),
  };
}

export const wait = (text: string): Step => ({ kind: "wait", duration: duration(text), span: span() });
export const expect = (condition: Expression): Step => ({ kind: "expect", condition, span: span() });
export const ifStep = (condition: Expression, then: Step[], otherwise?: Step[]): IfStep => ({
  kind: "if",
  condition,
  then,
  ...(otherwise ? { else: otherwise } : {}),
  span: span(),
});

export function param(name: string, defaultValue?: Literal): Param {
  return { kind: "param", name: id(name), ...(defaultValue ? { default: defaultValue } : {}), span: span() };
}

export function flow(steps: Step[], params: Param[] = []): Flow {
  return { kind: "flow", params, steps, span: span() };
}
