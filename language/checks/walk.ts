/**
 * Walkers for the checks. The checks run on partial ASTs too (after syntax errors, recovered nodes may
 * lack children), so every walker here tolerates missing arrays and nodes instead of trusting the types.
 */
import type { Expression, Flow, Reference, SessionStep, Step, Template } from "../ast.js";

/** The array if it is one, else empty: recovered nodes may lack their lists. */
export function listOf<T>(value: readonly T[] | undefined | null): readonly T[] {
  return Array.isArray(value) ? value.filter((v) => v !== undefined && v !== null) : [];
}

/** The steps directly inside a step (session body, both `if` branches), in source order. */
export function childSteps(step: Step): readonly Step[] {
  if (step.kind === "session") return listOf(step.steps);
  if (step.kind === "if") return [...listOf(step.then), ...listOf(step.else)];
  return [];
}

/** Every step, depth first in source order, with the sessions around it (through `if` blocks too). */
export function forEachStep(
  steps: readonly Step[] | undefined,
  visit: (step: Step, sessions: readonly SessionStep[]) => void,
  sessions: readonly SessionStep[] = [],
): void {
  for (const step of listOf(steps)) {
    if (typeof step !== "object" || typeof step.kind !== "string") continue;
    visit(step, sessions);
    const inner = step.kind === "session" ? [...sessions, step] : sessions;
    forEachStep(childSteps(step) as Step[], visit, inner);
  }
}

/** Every step of a flow; see forEachStep. */
export function forEachStepOf(flow: Flow, visit: (step: Step, sessions: readonly SessionStep[]) => void): void {
  forEachStep(flow?.steps, visit);
}

/** The expressions a step evaluates itself (not those of its child steps). */
export function expressionsOfStep(step: Step): Expression[] {
  if ((step.kind === "expect" || step.kind === "if") && step.condition) return [step.condition];
  return [];
}

/** The strings a step shows or sends, which may interpolate `${name}` (not those of its child steps). */
export function templatesOfStep(step: Step): Template[] {
  const found: (Template | undefined)[] = [];
  if (step.kind === "input") found.push(step.prompt, ...listOf(step.entries));
  else if (step.kind === "display" && step.content?.kind === "text") found.push(step.content.text);
  else if (step.kind === "pay") found.push(step.ref);
  return found.filter((t): t is Template => t !== undefined && t !== null);
}

/** References inside an expression, left to right, including `${...}` in its strings. */
export function referencesInExpression(expression: Expression | undefined, out: Reference[] = []): Reference[] {
  if (!expression) return out;
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
  }
  return out;
}

/** `${...}` references inside a string. */
export function referencesInTemplate(template: Template | undefined, out: Reference[] = []): Reference[] {
  for (const part of listOf(template?.parts)) if (part.kind === "interpolation" && part.ref) out.push(part.ref);
  return out;
}

/** Every reference a step makes itself, in source order of its parts. */
export function referencesOfStep(step: Step): Reference[] {
  const out: Reference[] = [];
  for (const e of expressionsOfStep(step)) referencesInExpression(e, out);
  for (const t of templatesOfStep(step)) referencesInTemplate(t, out);
  return out;
}

/** `1st`, `2nd`, `16th`: for messages about list positions. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
