// Resolves every name in source order: unknown names, use before capture, captures made on only some
// paths of an `if`, repeated captures and params, and fields a capture does not have.
import type { Flow, Reference, Step } from "../ast.js";
import { didYouMean } from "../suggest.js";
import { bindingsByName, captureBinding, lookUpFields, paramBinding, type Binding } from "./bindings.js";
import type { Report } from "./report.js";
import { listOf, referencesInTemplate, referencesOfStep } from "./walk.js";

/** What is known at one point of the flow. */
interface Scope {
  /** Captured or declared on every path to here. */
  definite: Map<string, Binding>;
  /** Captured on some paths only (inside one branch of an `if` above). */
  maybe: Map<string, Binding>;
}

export function reportUndefinedName(flow: Flow, report: Report): void {
  const everywhere = bindingsByName(flow);

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
        : `capture it first (\`as ${name}\`), or declare \`${name}\` as a param`,
    });
  };

  const walk = (steps: readonly Step[] | undefined, at: Scope): void => {
    for (const step of listOf(steps)) {
      if (typeof step?.kind !== "string") continue;
      for (const ref of referencesOfStep(step)) resolve(ref, at);

      if (step.kind === "session") walk(step.steps, at);
      else if (step.kind === "if") mergeBranches(at, step.then, step.else);
      capture(step, at);
    }
  };

  const mergeBranches = (
    at: Scope,
    then: readonly Step[] | undefined,
    otherwise: readonly Step[] | undefined,
  ): void => {
    const a = copy(at);
    const b = copy(at);
    walk(then, a);
    walk(otherwise, b);
    const definite = new Map([...a.definite].filter(([name]) => b.definite.has(name)));
    const maybe = new Map([...at.maybe, ...a.maybe, ...b.maybe, ...a.definite, ...b.definite]);
    for (const name of definite.keys()) maybe.delete(name);
    at.definite = definite;
    at.maybe = maybe;
  };

  const capture = (step: Step, at: Scope): void => {
    const binding = captureBinding(step);
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
    at.definite.set(binding.name, binding);
    at.maybe.delete(binding.name);
  };

  // Params are known everywhere; a default may interpolate only params declared before it.
  const top: Scope = { definite: new Map(), maybe: new Map() };
  for (const param of listOf(flow?.params)) {
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
    } else top.definite.set(binding.name, binding);
  }
  walk(flow?.steps, top);
}

/** `payment.reslt`: a field the capture does not have. */
function reportFields(ref: Reference, binding: Binding, report: Report): void {
  const fields = listOf(ref.fields);
  if (fields.length === 0) return;
  const { problem } = lookUpFields(binding, fields);
  if (problem) report.error("unknown-field", problem.message, problem.span, problem.hint ? { hint: problem.hint } : {});
}

function copy(scope: Scope): Scope {
  return { definite: new Map(scope.definite), maybe: new Map(scope.maybe) };
}
