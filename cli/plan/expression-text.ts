/** Expressions and templates back to mini-language text, for the plan (with params filled in). */
import type { Expression, Template, TemplatePart } from "../../language/ast.js";
import { quoteTemplate } from "../../language/text/strings.js";

/** Known values of params by name (from --var or their defaults), substituted into templates. */
export type KnownValues = ReadonlyMap<string, string>;

/** A template as a string literal; `${param}` whose value is known is replaced by that value. */
export function templateText(template: Template, known: KnownValues = new Map()): string {
  const parts: TemplatePart[] = template.parts.map((part) => {
    if (part.kind === "interpolation" && part.ref.fields.length === 0 && known.has(part.ref.name.name)) {
      return { kind: "text", value: known.get(part.ref.name.name) as string };
    }
    return part;
  });
  return quoteTemplate(parts);
}

/** Binding strength: higher binds tighter. */
function precedence(e: Expression): number {
  if (e.kind === "binary") {
    if (e.operator === "or") return 1;
    if (e.operator === "and") return 2;
    return 4;
  }
  if (e.kind === "unary") return e.operator === "not" ? 3 : 5;
  return 6;
}

/** `payment.result == "approved" and not split`, parenthesised only where the tree needs it. */
export function expressionText(e: Expression, known: KnownValues = new Map()): string {
  switch (e.kind) {
    case "number":
      return e.text;
    case "boolean":
      return String(e.value);
    case "string-literal":
      return templateText(e.value, known);
    case "reference":
      return [e.name.name, ...e.fields.map((f) => f.name)].join(".");
    case "unary": {
      const operand = wrap(e.operand, precedence(e), known, true);
      if (e.operator === "not") return `not ${operand}`;
      return e.operand.kind === "unary" ? `-(${expressionText(e.operand, known)})` : `-${operand}`;
    }
    case "binary": {
      const p = precedence(e);
      // Comparisons do not chain and and/or group to the left: a same-level child on the right
      // (or either side of a comparison) needs parentheses to mean the same tree.
      const left = wrap(e.left, p, known, p === 4);
      const right = wrap(e.right, p, known, true);
      return `${left} ${e.operator} ${right}`;
    }
  }
}

function wrap(child: Expression, parent: number, known: KnownValues, strictAtSameLevel: boolean): string {
  const p = precedence(child);
  const text = expressionText(child, known);
  return p < parent || (p === parent && strictAtSameLevel && child.kind === "binary") ? `(${text})` : text;
}
