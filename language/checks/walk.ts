/**
 * What the checks read off a step: its child steps, expressions, strings and the names they refer
 * to. Walking the steps themselves is `walkSteps` (language/ast.ts), the one step walker.
 */
import { type Expression, type Flow, type Reference, type Step, type Template, walkSteps } from "../ast.js";
import type { CallResolver } from "./capture-fields.js";

/** The steps directly inside a step (session body, both `if` branches, a loop's body), in source order. */
export function childSteps(step: Step): readonly Step[] {
  if (step.kind === "session" || step.kind === "for" || step.kind === "repeat") return step.steps;
  if (step.kind === "if") return step.else ? [...step.then, ...step.else] : step.then;
  return [];
}

/**
 * The steps a step runs, each with what its calls run: a block's children, a `call`'s called flow.
 * undefined for a call the checks cannot see into (no program loader, a missing file, a cycle):
 * a pass then assumes nothing about what it runs.
 */
export function stepsRun(
  step: Step,
  calls: CallResolver | undefined,
): { steps: readonly Step[]; calls: CallResolver | undefined } | undefined {
  if (step.kind !== "call") return { steps: childSteps(step), calls };
  const called = calls?.(step);
  return called ? { steps: called.flow.steps, calls: called.calls } : undefined;
}

/** The expressions a step evaluates itself (not those of its child steps). */
export function expressionsOfStep(step: Step): Expression[] {
  switch (step.kind) {
    case "expect":
    case "if":
      return [step.condition];
    case "pay": {
      const out = step.tip ? [step.amount, step.tip] : [step.amount];
      return step.with ? [...out, step.with] : out;
    }
    case "refund":
      return [...(step.payment ? [step.payment] : []), ...(step.amount ? [step.amount] : [])];
    case "print":
      return step.content.kind === "receipt" ? [step.content.payment] : [];
    case "status":
      return [step.payment];
    case "call":
      return step.with.map((a) => a.value);
    case "for":
      return [step.over];
    case "repeat":
      return [step.count];
    default:
      return [];
  }
}

/** The conditions a step tests (`expect`, `if`): they must be true or false. */
export function conditionsOfStep(step: Step): Expression[] {
  return step.kind === "expect" || step.kind === "if" ? [step.condition] : [];
}

/** The strings a step shows or sends, which may interpolate `${name}` (not those of its child steps). */
export function templatesOfStep(step: Step): Template[] {
  if (step.kind === "session") return step.id ? [step.id] : [];
  if (step.kind === "input") return step.entries ? [step.prompt, ...step.entries] : [step.prompt];
  if (step.kind === "display") return step.content.kind === "text" ? [step.content.text] : [];
  if (step.kind === "pay") return step.ref ? [step.ref] : [];
  if (step.kind === "print" && step.content.kind === "lines") return step.content.lines;
  return [];
}

/** References inside an expression, left to right, including `${...}` in its strings. */
export function referencesInExpression(expression: Expression, out: Reference[] = []): Reference[] {
  switch (expression.kind) {
    case "reference":
      out.push(expression);
      break;
    case "string-literal":
      referencesInTemplate(expression.value, out);
      break;
    case "unary":
      referencesInExpression(expression.operand, out);
      break;
    case "binary":
      referencesInExpression(expression.left, out);
      referencesInExpression(expression.right, out);
      break;
    case "call":
      for (const arg of expression.args) referencesInExpression(arg, out);
      break;
    case "range":
      referencesInExpression(expression.from, out);
      referencesInExpression(expression.to, out);
      break;
  }
  return out;
}

/** `${...}` references inside a string. */
export function referencesInTemplate(template: Template, out: Reference[] = []): Reference[] {
  for (const part of template.parts) if (part.kind === "interpolation") out.push(part.ref);
  return out;
}

/** Every reference a step makes itself, in source order of its parts. */
export function referencesOfStep(step: Step): Reference[] {
  const out: Reference[] = [];
  for (const e of expressionsOfStep(step)) referencesInExpression(e, out);
  for (const t of templatesOfStep(step)) referencesInTemplate(t, out);
  return out;
}

/** Every expression node of a flow (param defaults, then steps in source order), outer nodes first. */
export function forEachExpressionOf(flow: Flow, visit: (e: Expression, step: Step | undefined) => void): void {
  for (const param of flow.params) if (param.default) visitTree(param.default, undefined, visit);
  walkSteps(flow.steps, (step) => {
    for (const e of expressionsOfStep(step)) visitTree(e, step, visit);
  });
}

function visitTree(
  e: Expression,
  step: Step | undefined,
  visit: (e: Expression, step: Step | undefined) => void,
): void {
  visit(e, step);
  switch (e.kind) {
    case "unary":
      visitTree(e.operand, step, visit);
      break;
    case "binary":
      visitTree(e.left, step, visit);
      visitTree(e.right, step, visit);
      break;
    case "call":
      for (const arg of e.args) visitTree(arg, step, visit);
      break;
    case "range":
      visitTree(e.from, step, visit);
      visitTree(e.to, step, visit);
      break;
  }
}

/** `1st`, `2nd`, `16th`: for messages about list positions. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
