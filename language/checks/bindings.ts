/**
 * Names a flow can refer to: params, captures (`as name`) and loop items (`for share in ...`), with
 * what each holds as far as its declaration says, and the lookup of `name.field.field` against
 * capture-fields.ts. Shared by the name and type checks; the analysis (analysis.ts) refines the
 * types that depend on expressions (a payment's currency, a loop item's type).
 */
import type { Flow, ForStep, Identifier, Literal, Param, ParamType, Span, Step } from "../ast.js";
import { isKnownCurrency } from "../money.js";
import { didYouMean } from "../suggest.js";
import {
  BOOLEAN,
  describeType,
  moneyType,
  NUMBER,
  STRING,
  type FieldSpec,
  type Type,
  UNKNOWN,
} from "../values/types.js";
import { captureSpecOf, type CallResolver } from "./capture-fields.js";

export interface Binding {
  name: string;
  /** The declaring identifier: `as <name>`, `param <name>` or `for <name>`. */
  span: Span;
  origin: "param" | "capture" | "loop";
  /** What declares it. */
  declaration: Param | Step;
  /** Its type as declared; a capture's or loop item's may be refined by the analysis. */
  type: Type;
  /** For messages: `a yes/no answer (true when confirmed)`. */
  description: string;
}

/** The binding a step's `as` makes, or undefined when it captures nothing (or the name is missing). */
export function captureBinding(step: Step, calls?: CallResolver): Binding | undefined {
  const spec = captureSpecOf(step, calls);
  if (!spec || !("as" in step) || !isIdentifier(step.as)) return undefined;
  return {
    name: step.as.name,
    span: step.as.span,
    origin: "capture",
    declaration: step,
    type: spec.type,
    description: spec.description,
  };
}

/** The binding of a `for` loop's item, known inside the loop only. */
export function loopBinding(step: Step): Binding | undefined {
  if (step.kind !== "for" || !isIdentifier((step as ForStep).variable)) return undefined;
  return {
    name: step.variable.name,
    span: step.variable.span,
    origin: "loop",
    declaration: step,
    type: UNKNOWN,
    description: "a loop's item",
  };
}

/** The binding a `param` declares. */
export function paramBinding(param: Param): Binding | undefined {
  if (!isIdentifier(param?.name)) return undefined;
  return {
    name: param.name.name,
    span: param.name.span,
    origin: "param",
    declaration: param,
    type: paramType(param),
    description: "a param",
  };
}

/**
 * A param's type: the declared one, else its default's (a money default fixes the currency), else
 * unknown (the caller's text, read where it is used).
 */
export function paramType(param: Param): Type {
  const declared = param.type?.name;
  const fromDefault = literalType(param.default);
  if (declared !== undefined) {
    if (declared === "money" && fromDefault.kind === "money") return fromDefault;
    return typeOfParamType(declared);
  }
  return fromDefault;
}

/** `money`, `number`, `string`, `boolean` as types. */
export function typeOfParamType(name: ParamType): Type {
  return name === "money" ? moneyType(undefined) : name === "number" ? NUMBER : name === "boolean" ? BOOLEAN : STRING;
}

/**
 * Every binding by name (params first, then captures and loop items in source order), ignoring
 * scope: the params' from here, then addStepBindings at each step of a walkSteps walk.
 */
export function paramBindingsByName(flow: Flow): Map<string, Binding[]> {
  const all = new Map<string, Binding[]>();
  for (const param of flow.params) addBinding(all, paramBinding(param));
  return all;
}

/** Adds what one step binds (its loop item, its capture). */
export function addStepBindings(all: Map<string, Binding[]>, step: Step, calls?: CallResolver): void {
  addBinding(all, loopBinding(step));
  addBinding(all, captureBinding(step, calls));
}

function addBinding(all: Map<string, Binding[]>, b: Binding | undefined): void {
  if (!b) return;
  const list = all.get(b.name);
  if (list) list.push(b);
  else all.set(b.name, [b]);
}

/** A field access that does not fit the binding. */
export interface FieldProblem {
  span: Span;
  message: string;
  hint?: string;
}

export interface FieldLookup {
  type: Type;
  /** The closed set of values of the field reached, when there is one (`payment.result`). */
  values?: readonly string[];
  problem?: FieldProblem;
}

/** Follows `fields` from a value of `type` (what `binding` holds): the resulting type, or the first field that does not exist. */
export function lookUpFields(binding: Binding, fields: readonly Identifier[], type: Type = binding.type): FieldLookup {
  let at: Type = type;
  let values: readonly string[] | undefined;
  let path = binding.name;
  for (const field of fields) {
    if (!isIdentifier(field)) return { type: UNKNOWN };
    // A loop's item, or what a call the loader could not follow captured: nothing known to check against.
    if (at.kind === "unknown" && (binding.origin === "loop" || binding.declaration.kind === "call"))
      return { type: UNKNOWN };
    if (at.kind !== "record") {
      const what =
        path === binding.name ? `\`${path}\` is ${binding.description}` : `\`${path}\` is ${describeType(at)}`;
      return {
        type: UNKNOWN,
        problem: {
          span: field.span,
          message: `\`${path}\` has no field \`${field.name}\``,
          hint: `${what}: use \`${path}\` itself`,
        },
      };
    }
    const available: Readonly<Record<string, FieldSpec>> = at.fields;
    const spec = Object.hasOwn(available, field.name) ? available[field.name] : undefined;
    if (!spec) {
      const names = Object.keys(available);
      const guess = didYouMean(field.name, names);
      return {
        type: UNKNOWN,
        problem: {
          span: field.span,
          message: `\`${path}\` has no field \`${field.name}\``,
          hint: guess
            ? `did you mean \`${guess}\`?`
            : names.length === 0
              ? `${binding.description}: nothing, it has no \`as\` names`
              : `${binding.description} has the fields ${names.map((n) => `\`${n}\``).join(", ")}`,
        },
      };
    }
    path += `.${field.name}`;
    at = spec.type;
    values = spec.values;
  }
  return values ? { type: at, values } : { type: at };
}

/** The type of a literal, or unknown when absent. */
export function literalType(literal: Literal | undefined): Type {
  switch (literal?.kind) {
    case "string-literal":
      return STRING;
    case "number":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    case "money": {
      const code = literal.currency?.code;
      return moneyType(typeof code === "string" && isKnownCurrency(code) ? code : undefined);
    }
    default:
      return UNKNOWN;
  }
}

function isIdentifier(value: Identifier | undefined): value is Identifier {
  return typeof value?.name === "string" && value.name !== "";
}
