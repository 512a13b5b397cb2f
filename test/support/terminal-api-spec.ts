/**
 * Adyen's Terminal API OpenAPI spec (reference/TerminalAPI-v1.json) as ajv validators for what the
 * runtime sends and the simulator answers, with the spec's known quirks patched (each one documented
 * in docs/simulator.md "Spec quirks"): real terminals send strings where the spec says integer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { sharedDir } from "./paths.js";

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

type Schema = Record<string, any>;

const spec = JSON.parse(readFileSync(join(sharedDir, "reference", "TerminalAPI-v1.json"), "utf8")) as {
  components: { schemas: Record<string, Schema> };
};

/** Quirks: [schema, property, replacement, why]. */
export const SPEC_QUIRKS: Array<[string, string, Schema, string]> = [
  [
    "POIData",
    "POIReconciliationID",
    { type: ["integer", "string"] },
    'terminals send a string ("1000"), the spec says integer (adyen-openapi#72)',
  ],
  [
    "Input",
    "DigitInput",
    { type: ["integer", "string"] },
    "Adyen's docs say string (leading zeros), the spec says integer",
  ],
  [
    "CardData",
    "CardCountryCode",
    { type: ["integer", "string"], pattern: "^[0-9]{3}$" },
    'terminals send "826"; the spec says an integer between 3 and 3',
  ],
];

const schemas: Record<string, Schema> = structuredClone(spec.components.schemas);
for (const [schema, property, replacement] of SPEC_QUIRKS) {
  const target = schemas[schema]?.properties?.[property];
  if (!target) throw new Error(`spec quirk ${schema}.${property} no longer exists: drop the patch`);
  schemas[schema].properties[property] = { ...replacement, description: target.description };
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "terminal-api", components: { schemas } }, "terminal-api");

const validators = {
  TerminalAPIRequest: ajv.getSchema("terminal-api#/components/schemas/TerminalAPIRequest")!,
  TerminalAPIResponse: ajv.getSchema("terminal-api#/components/schemas/TerminalAPIResponse")!,
};

/** The envelope a message is checked as: what the POS sends, or what the terminal answers. */
export type Envelope = keyof typeof validators;

/** The spec's complaints about a message, [] when it validates. */
export function specErrors(message: unknown, schema: Envelope): string[] {
  const validate = validators[schema];
  return validate(message)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** A schema with its $refs followed and its allOf parts' properties merged. */
function resolve(node: Schema): Schema {
  let current = node;
  while (current.$ref) current = schemas[String(current.$ref).replace("#/components/schemas/", "")];
  if (!current.allOf) return current;
  const properties = { ...(current.properties ?? {}) };
  for (const part of current.allOf) Object.assign(properties, resolve(part).properties ?? {});
  return { ...current, properties };
}

/** Fields the spec does not define (it never forbids extra properties, so typos would validate). */
export function unknownFields(message: unknown, schemaName: Envelope): string[] {
  const out: string[] = [];
  const walk = (value: unknown, node: Schema, path: string): void => {
    const schema = resolve(node);
    if (Array.isArray(value)) {
      if (schema.items) value.forEach((v, i) => walk(v, schema.items, `${path}/${i}`));
      return;
    }
    if (typeof value !== "object" || value === null || !schema.properties) return;
    for (const [key, v] of Object.entries(value)) {
      if (!schema.properties[key]) out.push(`${path}/${key}`);
      else walk(v, schema.properties[key], `${path}/${key}`);
    }
  };
  walk(message, { $ref: `#/components/schemas/${schemaName}` }, "");
  return out;
}
