import assert from "node:assert/strict";
import { checkFlow, loadFlow, parseFlow } from "../../../language/index.js";

/** `code@line:column` of every diagnostic: syntax errors first, then the checks'. */
function codes(source: string, file = "t.flow"): string[] {
  return loadFlow(source, file).diagnostics.map((d) => `${d.code}@${d.span.start.line}:${d.span.start.column}`);
}

describe("checks stay quiet about what a syntax error already explains", () => {
  it("a condition with `=` is read as `==` after one error: no follow-on", () =>
    assert.deepEqual(codes('session waiting 5s <\n  pay 1.00 EUR as p\n  expect p.result = "approved"\n>\n'), [
      "unexpected-token@3:19",
    ]));

  it("a condition that is not boolean, with no syntax error on its line, is still reported", () =>
    assert.deepEqual(codes("session waiting 5s <\n  pay 1.00 EUR as p\n  expect p.result\n>\nwait =\n"), [
      "condition-not-boolean@3:10",
      "expected-token@5:6",
    ]));

  it("a session whose only step failed to parse is not also called empty", () =>
    assert.deepEqual(codes("session waiting 5s <\n  pay 1,50 EUR\n>\n"), ["expected-token@2:8"]));

  it("a param is not called unused when a statement could not be read (it may use it)", () => {
    assert.deepEqual(codes('param table = "7"\ndisplay "Table ${table}" 3s\n'), ["unexpected-token@2:26"]);
    assert.deepEqual(codes('param table = "7"\nwait 1s\n'), ["unused-param@1:7"]);
  });

  it("an empty session away from the syntax error is still reported", () =>
    assert.deepEqual(codes("session waiting 5s <\n>\npay 1,50 EUR\n"), ["empty-session@1:1", "expected-token@3:6"]));

  it("a YAML menu without entries reports only the missing field", () =>
    assert.deepEqual(
      codes("steps:\n  - session:\n      waiting: 5s\n      steps:\n        - input: {menu: Pick}\n", "t.flow.yaml"),
      ["missing-field@5:19"],
    ));
});

describe("checkFlow answers from its arguments only", () => {
  const source = 'session waiting 5s <\n  pay 1.00 EUR as p\n  expect p.result "x"\n>\n';
  const parsed = parseFlow(source, "t.flow");
  const codesOf = (ds: readonly { code: string }[]) => ds.map((d) => d.code);

  it("a copy of a parsed flow, given the same syntax errors, gets the same diagnostics", () =>
    assert.deepEqual(
      checkFlow(structuredClone(parsed.flow!), { syntaxErrors: parsed.diagnostics }),
      checkFlow(parsed.flow!, { syntaxErrors: parsed.diagnostics }),
    ));

  it("without the syntax errors, the flow is checked as if it parsed cleanly", () =>
    assert.deepEqual(codesOf(checkFlow(parsed.flow!)), ["condition-not-boolean"]));

  it("with them, what a syntax error explains is left out", () =>
    assert.deepEqual(codesOf(checkFlow(parsed.flow!, { syntaxErrors: parsed.diagnostics })), []));
});
