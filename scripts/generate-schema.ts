/**
 * Writes schemas/flow.schema.json from the step definitions (language/step-definitions.ts).
 * Run after changing the YAML form:  npx tsx scripts/generate-schema.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { flowJsonSchemaText } from "../language/yaml/json-schema.js";

const target = fileURLToPath(new URL("../schemas/flow.schema.json", import.meta.url));
writeFileSync(target, flowJsonSchemaText());
console.log(`wrote ${target}`);
