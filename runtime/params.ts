/**
 * Params get their values from the caller (`--var total="42.50 EUR"`, `runFlow(flow, {params})`, a
 * scenario's `given var`) or their defaults, and are checked against their type before anything is
 * sent: a value that does not fit is an `invalid-var` error and the run never starts. The type is
 * the declared one (`param total: money`), else the default's (a money default fixes the currency
 * too); a param with neither takes the caller's value as it is.
 */
import {
  didYouMeanHint,
  describeType,
  formatMoney,
  isKnownCurrency,
  isMoney,
  minorUnitDigits,
  moneyOf,
  paramType,
  readMoneyText,
  readNumberText,
  type Diagnostic,
  type Flow,
  type Literal,
  type Money,
  type Param,
  type Type,
} from "../language/index.js";
import { runDiagnostic } from "./failures.js";
import type { Value } from "./values.js";

/** What a caller may pass for a param: text (read as the param's type), or the value itself. */
export type ParamValue = string | number | boolean | Money;
/** The older name of ParamValue. */
export type VarValue = ParamValue;

export interface BoundParams {
  values: Map<string, Value>;
  /** Each param's type (UNKNOWN for one without type or default: its text is read where it is used). */
  types: Map<string, Type>;
  diagnostics: Diagnostic[];
}

/** Binds caller values to the flow's params; unknown names, missing values and values that do not fit are errors. */
export function bindParams(flow: Flow, given: Readonly<Record<string, ParamValue>> = {}): BoundParams {
  const values = new Map<string, Value>();
  const types = new Map<string, Type>();
  const diagnostics: Diagnostic[] = [];
  const params = new Map(flow.params.map((p) => [p.name.name, p]));

  for (const name of Object.keys(given)) {
    if (params.has(name)) continue;
    const known = [...params.keys()];
    diagnostics.push(
      runDiagnostic("unknown-var", `the flow has no param \`${name}\``, flow.name?.span ?? flow.span, {
        hint:
          didYouMeanHint(name, known) ??
          (known.length > 0
            ? `its params are ${known.map((k) => `\`${k}\``).join(", ")}`
            : "this flow declares no params"),
      }),
    );
  }

  for (const param of flow.params) {
    const name = param.name.name;
    const type = paramType(param);
    types.set(name, type);
    if (Object.hasOwn(given, name)) {
      const bound = convert(given[name], type);
      if (bound.ok) values.set(name, bound.value);
      else
        diagnostics.push(
          runDiagnostic("invalid-var", `\`${name}\` ${bound.problem}`, param.span, {
            hint: bound.hint ?? `e.g. --var ${name}=${example(param, type)}`,
          }),
        );
    } else if (param.default) {
      values.set(name, literalValue(param.default));
    } else {
      diagnostics.push(
        runDiagnostic("missing-param", `param \`${name}\` has no value`, param.span, {
          hint: `give it a value: \`--var ${name}=...\` on the command line, \`params: { ${name}: ... }\` in runFlow`,
        }),
      );
    }
  }
  return { values, types, diagnostics };
}

/** The value of a default literal (string defaults are taken as written, without interpolation). */
export function literalValue(literal: Literal): Value {
  switch (literal.kind) {
    case "string-literal":
      return literal.value.value;
    case "money":
      return moneyOf(literal.amount.minor ?? 0, literal.currency.code);
    default:
      return literal.value;
  }
}

type Converted = { ok: true; value: Value } | { ok: false; problem: string; hint?: string };

/** A caller's value as the param's type, strictly: `"3"` for a number, `"42.50 EUR"` for money. */
function convert(value: ParamValue, type: Type): Converted {
  const shown = JSON.stringify(isMoney(value) ? formatMoney(value) : String(value));
  switch (type.kind) {
    case "number": {
      const n =
        typeof value === "number" ? value : typeof value === "string" ? readNumberText(value.trim()) : undefined;
      return n !== undefined && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, problem: `must be a number, got ${shown}` };
    }
    case "boolean": {
      if (typeof value === "boolean") return { ok: true, value };
      const text = String(value).trim();
      if (text === "true" || text === "false") return { ok: true, value: text === "true" };
      return { ok: false, problem: `must be true or false, got ${shown}` };
    }
    case "money":
      return convertMoney(value, type.currency, shown);
    case "string":
      return { ok: true, value: isMoney(value) ? formatMoney(value) : String(value) };
    default:
      // Without a type the value is kept as given; text is read where the flow uses it.
      return { ok: true, value };
  }
}

function convertMoney(value: ParamValue, currency: string | undefined, shown: string): Converted {
  let money: Money;
  if (isMoney(value)) {
    if (!isKnownCurrency(value.currency))
      return { ok: false, problem: `is in an unknown currency \`${value.currency}\`` };
    money = value;
  } else if (typeof value === "string") {
    const reading = readMoneyText(value);
    if (!reading.ok)
      return { ok: false, problem: `must be an amount like \`42.50 EUR\`: ${reading.problem}`, hint: reading.hint };
    money = reading.money;
  } else {
    return {
      ok: false,
      problem: `must be an amount with its currency, like "42.50 EUR", got ${shown}`,
      hint: 'pass it as text with its currency, or as `{kind: "money", minor: 4250, currency: "EUR"}`',
    };
  }
  if (currency !== undefined && money.currency !== currency) {
    return {
      ok: false,
      problem: `is ${describeType({ kind: "money", currency })}, got ${formatMoney(money)}`,
      hint: `give it in ${currency}: the flow's default fixes its currency`,
    };
  }
  return { ok: true, value: money };
}

function example(param: Param, type: Type): string {
  if (type.kind === "money") {
    const code = type.currency ?? "EUR";
    return `"${(minorUnitDigits(code) ?? 2) === 0 ? "500" : "42.50"} ${code}"`;
  }
  if (type.kind === "number") return param.default?.kind === "number" ? param.default.text : "3";
  if (type.kind === "boolean") return "true";
  return "value";
}
