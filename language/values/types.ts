/**
 * The types of flow values, as the checks know them before a run and the runtime sees them during
 * one. A Typed is a type with, when it is known, the value itself: the checks know the values of
 * literals and of what is computed from them, `plan` also those of params, a run all of them. The
 * one evaluator (evaluate.ts) works on Typeds, so all three apply the same rules in the same words.
 */
import { formatMoney, isMoney } from "../money.js";
import type { Value } from "./value.js";

/** One field of a record-valued capture (`payment.result`). */
export interface FieldSpec {
  type: Type;
  description: string;
  /** The complete set of values the runtime produces, when the set is closed. */
  values?: readonly string[];
}

export type Type =
  | { readonly kind: "number" }
  | { readonly kind: "string" }
  | { readonly kind: "boolean" }
  /** An amount; `currency` when it is known (a literal's, a typed param's, a payment's). */
  | { readonly kind: "money"; readonly currency?: string }
  /** What `split(...)` and `1..n` give: only a `for` loops over it. */
  | { readonly kind: "list"; readonly of: Type }
  /** A capture with named fields (`payment.result`). */
  | {
      readonly kind: "record";
      /** For messages: `a payment result`. */
      readonly description: string;
      readonly fields: Readonly<Record<string, FieldSpec>>;
    }
  /** Not known before the run: a param without type or default holds the caller's text as it is. */
  | { readonly kind: "unknown" };

export type TypeKind = Type["kind"];

export const NUMBER: Type = Object.freeze({ kind: "number" });
export const STRING: Type = Object.freeze({ kind: "string" });
export const BOOLEAN: Type = Object.freeze({ kind: "boolean" });
export const UNKNOWN: Type = Object.freeze({ kind: "unknown" });
/** An amount in a currency not known before the run. */
export const MONEY: Type = Object.freeze({ kind: "money" });

/** An amount in `currency` (any currency when undefined). */
export function moneyType(currency: string | undefined): Type {
  return currency === undefined ? MONEY : { kind: "money", currency };
}

/** A type and, when known, its value. */
export interface Typed {
  readonly type: Type;
  readonly value?: Value;
  /** The closed set of values of a field like `payment.result`. */
  readonly values?: readonly string[];
}

export const UNKNOWN_VALUE: Typed = Object.freeze({ type: UNKNOWN });

/** A known value with its type. */
export function known(value: Value): Typed {
  return { type: typeOfValue(value), value };
}

/** A value's type, read off the value. */
export function typeOfValue(value: Value): Type {
  if (typeof value === "number") return NUMBER;
  if (typeof value === "string") return STRING;
  if (typeof value === "boolean") return BOOLEAN;
  if (isMoney(value)) return moneyType(value.currency);
  if (Array.isArray(value)) return { kind: "list", of: value.length > 0 ? typeOfValue(value[0]) : UNKNOWN };
  return { kind: "record", description: "a record", fields: {} };
}

/** `a number`, `an amount in EUR`, `a list of amounts`: how messages name a type. */
export function describeType(type: Type): string {
  switch (type.kind) {
    case "number":
    case "string":
    case "boolean":
      return `a ${type.kind}`;
    case "money":
      return type.currency ? `an amount in ${type.currency}` : "an amount";
    case "list":
      return type.of.kind === "unknown" ? "a list" : `a list of ${plural(type.of)}`;
    case "record":
      return "a record";
    case "unknown":
      return "of unknown type";
  }
}

function plural(type: Type): string {
  if (type.kind === "money") return type.currency ? `amounts in ${type.currency}` : "amounts";
  return `${describeType(type).replace(/^an? /, "")}s`;
}

/** True when two types are the same: kind, currency, item type and fields. */
export function sameType(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === "money") return a.currency === (b as typeof a).currency;
  if (a.kind === "list") return sameType(a.of, (b as typeof a).of);
  if (a.kind === "record") {
    const other = b as typeof a;
    const keys = Object.keys(a.fields);
    return (
      keys.length === Object.keys(other.fields).length &&
      keys.every((k) => Object.hasOwn(other.fields, k) && sameType(a.fields[k].type, other.fields[k].type))
    );
  }
  return true;
}

/** How a known value reads in a message: `12.50 EUR`, `3`, `"text"`. */
export function valueText(value: Value): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (isMoney(value)) return formatMoney(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(", ")}]`;
  if (typeof value === "object") return "a record";
  return String(value);
}
