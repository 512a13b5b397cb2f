// Resolves every name in source order: unknown names, use before capture, captures made on only some
// paths of an `if`, a loop or a handler, repeated captures and params, loop items used outside their loop or
// named like another name, and fields a capture does not have.
import { handlersOf, type Flow, type Reference, type Step } from "../ast.js";
import { isKnownCurrency } from "../money.js";
import { didYouMean } from "../suggest.js";
import type { FlowAnalysis } from "./analysis.js";
import { captureBinding, lookUpFields, loopBinding, paramBinding, type Binding } from "./bindings.js";
import type { Report } from "./report.js";
import { forEachReferenceOfStep, referencesInTemplate } from "./walk.js";

/**
 * What is known at one point of the flow: names captured or declared on every path to here
 * (`definite`), and names captured on some paths only (`maybe`, inside one branch of an `if` above).
 *
 * One scope serves the whole walk. Each branch of an `if` changes it and is then rolled back, so
 * an `if` costs what its branches change, not a copy of everything known before it: a flow of
 * thousands of captures and ifs is checked in linear time.
 */
class Scope {
  readonly definite = new Map<string, Binding>();
  readonly maybe = new Map<string, Binding>();
  /** Undo records of every change, newest last. */
  private readonly trail: { map: Map<string, Binding>; name: string; old: Binding | undefined }[] = [];

  set(map: Map<string, Binding>, name: string, binding: Binding): void {
    this.trail.push({ map, name, old: map.get(name) });
    map.set(name, binding);
  }

  delete(map: Map<string, Binding>, name: string): void {
    if (!map.has(name)) return;
    this.trail.push({ map, name, old: map.get(name) });
    map.delete(name);
  }

  /** A point to roll back to. */
  mark(): number {
    return this.trail.length;
  }

  /** Undoes every change since `mark`; returns what the changed names held before the undo. */
  rollBack(mark: number): Map<string, NameState> {
    const changed = new Map<string, NameState>();
    for (let i = mark; i < this.trail.length; i++) {
      const { name } = this.trail[i];
      if (!changed.has(name)) changed.set(name, { definite: this.definite.get(name), maybe: this.maybe.get(name) });
    }
    while (this.trail.length > mark) {
      const { map, name, old } = this.trail.pop()!;
      if (old === undefined) map.delete(name);
      else map.set(name, old);
    }
    return changed;
  }

  /** What a name holds now. */
  state(name: string): NameState {
    return { definite: this.definite.get(name), maybe: this.maybe.get(name) };
  }
}

interface NameState {
  definite: Binding | undefined;
  maybe: Binding | undefined;
}

/** Words that start a capture or a handler and may still be names. */
const SOFT_KEYWORDS = new Set(["as", "on"]);

