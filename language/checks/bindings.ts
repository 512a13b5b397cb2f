/**
 * Names a flow can refer to: params and captures (`as name`), with what each holds, and the lookup
 * of `name.field.field` against capture-fields.ts. Shared by the name and type checks.
 */
import { type Flow, type Identifier, type Literal, type Param, type Span, type Step, walkSteps } from "../ast.js";
import { didYouMean } from "../suggest.js";
import { captureSpecOf, type FieldSpec, type ScalarType } from "./capture-fields.js";

/** `unknown`: a param without a default, whose caller-supplied value the checks cannot type. */
export type ValueType = ScalarType | "record" | "unknown";

export interface Binding {
  name: string;
  /** The declaring identifier: `as <name>` or `param <name>`. */
  span: Span;
  origin: "param" | "capture";
  type: ValueType;
  /** For messages: `a yes/no answer (true when confirmed)`. */
  description: string;
  fields: Readonly<Record<string, FieldSpec>>;
}

/** The binding a step's `as` makes, or undefined when it captures nothing (or the name is missing). */
export function captureBinding(step: Step): Binding | undefined {
  if (step.kind !== "input" && step.kind !== "pay") return undefined;
  const spec = captureSpecOf(step);
  if (!spec || !isIdentifier(step.as)) return undefined;
  return { name: step.as.name, span: step.as.span, origin: "capture", ...spec };
}

/** The binding a `param` declares; its type is its default's, or unknown without one. */
export function paramBinding(param: Param): Binding | undefined {
  if (!isIdentifier(param?.name)) return undefined;
  return {
    name: param.name.name,
    span: param.name.span,
    origin: "param",
    type: literalType(param.default),
    description: "a param",
    fields: {},
  };
}

/** Every binding by name (params first, then captures in source order), ignoring order and branches. */
export function bindingsByName(flow: Flow): Map<string, Binding[]> {
  const all = new Map<string, Binding[]>();
  const add = (b: Binding | undefined): void => {
    if (!b) return;
    const list = all.get(b.name);
    if (list) list.push(b);
    else all.set(b.name, [b]);
  };
  for (const param of flow.params) add(paramBinding(param));
  walkSteps(flow.steps, (step) => add(captureBinding(step)));
  return all;
}

/** A field access that does not fit the binding. */
export interface FieldProblem {
  span: Span;
  message: string;
  hint?: string;
}

export interface FieldLookup {
  type: ValueType;
  /** The closed set of values of the field reached, when there is one (`payment.result`). */
  values?: readonly string[];
  problem?: FieldProblem;
}

/** Follows `fields` from a binding: the resulting type, or the first field that does not exist. */
export function lookUpFields(binding: Binding, fields: readonly Identifier[]): FieldLookup {
  let type: ValueType = binding.type;
  let available: Readonly<Record<string, FieldSpec>> = binding.fields;
  let values: readonly string[] | undefined;
  let path = binding.name;
  for (const field of fields) {
    if (!isIdentifier(field)) return { type: "unknown" };
    if (type !== "record") {
      const what = path === binding.name ? `\`${path}\` is ${binding.description}` : `\`${path}\` is a ${type}`;
      return {
        type: "unknown",
        problem: {
          span: field.span,
          message: `\`${path}\` has no field \`${field.name}\``,
          hint: `${what}: use \`${path}\` itself`,
        },
      };
    }
    const spec = Object.hasOwn(available, field.name) ? available[field.name] : undefined;
    if (!spec) {
      const names = Object.keys(available);
      const guess = didYouMean(field.name, names);
      return {
        type: "unknown",
        problem: {
          span: field.span,
          message: `\`${path}\` has no field \`${field.name}\``,
          hint: guess
            ? `did you mean \`${guess}\`?`
            : `${binding.description} has the fields ${names.map((n) => `\`${n}\``).join(", ")}`,
        },
      };
    }
    path += `.${field.name}`;
    type = spec.type;
    values = spec.values;
    available = {};
  }
  return values ? { type, values } : { type };
}

/** The type of a literal, or unknown when absent. */
export function literalType(literal: Literal | undefined): ValueType {
  if (literal?.kind === "string-literal") return "string";
  if (literal?.kind === "number") return "number";
  if (literal?.kind === "boolean") return "boolean";
  return "unknown";
}

function isIdentifier(value: Identifier | undefined): value is Identifier {
  return typeof value?.name === "string" && value.name !== "";
}
