/**
 * The control API's request bodies checked against its OpenAPI document (ajv, JSON Schema 2020-12),
 * so the document the simulator serves is also the one it enforces. A wrong body becomes one message
 * naming the field (`field answers[0].confirm: must be boolean`), never a throw.
 */
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { loadOnDemand } from "../../protocol/index.js";
import openapi from "./openapi.json" with { type: "json" };

type Json = Record<string, unknown>;

/** The OpenAPI document, as served at `/__termflow/openapi.json`. */
export const OPENAPI_DOCUMENT: Json = openapi as Json;

export type BodyCheck = { ok: true; value: Json } | { ok: false; field: string; message: string };

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/** Compiled on first use: a simulator without control calls never pays for ajv. */
function validatorFor(schemaName: string): ValidateFunction {
  let validate = validators.get(schemaName);
  if (!validate) {
    if (!ajv) {
      // ajv itself is loaded here too: `termflow run` and `test` carry the simulator and never pay for it.
      const { Ajv2020: Ajv } = loadOnDemand<typeof import("ajv/dist/2020.js")>(
        () => require("ajv/dist/2020.js"),
        "ajv/dist/2020.js",
        import.meta.url,
      );
      // OpenAPI's own keywords (openapi, paths, ...) sit beside the schemas: not strict.
      ajv = new Ajv({ strict: false, allErrors: false, verbose: true });
      ajv.addSchema({ $id: "termflow-control", ...OPENAPI_DOCUMENT, $schema: undefined });
    }
    validate = ajv.compile({ $ref: `termflow-control#/components/schemas/${schemaName}` });
    validators.set(schemaName, validate);
  }
  return validate;
}

/** Checks a parsed body against the named component schema. */
export function checkBody(schemaName: string, value: unknown): BodyCheck {
  const validate = validatorFor(schemaName);
  if (validate(value)) return { ok: true, value: value as Json };
  const error = mostSpecific(validate.errors ?? [], value);
  return error ? describe(error) : { ok: false, field: "(body)", message: "the body does not fit the control API" };
}

/** `/answers/0/confirm` -> `answers[0].confirm`. */
function fieldOf(instancePath: string, extra?: string): string {
  const parts = instancePath.split("/").slice(1);
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const part of parts) {
    const name = part.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(name) ? `[${name}]` : out ? `.${name}` : name;
  }
  return out || "(body)";
}

function typeOfJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Does this error's schema even apply to a value of this JSON type? (An anyOf branch for strings does not apply to an object.) */
function applies(error: ErrorObject, data: unknown): boolean {
  const schema = error.parentSchema as { type?: string | string[]; enum?: unknown[] } | undefined;
  const actual = typeOfJson(data);
  const types = schema?.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types && error.keyword !== "type")
    return types.includes(actual) || (actual === "integer" && types.includes("number"));
  if (error.keyword === "enum" && Array.isArray(schema?.enum))
    return schema.enum.some((v) => typeOfJson(v) === actual || (typeOfJson(v) === "string" && actual === "string"));
  return true;
}

/** The error a person should read: the deepest field whose schema applies to the value sent. */
function mostSpecific(errors: ErrorObject[], _root: unknown): ErrorObject | undefined {
  const depth = (e: ErrorObject) =>
    e.instancePath.split("/").length + (e.keyword === "required" || e.keyword === "additionalProperties" ? 1 : 0);
  // A `required` inside a oneOf branch only says which branch was not taken: the oneOf error says it better.
  const useful = errors.filter(
    (e) =>
      e.keyword !== "anyOf" && e.keyword !== "if" && !(e.keyword === "required" && e.schemaPath.includes("/oneOf/")),
  );
  const fitting = useful.filter((e) => applies(e, e.data));
  const pool = fitting.length > 0 ? fitting : useful.length > 0 ? useful : errors;
  return pool.reduce<ErrorObject | undefined>((best, e) => (!best || depth(e) > depth(best) ? e : best), undefined);
}

function describe(error: ErrorObject): { ok: false; field: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const field = fieldOf(error.instancePath, String(params.missingProperty));
      return { ok: false, field, message: `field ${field}: missing` };
    }
    case "additionalProperties": {
      const field = fieldOf(error.instancePath, String(params.additionalProperty));
      const known = Object.keys((error.parentSchema as { properties?: Json })?.properties ?? {});
      const allowed = known.length ? ` (known fields: ${known.join(", ")})` : " (this call takes no fields)";
      return { ok: false, field, message: `field ${field}: unknown field${allowed}` };
    }
    case "enum": {
      const field = fieldOf(error.instancePath);
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return {
        ok: false,
        field,
        message: `field ${field}: must be one of ${allowed}, got ${JSON.stringify(error.data)}`,
      };
    }
    case "oneOf": {
      const field = fieldOf(error.instancePath);
      const description = (error.parentSchema as { description?: string })?.description;
      return {
        ok: false,
        field,
        message: `field ${field}: ${description ?? "does not match exactly one of the allowed shapes"}`,
      };
    }
    case "minProperties": {
      const field = fieldOf(error.instancePath);
      const description = (error.parentSchema as { description?: string })?.description;
      return { ok: false, field, message: `field ${field}: empty object${description ? `; ${description}` : ""}` };
    }
    default: {
      const field = fieldOf(error.instancePath);
      return {
        ok: false,
        field,
        message: `field ${field}: ${error.message ?? "is not valid"}, got ${JSON.stringify(error.data)}`,
      };
    }
  }
}
