import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { fromRoot } from "../../support/paths.js";

/** The ```flow blocks of docs/language.md. */
function flowBlocks(): string[] {
  const doc = readFileSync(fromRoot("docs/language.md"), "utf8");
  return [...doc.matchAll(/```flow\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe("docs/language.md", () => {
  it("has examples", () => assert.ok(flowBlocks().length >= 10));
  it("has only examples that parse, except the one showing errors", () => {
    const broken = flowBlocks().filter((block) => parseFlowText(block, "doc.flow").diagnostics.length > 0);
    assert.deepEqual(
      broken.map((b) => b.split("\n")[0]),
      ['flow "Pay"'],
    );
  });
});
