/**
 * The one evaluator of expressions. The checks run it on types (values known only for literals and
 * what is computed from them), `termflow plan` with the params' values too, a run on values. The
 * rules are in rules.ts; this file only walks the tree.
 */
import { isKnownCurrency } from "../money.js";
import type { Expression, Template } from "../ast.js";
import { arithmetic, call, comparison, type Environment, logical, range, unary } from "./rules.js";
import { known, moneyType, STRING, type Typed, UNKNOWN_VALUE } from "./types.js";
import { textOf } from "./value.js";

const ARITHMETIC = new Set(["+", "-", "*", "/"]);

/** The Typed of an expression. */
export function evaluate(e: Expression, env: Environment): Typed {
  // The checks also see partial trees (a syntax error cut a node short): a missing part is unknown.
  if (!isNode(e)) return UNKNOWN_VALUE;
  switch (e.kind) {
    case "string-literal":
      return renderTemplate(e.value, env);
    case "number":
    case "boolean":
      return known(e.value);
    case "money": {
      const code = e.currency?.code;
      const currency = typeof code === "string" && isKnownCurrency(code) ? code : undefined;
      // A malformed literal (unknown currency, too many decimals) is the checks' to report.
      if (typeof e.amount?.minor !== "number" || currency === undefined) return { type: moneyType(currency) };
      return known({ kind: "money", minor: e.amount.minor, currency });
    }
    case "reference":
      return env.lookUp(e);
    case "unary":
      return isNode(e.operand) ? unary(e, evaluate(e.operand, env), env) : UNKNOWN_VALUE;
    case "binary": {
      if (!isNode(e.left) || !isNode(e.right)) return UNKNOWN_VALUE;
      const left = evaluate(e.left, env);
      if (e.operator === "and" || e.operator === "or") {
        const decided = left.value === (e.operator === "or");
        const right = decided && env.shortCircuit ? undefined : evaluate(e.right, env);
        return logical(e, left, right, env);
      }
      const right = evaluate(e.right, env);
      return ARITHMETIC.has(e.operator) ? arithmetic(e, left, right, env) : comparison(e, left, right, env);
    }
    case "call":
      if (!Array.isArray(e.args) || !e.args.every(isNode) || typeof e.callee?.name !== "string") return UNKNOWN_VALUE;
      return call(
        e,
        e.args.map((a) => evaluate(a, env)),
        env,
      );
    case "range":
      if (!isNode(e.from) || !isNode(e.to)) return UNKNOWN_VALUE;
      return range(e, evaluate(e.from, env), evaluate(e.to, env), env);
    default:
      return UNKNOWN_VALUE;
  }
}

function isNode(e: Expression | undefined): e is Expression {
  return typeof e === "object" && e !== null && typeof e.kind === "string";
}

/** A string with its `${...}` filled in: known when every value it inserts is. */
export function renderTemplate(template: Template, env: Environment): Typed {
  let text = "";
  for (const part of template.parts ?? []) {
    if (part?.kind === "text") {
      text += part.value;
      continue;
    }
    if (typeof part?.ref?.name?.name !== "string") return { type: STRING };
    const value = env.lookUp(part.ref).value;
    if (value === undefined) return { type: STRING };
    text += textOf(value);
  }
  return known(text);
}