export function reportUndefinedName(flow: Flow, report: Report, analysis: FlowAnalysis): void {
  const everywhere = analysis.bindings;

  const resolve = (ref: Reference, scope: Scope): void => {
    const name = ref?.name?.name;
    if (typeof name !== "string" || name === "") return;
    const binding = scope.definite.get(name);
    if (binding) {
      reportFields(ref, binding, report);
      return;
    }

    const maybe = scope.maybe.get(name);
    if (maybe) {
      report.error("maybe-uncaptured", `\`${name}\` may not be captured here`, ref.name.span, {
        hint: "it is captured on only some paths of an `if` above: capture it on every path, or use it inside that branch",
        related: [{ message: `\`${name}\` is captured here`, span: maybe.span }],
      });
      reportFields(ref, maybe, report);
      return;
    }

    const later = everywhere.get(name)?.[0];
    if (later?.origin === "loop") {
      report.error("undefined-name", `\`${name}\` is known only inside its loop`, ref.name.span, {
        hint: "use it inside the loop's `{ }`, or capture what you need there with `as`",
        related: [{ message: `the loop names \`${name}\` here`, span: later.span }],
      });
      return;
    }
    if (later) {
      const verb = later.origin === "param" ? "declared" : "captured";
      report.error("used-before-capture", `\`${name}\` is used before it is ${verb}`, ref.name.span, {
        hint: `move this after the ${later.origin === "param" ? "param" : "step that captures it"}`,
        related: [{ message: `\`${name}\` is ${verb} here`, span: later.span }],
      });
      reportFields(ref, later, report);
      return;
    }

    const known = [...everywhere.keys()];
    const guess = didYouMean(name, known);
    report.error("undefined-name", `unknown name \`${name}\``, ref.name.span, {
      hint: guess
        ? `did you mean \`${guess}\`?`
        : isKnownCurrency(name)
          ? `\`${name}\` is a currency: an amount is written with its number first, \`12.50 ${name}\``
          : SOFT_KEYWORDS.has(name)
            ? // `refund as r`: `as` and `on` can be names, so a step missing its value reads them as one.
              `\`${name}\` is read as a name here: write what the step needs before it (\`refund p ${name} ...\`, \`refund 5.00 EUR ${name} ...\`)`
            : `capture it first (\`as ${name}\`), or declare \`${name}\` as a param`,
    });
  };

  const walk = (steps: readonly Step[] | undefined, at: Scope): void => {
    const resolveHere = (ref: Reference): void => resolve(ref, at);
    for (const step of steps ?? []) {
      if (typeof step?.kind !== "string") continue;
      forEachReferenceOfStep(step, resolveHere);

      if (step.kind === "session") walk(step.steps, at);
      else if (step.kind === "if") mergeBranches(at, step.then, step.else);
      else if (step.kind === "for" || step.kind === "repeat") loop(step, at);
      capture(step, at);
      // A handler runs after its step captured, on some paths only, as a branch of an `if`.
      for (const handler of handlersOf(step)) mergeBranches(at, handler.steps, undefined);
    }
  };

  /**
   * After an `if`: a name is definite when both branches leave it definite (with the `then`
   * branch's binding), else maybe when any path captured it. Only names a branch changed can differ
   * from before the `if`. `item` is a loop's item, known in `then` (the loop's body) only.
   */
  const mergeBranches = (
    at: Scope,
    then: readonly Step[] | undefined,
    otherwise: readonly Step[] | undefined,
    item?: Binding,
  ): void => {
    const mark = at.mark();
    if (item) at.set(at.definite, item.name, item);
    walk(then, at);
    if (item) forget(at, item);
    const a = at.rollBack(mark);
    walk(otherwise, at);
    const b = at.rollBack(mark);
    const merge = (name: string): void => {
      const before = at.state(name);
      const inA = a.get(name) ?? before;
      const inB = b.get(name) ?? before;
      const definite = inA.definite && inB.definite ? inA.definite : undefined;
      const maybe = definite ? undefined : (inB.definite ?? inA.definite ?? inB.maybe ?? inA.maybe ?? before.maybe);
      if (definite) at.set(at.definite, name, definite);
      else at.delete(at.definite, name);
      if (maybe) at.set(at.maybe, name, maybe);
      else at.delete(at.maybe, name);
    };
    for (const name of a.keys()) merge(name);
    for (const name of b.keys()) if (!a.has(name)) merge(name);
  };

  /**
   * A loop's body may run no time at all (`repeat n times` with n = 0, `1..n` with n < 1), so what it
   * captures is known after it on some paths only, as after an `if` without `else`; a split has at
   * least one share, so after a loop over one its captures are known. Its item is known inside only.
   */
  const loop = (step: Extract<Step, { kind: "for" | "repeat" }>, at: Scope): void => {
    const named = loopBinding(step);
    const taken = named ? (at.definite.get(named.name) ?? at.maybe.get(named.name)) : undefined;
    if (named && taken) {
      const what = taken.origin === "param" ? "a param" : "captured";
      report.error("duplicate-name", `\`${named.name}\` is already ${what}`, named.span, {
        hint: "name the loop's item something new, like `share` or `guest`",
        related: [
          {
            message: `\`${named.name}\` is ${taken.origin === "param" ? "declared" : "captured"} here`,
            span: taken.span,
          },
        ],
      });
    }
    const item = named && !taken ? named : undefined;
    if (!runsAtLeastOnce(step)) {
      mergeBranches(at, step.steps, undefined, item);
      return;
    }
    if (item) at.set(at.definite, item.name, item);
    walk(step.steps, at);
    if (item) forget(at, item);
  };

  const capture = (step: Step, at: Scope): void => {
    const binding = captureBinding(step, analysis.calledFlow);
    if (!binding) return;
    const earlier = at.definite.get(binding.name);
    if (earlier) {
      const what = earlier.origin === "param" ? "a param" : "captured";
      report.warning("duplicate-capture", `\`${binding.name}\` is already ${what}; this replaces it`, binding.span, {
        hint: "pick a new name unless replacing the earlier value is intended",
        related: [
          {
            message: `\`${binding.name}\` is ${earlier.origin === "param" ? "declared" : "first captured"} here`,
            span: earlier.span,
          },
        ],
      });
    }
    at.set(at.definite, binding.name, binding);
    at.delete(at.maybe, binding.name);
  };

  // Params are known everywhere; a default may interpolate only params declared before it.
  const top = new Scope();
  for (const param of flow.params) {
    if (param?.default?.kind === "string-literal") {
      for (const ref of referencesInTemplate(param.default.value)) resolve(ref, top);
    }
    const binding = paramBinding(param);
    if (!binding) continue;
    const earlier = top.definite.get(binding.name);
    if (earlier) {
      report.error("duplicate-param", `param \`${binding.name}\` is declared twice`, binding.span, {
        related: [{ message: "first declared here", span: earlier.span }],
      });
    } else top.set(top.definite, binding.name, binding);
  }
  walk(flow?.steps, top);
}

/** Drops a loop's item once its loop is over. */
function forget(at: Scope, item: Binding): void {
  at.delete(at.definite, item.name);
  at.delete(at.maybe, item.name);
}

/** A loop whose body runs at least once: over a split (one share or more), or a count known to be 1 or more. */
function runsAtLeastOnce(step: Extract<Step, { kind: "for" | "repeat" }>): boolean {
  if (step.kind === "repeat") return step.count.kind === "number" && step.count.value >= 1;
  const over = step.over;
  if (over.kind === "call") return over.callee.name === "split";
  return (
    over.kind === "range" &&
    over.from.kind === "number" &&
    over.to.kind === "number" &&
    over.from.value <= over.to.value
  );
}

/** `payment.reslt`: a field the capture does not have. */
function reportFields(ref: Reference, binding: Binding, report: Report): void {
  const fields = ref.fields;
  if (fields.length === 0) return;
  const { problem } = lookUpFields(binding, fields);
  if (problem) report.error("unknown-field", problem.message, problem.span, problem.hint ? { hint: problem.hint } : {});
}
