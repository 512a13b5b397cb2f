import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { checkFlow } from "../../../language/checks/index.js";
import { parseFlow } from "../../../language/index.js";
import { fromRoot } from "../../support/paths.js";

const examples = readdirSync(fromRoot("flows"))
  .filter((name) => /\.flow(\.yaml)?$/.test(name))
  .map((name) => ({ file: `flows/${name}`, source: readFileSync(fromRoot("flows", name), "utf8") }));

/** Deletes, inserts or swaps a few characters: the half-typed flows an editor sends. */
const mutation = fc.array(
  fc.tuple(fc.constantFrom("delete", "insert", "swap"), fc.nat(), fc.constantFrom(...'<>{}[]";#$.=\n\t 0aZ')),
  { minLength: 1, maxLength: 4 },
);

function mutate(source: string, edits: [string, number, string][]): string {
  let s = source;
  for (const [kind, at, ch] of edits) {
    const i = s.length === 0 ? 0 : at % s.length;
    if (kind === "delete") s = s.slice(0, i) + s.slice(i + 1);
    else if (kind === "insert") s = s.slice(0, i) + ch + s.slice(i);
    else s = s.slice(0, i) + s.slice(i + 1, i + 2) + s.slice(i, i + 1) + s.slice(i + 2);
  }
  return s;
}

describe("checks on partial ASTs from broken sources", () => {
  it("never crash a pass, and point inside the file", () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), mutation, (example, edits) => {
        const source = mutate(example.source, edits);
        const { flow } = parseFlow(source, example.file);
        if (!flow) return;
        for (const d of checkFlow(flow)) {
          assert.notEqual(d.code, "internal-error", d.message);
          assert.ok(
            d.span.start.offset >= 0 && d.span.end.offset <= source.length,
            `${d.code} points outside the file`,
          );
        }
      }),
      { seed: 20240611, numRuns: 100 },
    );
  });
});
