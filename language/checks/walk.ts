/**
 * What the checks read off a step: its child steps, expressions, strings and the names they refer
 * to. Walking the steps themselves is `walkSteps` (language/ast.ts), the one step walker.
 */
import {
  handlersOf,
  type Expression,
  type Flow,
  type MoneyLiteral,
  type Reference,
  type Step,
  type Template,
} from "../ast.js";
import type { CallResolver } from "./capture-fields.js";
import type { StepVisitor } from "./report.js";

/** What most steps have of each: one list for all, so that reading a step allocates nothing. */
const NONE: readonly never[] = [];

/**
 * The steps directly inside a step (session body, both `if` branches, a loop's body, its handlers'
 * steps), in source order.
 */
export function childSteps(step: Step): readonly Step[] {
  if (step.kind === "session" || step.kind === "for" || step.kind === "repeat") return step.steps;
  if (step.kind === "if") return step.else ? [...step.then, ...step.else] : step.then;
  const handlers = handlersOf(step);
  return handlers.length === 0 ? NONE : handlers.flatMap((h) => h.steps);
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

/** The expressions a step evaluates itself (not those of its child steps), its handlers' `use` last. */
export function expressionsOfStep(step: Step): readonly Expression[] {
  const own = ownExpressions(step);
  const handlers = handlersOf(step);
  if (handlers.length === 0) return own;
  const uses = handlers.flatMap((h) => (h.use ? [h.use] : []));
  return uses.length > 0 ? [...own, ...uses] : own;
}

function ownExpressions(step: Step): readonly Expression[] {
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
      return step.content.kind === "receipt" ? [step.content.payment] : NONE;
    case "status":
      return [step.payment];
    case "call":
      return step.with.map((a) => a.value);
    case "for":
      return [step.over];
    case "repeat":
      return [step.count];
    default:
      return NONE;
  }
}

/** The conditions a step tests (`expect`, `if`): they must be true or false. */
export function conditionsOfStep(step: Step): readonly Expression[] {
  return step.kind === "expect" || step.kind === "if" ? [step.condition] : NONE;
}

/** The strings a step shows or sends, which may interpolate `${name}` (not those of its child steps). */
export function templatesOfStep(step: Step): readonly Template[] {
  if (step.kind === "session") return step.id ? [step.id] : NONE;
  if (step.kind === "input") return step.entries ? [step.prompt, ...step.entries] : [step.prompt];
  if (step.kind === "display") return step.content.kind === "text" ? [step.content.text] : NONE;
  if (step.kind === "pay") return step.ref ? [step.ref] : NONE;
  if (step.kind === "print" && step.content.kind === "lines") return step.content.lines;
  return NONE;
}

/** References inside an expression, left to right, including `${...}` in its strings. */
export function forEachReferenceIn(expression: Expression, visit: (ref: Reference) => void): void {
  switch (expression.kind) {
    case "reference":
      visit(expression);
      break;
    case "string-literal":
      forEachReferenceInTemplate(expression.value, visit);
      break;
    case "unary":
      forEachReferenceIn(expression.operand, visit);
      break;
    case "binary":
      forEachReferenceIn(expression.left, visit);
      forEachReferenceIn(expression.right, visit);
      break;
    case "call":
      for (const arg of expression.args) forEachReferenceIn(arg, visit);
      break;
    case "range":
      forEachReferenceIn(expression.from, visit);
      forEachReferenceIn(expression.to, visit);
      break;
  }
}

/** `${...}` references inside a string. */
export function referencesInTemplate(template: Template, out: Reference[] = []): Reference[] {
  for (const part of template.parts) if (part.kind === "interpolation") out.push(part.ref);
  return out;
}

/** referencesInTemplate without the list. */
export function forEachReferenceInTemplate(template: Template, visit: (ref: Reference) => void): void {
  for (const part of template.parts) if (part.kind === "interpolation") visit(part.ref);
}

/** Every reference a step makes itself, in source order of its parts. */
export function referencesOfStep(step: Step): Reference[] {
  const out: Reference[] = [];
  forEachReferenceOfStep(step, (ref) => out.push(ref));
  return out;
}

/** referencesOfStep without the list: a check that reads every step's references makes none. */
export function forEachReferenceOfStep(step: Step, visit: (ref: Reference) => void): void {
  for (const e of expressionsOfStep(step)) forEachReferenceIn(e, visit);
  for (const t of templatesOfStep(step)) forEachReferenceInTemplate(t, visit);
}

/** Every expression node a step evaluates itself (not those of its child steps), outer nodes first. */
export function forEachExpressionOfStep(step: Step, visit: (e: Expression, step: Step | undefined) => void): void {
  for (const e of expressionsOfStep(step)) forEachExpressionIn(e, step, visit);
}

/** Every node of an expression (in `step`, none for a param's default), outer nodes first. */
export function forEachExpressionIn(
  e: Expression,
  step: Step | undefined,
  visit: (e: Expression, step: Step | undefined) => void,
): void {
  visit(e, step);
  switch (e.kind) {
    case "unary":
      forEachExpressionIn(e.operand, step, visit);
      break;
    case "binary":
      forEachExpressionIn(e.left, step, visit);
      forEachExpressionIn(e.right, step, visit);
      break;
    case "call":
      for (const arg of e.args) forEachExpressionIn(arg, step, visit);
      break;
    case "range":
      forEachExpressionIn(e.from, step, visit);
      forEachExpressionIn(e.to, step, visit);
      break;
  }
}

/** `1st`, `2nd`, `16th`: for messages about list positions. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/**
 * A check's StepVisitor over every amount written in the flow (`12.50 EUR`): those of the params'
 * defaults at once, a step's at the step (then `end`, if given).
 */
export function amountsVisitor(
  flow: Flow,
  visit: (literal: MoneyLiteral, step: Step | undefined) => void,
  end?: () => void,
): StepVisitor {
  const onMoney = (e: Expression, step: Step | undefined): void => {
    if (e.kind === "money") visit(e, step);
  };
  for (const param of flow.params) if (param.default) forEachExpressionIn(param.default, undefined, onMoney);
  return { step: (step) => forEachExpressionOfStep(step, onMoney), end };
}
