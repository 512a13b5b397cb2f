import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { parseFlow } from "../../language/index.js";
import { printFlowText } from "../../language/text/print-text.js";
import { printFlowYaml } from "../../language/yaml/print-yaml.js";
import { flowArb } from "../support/arbitrary-flow.js";
import { astProblems } from "../support/ast-shape.js";
import { mutate } from "../support/fuzz.js";
import { fromRoot } from "../support/paths.js";

const examples = readdirSync(fromRoot("flows"))
  .filter((name) => /\.flow(\.yaml)?$/.test(name))
  .map((name) => ({ file: `flows/${name}`, source: readFileSync(fromRoot("flows", name), "utf8") }));

const edits = fc.array(
  fc.tuple(fc.constantFrom("delete", "insert", "swap"), fc.nat(), fc.constantFrom(...' <>{}[]":;#$.=\n\t-0aZ&')),
  { minLength: 1, maxLength: 5 },
);

/** The AST of `source` has every field its type says, whatever errors the source has. */
function assertWhole(source: string, file: string): void {
  const { flow } = parseFlow(source, file);
  if (flow) assert.deepEqual(astProblems(flow), [], JSON.stringify(source));
}

describe("the AST is never partial", () => {
  it("from broken example flows, in both syntaxes: statements that cannot be read whole are left out", () =>
    fc.assert(
      fc.property(fc.constantFrom(...examples), edits, (example, e) =>
        assertWhole(mutate(example.source, e), example.file),
      ),
      { numRuns: 300 },
    ));

  it("from broken random flows, in both syntaxes", () =>
    fc.assert(
      fc.property(flowArb, edits, (flow, e) => {
        assertWhole(mutate(printFlowText(flow), e), "random.flow");
        assertWhole(mutate(printFlowYaml(flow), e), "random.flow.yaml");
      }),
      { numRuns: 150 },
    ));

  it("and the shape check catches a node with a missing part", () =>
    assert.deepEqual(astProblems({ ...parseFlow("wait 1s", "t.flow").flow!, steps: [{ kind: "wait" } as never] }), [
      "steps[0].duration: expected a duration",
      "steps[0].span: expected a span",
    ]));
});
