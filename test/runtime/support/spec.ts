/** Validates messages against Adyen's Terminal API OpenAPI spec (../shared/reference/TerminalAPI-v1.json). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { sharedDir } from "../../support/paths.js";

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

const spec = JSON.parse(readFileSync(join(sharedDir, "reference", "TerminalAPI-v1.json"), "utf8")) as {
  components: unknown;
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// OpenAPI's `components` is not a JSON Schema keyword; holding it under $defs-less root with an $id
// lets `$ref: "#/components/schemas/X"` resolve as the spec writes it.
ajv.addSchema({ $id: "terminal-api", components: spec.components }, "terminal-api");

const validateRequest = ajv.getSchema("terminal-api#/components/schemas/TerminalAPIRequest")!;
const validateResponse = ajv.getSchema("terminal-api#/components/schemas/TerminalAPIResponse")!;

/** The spec's complaints about a request envelope, empty when it validates. */
export function requestErrors(message: unknown): string[] {
  return validateRequest(message) ? [] : (validateRequest.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The spec's complaints about a response envelope, empty when it validates. */
export function responseErrors(message: unknown): string[] {
  return validateResponse(message) ? [] : (validateResponse.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  type?: string;
  allOf?: SchemaNode[];
};
const schemas = (spec.components as { schemas: Record<string, SchemaNode> }).schemas;

function resolve(node: SchemaNode): SchemaNode {
  let current = node;
  while (current.$ref) current = schemas[current.$ref.replace("#/components/schemas/", "")];
  if (current.allOf) {
    const merged: SchemaNode = { properties: { ...(current.properties ?? {}) } };
    for (const part of current.allOf) Object.assign(merged.properties!, resolve(part).properties ?? {});
    return merged;
  }
  return current;
}

/**
 * Fields the spec does not know, as JSON paths: the spec never forbids extra properties, so a
 * misspelt or misplaced field would otherwise validate.
 */
export function unknownFields(message: unknown, schemaName = "TerminalAPIRequest"): string[] {
  const out: string[] = [];
  const walk = (value: unknown, node: SchemaNode, path: string): void => {
    const schema = resolve(node);
    if (Array.isArray(value)) {
      if (schema.items) value.forEach((v, i) => walk(v, schema.items!, `${path}/${i}`));
      return;
    }
    if (typeof value !== "object" || value === null || !schema.properties) return;
    for (const [key, v] of Object.entries(value)) {
      const child = schema.properties[key];
      if (!child) out.push(`${path}/${key}`);
      else walk(v, child, `${path}/${key}`);
    }
  };
  walk(message, { $ref: `#/components/schemas/${schemaName}` }, "");
  return out;
}
