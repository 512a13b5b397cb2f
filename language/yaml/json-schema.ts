/**
 * The JSON Schema (draft-07, what yaml-language-server handles best) of the YAML form, generated
 * from the step definitions the reader checks against. `scripts/generate-schema.ts` writes it to
 * `schemas/flow.schema.json`; a test keeps the committed file equal to a fresh generation.
 */
import {
  FLOW_SHAPE,
  HANDLERS_SHAPE,
  PARAM_SHAPE,
  SCALARS,
  STEP_DEFINITIONS,
  type JsonSchema,
  type ObjectShape,
  type Shape,
} from "../step-definitions.js";

/** The schema of a whole `*.flow.yaml` file. */
export function buildFlowJsonSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "termflow flow",
    description: "A payment-terminal flow in the YAML form of termflow (see docs/yaml.md).",
    ...objectSchema(FLOW_SHAPE),
    definitions: {
      steps: { type: "array", description: "Steps, run in order.", items: { $ref: "#/definitions/step" } },
      handler: {
        description: "What to do: the steps, or `{retry: 1, use: ..., steps: [...]}`.",
        ...shapeSchema(HANDLERS_SHAPE.fields.failure.shape),
      },
      step: {
        type: "object",
        description: "One step: a map with exactly one of the step keys, and its handlers (`on`) next to it.",
        properties: {
          ...Object.fromEntries(
            STEP_DEFINITIONS.map((d) => [d.kind, { description: d.description, ...shapeSchema(d.shape) }]),
          ),
          on: {
            description:
              "What happens when the step fails, by outcome: `{declined: {retry: 1, steps: [...]}, timeout: [...]}`.",
            type: "object",
            properties: Object.fromEntries(
              Object.entries(HANDLERS_SHAPE.fields).map(([outcome, field]) => [
                outcome,
                { description: field.description, allOf: [{ $ref: "#/definitions/handler" }] },
              ]),
            ),
            additionalProperties: false,
            minProperties: 1,
          },
        },
        additionalProperties: false,
        oneOf: STEP_DEFINITIONS.map((d) => ({ required: [d.kind] })),
        minProperties: 1,
        maxProperties: 2,
      },
    },
  };
}

/** The schema text as committed: two-space JSON and a final newline. */
export function flowJsonSchemaText(): string {
  return `${JSON.stringify(buildFlowJsonSchema(), null, 2)}\n`;
}

function shapeSchema(shape: Shape): JsonSchema {
  switch (shape.type) {
    case "scalar":
      return { ...SCALARS[shape.scalar].schema };
    case "list":
      return shape.minItems === undefined
        ? { type: "array", items: shapeSchema(shape.items) }
        : { type: "array", items: shapeSchema(shape.items), minItems: shape.minItems };
    case "steps":
      // `allOf` so the description next to it still shows (siblings of `$ref` are ignored in draft-07).
      return { allOf: [{ $ref: "#/definitions/steps" }] };
    case "params":
      return {
        type: "object",
        propertyNames: { ...SCALARS.name.schema },
        additionalProperties: { anyOf: [{ ...SCALARS.literal.schema }, objectSchema(PARAM_SHAPE)] },
      };
    case "arguments":
      return {
        type: "object",
        propertyNames: { ...SCALARS.name.schema },
        additionalProperties: { ...SCALARS.expression.schema },
      };
    case "object":
      return objectSchema(shape);
    case "either":
      return { anyOf: shape.options.map(shapeSchema) };
  }
}

function objectSchema(shape: ObjectShape): JsonSchema {
  const schema: JsonSchema = {
    type: "object",
    properties: Object.fromEntries(
      Object.entries(shape.fields).map(([key, field]) => [
        key,
        { description: field.description, ...shapeSchema(field.shape) },
      ]),
    ),
    additionalProperties: false,
  };
  const required = Object.entries(shape.fields)
    .filter(([, f]) => f.required)
    .map(([k]) => k);
  if (required.length > 0) schema.required = required;
  if (shape.minKeys !== undefined) schema.minProperties = shape.minKeys;
  if (shape.oneOf) schema.oneOf = shape.oneOf.keys.map((k) => ({ required: [k] }));
  if (shape.anyOf) schema.anyOf = shape.anyOf.map((k) => ({ required: [k] }));
  if (shape.exclusive) schema.not = { required: [...shape.exclusive] };
  if (shape.pairedWith) {
    const dependencies: Record<string, string[]> = {};
    for (const [key, rule] of Object.entries(shape.pairedWith)) {
      dependencies[key] = [rule.key];
      if (rule.requiredBy) dependencies[rule.key] = [key];
    }
    schema.dependencies = dependencies;
  }
  if (shape.narrowedBy) {
    const { key, field, shape: narrow } = shape.narrowedBy;
    schema.if = { required: [key] };
    schema.then = { properties: { [field]: shapeSchema(narrow) } };
  }
  return schema;
}
