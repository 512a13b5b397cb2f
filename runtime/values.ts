/**
 * Values at run time: what params and captures hold, and expressions evaluated with the language's
 * one evaluator (language/values), so a rule only a run can check (a currency known only from a
 * param's value, a split into `guests` shares) fails the step in the checks' own words.
 */
import {
  BOOLEAN,
  evaluate as evaluateTyped,
  forEachReferenceIn,
  forEachReferenceInTemplate,
  known,
  renderTemplate as renderTyped,
  settle,
  typeOfValue,
  type DiagnosticCode,
  type Environment,
  type Expression,
  type Problem,
  type Reference,
  type Span,
  type Template,
  type Type,
  type Typed,
  type Value,
} from "../language/index.js";

export type { Value } from "../language/index.js";

/** An expression broke a rule: carries the code and span to point the step's diagnostic at. */
export class EvaluationError extends Error {
  readonly code: DiagnosticCode;
  readonly span: Span;
  readonly hint?: string;

  constructor(problem: Problem) {
    super(problem.message);
    this.name = "EvaluationError";
    this.code = problem.code;
    this.span = problem.span;
    if (problem.hint !== undefined) this.hint = problem.hint;
  }
}

/**
 * Names visible to expressions: params first, captures and loop items as the run makes them. Each
 * holds its value and the type it was declared with (unknown for a param without type or default,
 * whose caller text is read where it is used).
 */
export class Scope {
  private readonly values = new Map<string, Typed>();

  /**
   * Sets a name to a value, whose type is the value's own; `type` UNKNOWN marks the caller's text of
   * a param without type or default, which is read where it is used.
   */
  set(name: string, value: Value, type?: Type): void {
    this.values.set(name, type?.kind === "unknown" ? { type, value } : known(value));
  }

  /** Removes a name (a loop's item after the loop). */
  delete(name: string): void {
    this.values.delete(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): Value | undefined {
    return this.values.get(name)?.value;
  }

  /** The value with its declared type. */
  typed(name: string): Typed | undefined {
    return this.values.get(name);
  }

  /** Every name and value, for the run result. */
  entries(): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, typed] of this.values) if (typed.value !== undefined) out[name] = typed.value;
    return out;
  }
}

/** The environment a run evaluates in: every problem stops the step. */
export function runEnvironment(scope: Scope): Environment {
  return {
    shortCircuit: true,
    problem(problem) {
      throw new EvaluationError(problem);
    },
    lookUp: (ref) => lookUpTyped(ref, scope),
  };
}

function lookUpTyped(ref: Reference, scope: Scope): Typed {
  const found = scope.typed(ref.name.name);
  if (!found) {
    throw new EvaluationError({
      code: "evaluation-failed",
      message: `\`${ref.name.name}\` has no value yet`,
      span: ref.span,
      hint: "it is captured by a step that has not run (another branch, or later in the flow)",
    });
  }
  if (ref.fields.length === 0) return found;
  let value = found.value as Value;
  let path = ref.name.name;
  for (const field of ref.fields) {
    if (typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, field.name)) {
      throw new EvaluationError({
        code: "evaluation-failed",
        message: `\`${path}\` has no field \`${field.name}\``,
        span: field.span,
      });
    }
    value = (value as Record<string, Value>)[field.name];
    path += `.${field.name}`;
  }
  return { type: typeOfValue(value), value };
}

/** The value of `name.field...`; an EvaluationError when the name is not set yet (a branch not taken). */
export function lookUp(ref: Reference, scope: Scope): Value {
  return lookUpTyped(ref, scope).value as Value;
}

/** Evaluates an expression with its declared types (a Typed whose value is always there). */
export function evaluateWithType(expression: Expression, scope: Scope): Typed {
  return evaluateTyped(expression, runEnvironment(scope));
}

/** Evaluates an expression. */
export function evaluate(expression: Expression, scope: Scope): Value {
  const typed = evaluateWithType(expression, scope);
  if (typed.value === undefined) {
    // Every name has a value in a run, so this is a rule the evaluator could not decide: a bug.
    throw new EvaluationError({
      code: "evaluation-failed",
      message: "this expression has no value",
      span: expression.span,
    });
  }
  return typed.value;
}

/** Evaluates a condition (`if`, `expect`) to a boolean. */
export function evaluateCondition(expression: Expression, scope: Scope): boolean {
  const env = runEnvironment(scope);
  const typed = settle(evaluateTyped(expression, env), BOOLEAN, expression, env);
  if (typeof typed.value === "boolean") return typed.value;
  throw new EvaluationError({
    code: "condition-not-boolean",
    message: `expected a yes/no value, got ${JSON.stringify(typed.value)}`,
    span: expression.span,
  });
}

/** `${name}` and `${name.field}` filled in with the values' text. */
export function renderTemplate(template: Template, scope: Scope): string {
  return renderTyped(template, runEnvironment(scope)).value as string;
}

/** The names an expression or template reads (for "does the flow inspect this capture?"). */
export function referencedNames(node: Expression | Template, into: Set<string> = new Set()): Set<string> {
  const add = (ref: Reference) => into.add(ref.name.name);
  if (node.kind === "template") forEachReferenceInTemplate(node, add);
  else forEachReferenceIn(node, add);
  return into;
}

export { textOf } from "../language/index.js";
