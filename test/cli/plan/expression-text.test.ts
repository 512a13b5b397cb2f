import assert from "node:assert/strict";
import fc from "fast-check";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { stripSpans, type Expression, type Template } from "../../../language/ast.js";
import { expressionText, templateText } from "../../../cli/plan/expression-text.js";
import { expressionArb, templateArb } from "../../support/arbitrary-flow.js";

/** The condition of `expect <text>` as the parser reads it. */
function parseCondition(text: string): Expression | undefined {
  const { flow, diagnostics } = parseFlowText(`expect ${text}\n`, "x.flow");
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    [],
    text,
  );
  const step = flow?.steps[0];
  return step?.kind === "expect" ? step.condition : undefined;
}

describe("plan: expressions and templates as text", () => {
  it("reads back as the same expression tree (random expressions)", () => {
    fc.assert(
      fc.property(expressionArb, (e) => {
        assert.deepEqual(stripSpans(parseCondition(expressionText(e))), stripSpans(e));
      }),
      { numRuns: 300 },
    );
  });

  it("reads back as the same template (random templates)", () => {
    fc.assert(
      fc.property(templateArb, (t) => {
        const { flow } = parseFlowText(`display ${templateText(t)}\n`, "x.flow");
        const step = flow?.steps[0];
        const read: Template | undefined =
          step?.kind === "display" && step.content.kind === "text" ? step.content.text : undefined;
        assert.deepEqual(stripSpans(read), stripSpans(t));
      }),
      { numRuns: 300 },
    );
  });

  it("parenthesises only where the tree needs it", () => {
    const cases: [string, string][] = [
      ["a and (b or c)", "a and (b or c)"],
      ["(a and b) or c", "a and b or c"],
      ["not (a and b)", "not (a and b)"],
      ["not a == b", "not a == b"],
      ["-(-x) == -1", "-(-x) == -1"],
      ["a or (b or c)", "a or (b or c)"],
      ["(a < b) == true", "(a < b) == true"],
    ];
    for (const [source, printed] of cases) {
      assert.equal(expressionText(parseCondition(source) as Expression), printed, source);
    }
  });

  it("fills in known param values, leaving captures as ${...}", () => {
    const { flow } = parseFlowText('display "Table ${table} for ${guest.name} \\${x}"\n', "x.flow");
    const step = flow?.steps[0];
    assert.ok(step?.kind === "display" && step.content.kind === "text");
    assert.equal(
      templateText(
        step.content.text,
        new Map([
          ["table", "12"],
          ["guest", "no"],
        ]),
      ),
      '"Table 12 for ${guest.name} \\${x}"',
    );
  });
});
