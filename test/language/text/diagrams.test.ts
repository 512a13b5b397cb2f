import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { DIAGRAM_RESOURCE_DIR, DIAGRAM_RESOURCES, grammarDiagramsHtml } from "../../../language/text/diagrams.js";
import { fromRoot } from "../../support/paths.js";

describe("syntax diagrams (docs/grammar.html)", () => {
  it("are up to date with the parser (regenerate: npm run build && node scripts/generate-diagrams.mjs)", () =>
    assert.equal(readFileSync(fromRoot("docs/grammar.html"), "utf8"), grammarDiagramsHtml()));

  it("load only local copies of Chevrotain's diagram files", () => {
    const html = grammarDiagramsHtml();
    assert.ok(!/https?:/.test(html.replace(/"[^"]*"/g, "")), "no remote resource outside the grammar data");
    for (const file of DIAGRAM_RESOURCES) {
      assert.ok(html.includes(`'${DIAGRAM_RESOURCE_DIR}${file}'`), file);
      const copy = fromRoot("docs", DIAGRAM_RESOURCE_DIR, file);
      assert.ok(existsSync(copy), copy);
      assert.equal(
        readFileSync(copy, "utf8"),
        readFileSync(fromRoot("node_modules/chevrotain/diagrams", file), "utf8"),
        file,
      );
    }
  });

  it("draw every rule of the grammar", () => {
    for (const rule of ["flow", "sessionStep", "inputStep", "payStep", "ifStep", "expression", "comparison"]) {
      assert.ok(grammarDiagramsHtml().includes(`"name": "${rule}"`), rule);
    }
  });
});
