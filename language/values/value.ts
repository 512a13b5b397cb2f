/**
 * What params, captures and expressions hold at run time. Plain data only (it goes into JSON
 * results and across worker threads): money is `{kind: "money", minor, currency}` (language/money.ts),
 * a list is an array, a record (a payment capture) is an object of fields.
 */
import { decimalOfNumber, decimalText } from "../decimal.js";
import { formatMoney, isMoney, type Money } from "../money.js";

export type Value = string | number | boolean | Money | ValueList | ValueRecord;
export type ValueList = readonly Value[];
export interface ValueRecord {
  readonly [field: string]: Value;
}

/** A record (not money, not a list). */
export function isRecord(value: Value): value is ValueRecord {
  return typeof value === "object" && !Array.isArray(value) && !isMoney(value);
}

/**
 * How a value reads inside a string (`${total}`): money with all of its currency's decimals
 * (`100.00 EUR`), numbers as the decimal they are (`0.3`, never `0.30000000000000004`), lists
 * joined with `, `, records as their `result` when they have one.
 */
export function textOf(value: Value): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return String(value);
  if (isMoney(value)) return formatMoney(value);
  if (Array.isArray(value)) return value.map(textOf).join(", ");
  const record = value as ValueRecord;
  return typeof record.result === "string" ? record.result : JSON.stringify(record);
}

/** A number as a person writes it: `12.5`, `0.3`, `1000000` (never in exponent form). */
export function numberText(n: number): string {
  const decimal = decimalOfNumber(n);
  return decimal ? decimalText(decimal) : String(n);
}
