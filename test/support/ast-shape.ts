/**
 * What is wrong with an AST against the types of language/ast.ts, node by node: the front ends
 * promise whole nodes, even after syntax errors (they leave out what they could not read whole).
 */
import { INPUT_KINDS, PARAM_TYPES, REQUEST_TYPES, type Flow } from "../../language/ast.js";

type Value = Record<string, unknown>;

/** Every field that does not have its type, as `steps[2].amount.minor: expected ...`; empty when whole. */
export function astProblems(flow: Flow): string[] {
  const problems: string[] = [];
  const is = (value: unknown, kind: string): value is Value =>
    typeof value === "object" && value !== null && (value as Value).kind === kind;
  const fail = (path: string, what: string): void => {
    problems.push(`${path}: expected ${what}`);
  };
  const need = (ok: boolean, path: string, what: string): void => {
    if (!ok) fail(path, what);
  };
  const string = (v: unknown, path: string) => need(typeof v === "string", path, "a string");
  const position = (p: unknown, path: string) => {
    const v = p as Value | undefined;
    need(
      ["line", "column", "offset"].every((k) => Number.isInteger(v?.[k])) && (v?.line as number) >= 1,
      path,
      "a position",
    );
  };
  const span = (s: unknown, path: string) => {
    const v = s as Value | undefined;
    if (!v || typeof v.file !== "string") return fail(path, "a span");
    position(v.start, `${path}.start`);
    position(v.end, `${path}.end`);
  };
  const list = (v: unknown, path: string, item: (x: unknown, p: string) => void) => {
    if (!Array.isArray(v)) return fail(path, "a list");
    v.forEach((x, i) => item(x, `${path}[${i}]`));
  };
  const optional = (v: unknown, path: string, item: (x: unknown, p: string) => void) => {
    if (v !== undefined) item(v, path);
  };
  const identifier = (v: unknown, path: string) => {
    if (!is(v, "identifier")) return fail(path, "an identifier");
    string(v.name, `${path}.name`);
    span(v.span, `${path}.span`);
  };
  const reference = (v: unknown, path: string) => {
    if (!is(v, "reference")) return fail(path, "a reference");
    identifier(v.name, `${path}.name`);
    list(v.fields, `${path}.fields`, identifier);
    span(v.span, `${path}.span`);
  };
  const template = (v: unknown, path: string) => {
    if (!is(v, "template")) return fail(path, "a template");
    string(v.value, `${path}.value`);
    list(v.parts, `${path}.parts`, (part, p) => {
      const x = part as Value;
      if (x?.kind === "text") string(x.value, `${p}.value`);
      else if (x?.kind === "interpolation") reference(x.ref, `${p}.ref`);
      else fail(p, "a template part");
    });
    span(v.span, `${path}.span`);
  };
  const duration = (v: unknown, path: string) => {
    if (!is(v, "duration")) return fail(path, "a duration");
    need(typeof v.ms === "number", `${path}.ms`, "a number");
    string(v.text, `${path}.text`);
    span(v.span, `${path}.span`);
  };
  const amount = (v: unknown, path: string) => {
    if (!is(v, "amount")) return fail(path, "an amount");
    string(v.text, `${path}.text`);
    need(v.minor === null || Number.isInteger(v.minor), `${path}.minor`, "an integer or null");
    span(v.span, `${path}.span`);
  };
  const expression = (v: unknown, path: string): void => {
    const x = v as Value;
    switch (x?.kind) {
      case "string-literal":
        template(x.value, `${path}.value`);
        return;
      case "number":
        need(typeof x.value === "number", `${path}.value`, "a number");
        string(x.text, `${path}.text`);
        return;
      case "boolean":
        need(typeof x.value === "boolean", `${path}.value`, "a boolean");
        return;
      case "reference":
        reference(x, path);
        return;
      case "unary":
        need(x.operator === "not" || x.operator === "-", `${path}.operator`, "`not` or `-`");
        expression(x.operand, `${path}.operand`);
        span(x.span, `${path}.span`);
        return;
      case "binary":
        string(x.operator, `${path}.operator`);
        expression(x.left, `${path}.left`);
        expression(x.right, `${path}.right`);
        span(x.span, `${path}.span`);
        return;
      case "money":
        amount(x.amount, `${path}.amount`);
        currency(x.currency, `${path}.currency`);
        span(x.span, `${path}.span`);
        return;
      case "call":
        identifier(x.callee, `${path}.callee`);
        list(x.args, `${path}.args`, expression);
        span(x.span, `${path}.span`);
        return;
      case "range":
        expression(x.from, `${path}.from`);
        expression(x.to, `${path}.to`);
        span(x.span, `${path}.span`);
        return;
      default:
        fail(path, "an expression");
    }
  };
  const currency = (v: unknown, path: string) => {
    if (!is(v, "currency")) return fail(path, "a currency");
    string(v.code, `${path}.code`);
    span(v.span, `${path}.span`);
  };
  const steps = (v: unknown, path: string) => list(v, path, step);
  const step = (v: unknown, path: string): void => {
    const x = v as Value;
    switch (x?.kind) {
      case "session":
        list(x.waiting, `${path}.waiting`, (w, p) => {
          need((REQUEST_TYPES as readonly unknown[]).includes((w as Value)?.request), `${p}.request`, "a request type");
          duration((w as Value)?.timeout, `${p}.timeout`);
          span((w as Value)?.span, `${p}.span`);
        });
        optional(x.id, `${path}.id`, template);
        steps(x.steps, `${path}.steps`);
        break;
      case "input":
        need((INPUT_KINDS as readonly unknown[]).includes(x.input), `${path}.input`, "an input kind");
        template(x.prompt, `${path}.prompt`);
        need((x.input === "menu") === (x.entries !== undefined), `${path}.entries`, "entries exactly for a menu");
        optional(x.entries, `${path}.entries`, (e, p) => list(e, p, template));
        need(x.currency === undefined || x.input === "amount", `${path}.currency`, "a currency only on an amount");
        optional(x.currency, `${path}.currency`, currency);
        optional(x.within, `${path}.within`, duration);
        optional(x.as, `${path}.as`, identifier);
        break;
      case "display": {
        const content = x.content as Value;
        if (content?.kind === "text") template(content.text, `${path}.content.text`);
        else need(content?.kind === "idle", `${path}.content`, "text or idle");
        optional(x.for, `${path}.for`, duration);
        break;
      }
      case "pay":
        expression(x.amount, `${path}.amount`);
        optional(x.tip, `${path}.tip`, expression);
        optional(x.ref, `${path}.ref`, template);
        optional(x.with, `${path}.with`, reference);
        optional(x.within, `${path}.within`, duration);
        optional(x.as, `${path}.as`, identifier);
        break;
      case "refund":
        need(x.payment !== undefined || x.amount !== undefined, path, "a payment or an amount");
        optional(x.payment, `${path}.payment`, reference);
        optional(x.amount, `${path}.amount`, expression);
        optional(x.as, `${path}.as`, identifier);
        break;
      case "print": {
        const content = x.content as Value;
        if (content?.kind === "receipt") {
          reference(content.payment, `${path}.content.payment`);
          need(content.copy === "customer" || content.copy === "cashier", `${path}.content.copy`, "a receipt copy");
        } else if (content?.kind === "lines") list(content.lines, `${path}.content.lines`, template);
        else fail(`${path}.content`, "a receipt or lines");
        optional(x.as, `${path}.as`, identifier);
        break;
      }
      case "acquire":
        optional(x.within, `${path}.within`, duration);
        optional(x.as, `${path}.as`, identifier);
        break;
      case "status":
        reference(x.payment, `${path}.payment`);
        optional(x.as, `${path}.as`, identifier);
        break;
      case "call":
        need(is(x.flow, "string") && typeof (x.flow as Value).value === "string", `${path}.flow`, "a string");
        list(x.with, `${path}.with`, (arg, p) => {
          if (!is(arg, "argument")) return fail(p, "an argument");
          identifier(arg.name, `${p}.name`);
          expression(arg.value, `${p}.value`);
          span(arg.span, `${p}.span`);
        });
        optional(x.as, `${path}.as`, identifier);
        break;
      case "wait":
        duration(x.duration, `${path}.duration`);
        break;
      case "expect":
        expression(x.condition, `${path}.condition`);
        break;
      case "if":
        expression(x.condition, `${path}.condition`);
        steps(x.then, `${path}.then`);
        optional(x.else, `${path}.else`, steps);
        break;
      case "for":
        identifier(x.variable, `${path}.variable`);
        expression(x.over, `${path}.over`);
        steps(x.steps, `${path}.steps`);
        break;
      case "repeat":
        expression(x.count, `${path}.count`);
        steps(x.steps, `${path}.steps`);
        break;
      default:
        fail(path, "a step");
        return;
    }
    span(x.span, `${path}.span`);
  };

  if (!is(flow, "flow")) return ["flow: expected a flow"];
  optional(flow.name, "name", (n, p) => need(is(n, "string") && typeof n.value === "string", p, "a string"));
  list(flow.params, "params", (param, p) => {
    if (!is(param, "param")) return fail(p, "a param");
    identifier(param.name, `${p}.name`);
    optional(param.type, `${p}.type`, (t, q) =>
      need(is(t, "type") && (PARAM_TYPES as readonly unknown[]).includes(t.name), q, "a param type"),
    );
    optional(param.default, `${p}.default`, expression);
    span(param.span, `${p}.span`);
  });
  steps(flow.steps, "steps");
  span(flow.span, "span");
  return problems;
}
