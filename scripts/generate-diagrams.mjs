// Writes docs/grammar.html (syntax diagrams of the mini-language, from the parser) and copies the
// diagram scripts it loads to docs/grammar/, so the page works offline. Run after `npm run build`:
//   node scripts/generate-diagrams.mjs
// test/language/text/diagrams.test.ts fails when the committed files are out of date.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const compiled = join(root, "dist/language/text/diagrams.js");
if (!existsSync(compiled)) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}
const { grammarDiagramsHtml, DIAGRAM_RESOURCES, DIAGRAM_RESOURCE_DIR } = await import(compiled);

const docs = join(root, "docs");
writeFileSync(join(docs, "grammar.html"), grammarDiagramsHtml());
const source = join(root, "node_modules/chevrotain/diagrams");
const target = join(docs, DIAGRAM_RESOURCE_DIR);
for (const file of [...DIAGRAM_RESOURCES, "LICENSE.txt"]) {
  const from = file === "LICENSE.txt" ? join(root, "node_modules/chevrotain/LICENSE.txt") : join(source, file);
  mkdirSync(dirname(join(target, file)), { recursive: true });
  copyFileSync(from, join(target, file));
}
console.log(`wrote docs/grammar.html and ${DIAGRAM_RESOURCES.length + 1} files in docs/${DIAGRAM_RESOURCE_DIR}`);
