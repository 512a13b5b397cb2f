import assert from "node:assert/strict";
import { createValidatedFlowParser, flowParser } from "../../../language/text/parser.js";
import { LineIndex } from "../../../language/text/positions.js";
import { lexFlowSource } from "../../../language/text/tokens.js";
import { problems, sexpr, step, tree } from "./helpers.js";

describe("mini-language parser", () => {
  it("builds with Chevrotain's grammar validations on (no ambiguity, no left recursion)", () => {
    // performSelfAnalysis throws on any grammar error when validations are on.
    const parser = createValidatedFlowParser();
    assert.deepEqual((parser as unknown as { definitionErrors: unknown[] }).definitionErrors, []);
  });

  it("has one rule per statement and per precedence level", () => {
    assert.deepEqual(Object.keys(flowParser().getGAstProductions()).sort(), [
      "acquireStep",
      "andExpression",
      "arithmetic",
      "block",
      "callArgument",
      "callStep",
      "capture",
      "comparison",
      "displayStep",
      "expectStep",
      "expression",
      "flow",
      "flowName",
      "forStep",
      "handler",
      "ifStep",
      "inputStep",
      "literal",
      "menuEntries",
      "notExpression",
      "param",
      "payStep",
      "primary",
      "printStep",
      "reference",
      "refundStep",
      "repeatStep",
      "requestType",
      "sessionStep",
      "statusStep",
      "step",
      "unary",
      "waitStep",
      "waitingEntry",
    ]);
  });

  it("is reused: a second input starts from a clean state", () => {
    const parser = flowParser();
    const lines = (source: string) => new LineIndex(source, "reuse.flow");
    parser.parse(lexFlowSource("pay pay").tokens, lines("pay pay"));
    assert.ok(parser.errors.length > 0);
    const second = parser.parse(lexFlowSource("wait 1s").tokens, lines("wait 1s"));
    assert.deepEqual(parser.errors, []);
    assert.equal(second.flow?.steps[0]?.kind, "wait");
    assert.strictEqual(flowParser(), parser, "one shared instance");
  });

  it("recovers and reports every syntax error in one run", () =>
    assert.deepEqual(problems('dispaly "a"\nwait 5m\npay (12 EUR\nsession waiting 1s < display "x"'), [
      "unknown-step@1:1",
      "bad-duration@2:6",
      "expected-token@3:12",
      "missing-session-close@4:33",
    ]));

  describe("`>`: comparison or end of session", () => {
    /** The conditions of the expects inside the one session of a source. */
    const inner = (source: string) => {
      const s = step(source);
      assert.equal(s.kind, "session");
      return s.kind === "session" ? s.steps.map((x) => (x.kind === "expect" ? sexpr(x.condition) : x.kind)) : [];
    };
    it("compares when an operand follows, then closes", () =>
      assert.deepEqual(inner("session waiting 5s < expect a > 1 >"), ["(> a 1)"]));
    it("closes when nothing that starts an operand follows", () =>
      assert.deepEqual(inner("session waiting 5s < expect a >"), ["a"]));
    it("compares with a negative number", () =>
      assert.deepEqual(inner("session waiting 5s < expect a > -1 >"), ["(> a (- 1))"]));
    it("compares with a name, a string or parentheses", () =>
      assert.deepEqual(inner('session waiting 5s < expect a > b; expect a > "x"; expect a > (b) >'), [
        "(> a b)",
        '(> a "x")',
        "(> a b)",
      ]));
    it("closes after a newline", () => assert.deepEqual(inner("session waiting 5s <\n  expect a\n>"), ["a"]));
    it("reads `>=` as one operator", () =>
      assert.deepEqual(inner("session waiting 5s < expect a >= 1 >"), ["(>= a 1)"]));
    it("keeps parenthesised comparisons apart", () =>
      assert.deepEqual(inner("session waiting 5s < expect (a > b) >"), ["(> a b)"]));
    it("closes before a step on the same line", () =>
      assert.deepEqual(problems('session waiting 5s < expect a > display "x"'), ["missing-separator@1:33"]));
    it("compares the same way outside sessions", () => assert.equal(tree("a > 1"), "(> a 1)"));
    it("does not chain comparisons", () =>
      assert.deepEqual(problems("session waiting 5s < expect a > b > c >"), ["chained-comparison@1:35"]));
  });

  it("allows `<` on the line after the session header", () =>
    assert.equal(step("session waiting 5s\n<\n  wait 1s\n>").kind, "session"));
  it("allows `else` on the line after `}`", () => assert.equal(step("if a {\n}\n\nelse {\n}").kind, "if"));
  it("allows `{` on the line after the condition", () => assert.equal(step("if a\n{\n}").kind, "if"));
});
