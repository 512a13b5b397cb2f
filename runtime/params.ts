/**
 * Params get their values from the caller (`--var k=v`, `runFlow(..., {vars})`) or their defaults.
 * Caller text is converted to the default's type (`param guests = 2` takes `--var guests=3` as a
 * number); a param without a default takes the text as it is.
 */
import type { Flow, Literal, Param, Diagnostic } from "../language/index.js";
import { didYouMeanHint } from "../language/index.js";
import { runDiagnostic } from "./failures.js";
import type { Value } from "./values.js";

/** What a caller may pass for a param. */
export type VarValue = string | number | boolean;

export interface BoundParams {
  values: Map<string, Value>;
  diagnostics: Diagnostic[];
}

/** Binds `vars` to the flow's params; unknown names, missing values and wrong types are errors. */
export function bindParams(flow: Flow, vars: Readonly<Record<string, VarValue>> = {}): BoundParams {
  const values = new Map<string, Value>();
  const diagnostics: Diagnostic[] = [];
  const params = new Map(flow.params.map((p) => [p.name.name, p]));

  for (const name of Object.keys(vars)) {
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
    if (Object.hasOwn(vars, name)) {
      const bound = convert(vars[name], param);
      if (bound.ok) values.set(name, bound.value);
      else
        diagnostics.push(
          runDiagnostic("invalid-var", `\`${name}\` ${bound.problem}`, param.span, {
            hint: `e.g. --var ${name}=${example(param.default)}`,
          }),
        );
    } else if (param.default) {
      values.set(name, literalValue(param.default));
    } else {
      diagnostics.push(
        runDiagnostic("missing-param", `param \`${name}\` has no value`, param.span, {
          hint: `give it a value: \`--var ${name}=...\` on the command line, \`vars: { ${name}: ... }\` in runFlow`,
        }),
      );
    }
  }
  return { values, diagnostics };
}

/** The value of a default literal (string defaults are taken as written, without interpolation). */
export function literalValue(literal: Literal): Value {
  if (literal.kind === "string-literal") return literal.value.value;
  return literal.value;
}

type Converted = { ok: true; value: Value } | { ok: false; problem: string };

/** Caller value -> the type of the param's default (any value when it has none). */
function convert(value: VarValue, param: Param): Converted {
  const like = param.default?.kind;
  if (like === "number") {
    if (typeof value === "number") return { ok: true, value };
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    return Number.isFinite(n)
      ? { ok: true, value: n }
      : { ok: false, problem: `must be a number, got ${JSON.stringify(String(value))}` };
  }
  if (like === "boolean") {
    if (typeof value === "boolean") return { ok: true, value };
    const text = String(value).trim();
    if (text === "true" || text === "false") return { ok: true, value: text === "true" };
    return { ok: false, problem: `must be true or false, got ${JSON.stringify(text)}` };
  }
  if (like === "string-literal") return { ok: true, value: String(value) };
  return { ok: true, value };
}

function example(literal: Literal | undefined): string {
  if (literal?.kind === "number") return literal.text;
  if (literal?.kind === "boolean") return "true";
  return "value";
}
