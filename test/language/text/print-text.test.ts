import assert from "node:assert/strict";
import fc from "fast-check";
import { stripSpans, type Expression, type Template } from "../../../language/ast.js";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { printExpression, printFlowText, printTemplate } from "../../../language/text/print-text.js";
import { expressionArb, templateArb } from "../../support/arbitrary-flow.js";
import { FILE } from "./helpers.js";

/** Parse, then print: the canonical form of a source. */
const canonical = (source: string) => {
  const { flow, diagnostics } = parseFlowText(source, FILE);
  assert.deepEqual(diagnostics, []);
  return printFlowText(flow!);
};
/** The canonical form of one statement, without the final newline. */
const one = (source: string) => canonical(source).trimEnd();

describe("mini-language printer", () => {
  it("prints the canonical layout", () =>
    assert.equal(
      canonical(
        'param table = "7"\nsession waiting 5000 id "S" < input confirm "Split?" as split; if split { pay 12.50 EUR } else { display idle } >',
      ),
      [
        'param table = "7"',
        "",
        'session waiting 5000 id "S" <',
        '  input confirm "Split?" as split',
        "  if split {",
        "    pay 12.50 EUR",
        "  } else {",
        "    display idle",
        "  }",
        ">",
        "",
      ].join("\n"),
    ));
  it("puts the flow name first and params next", () =>
    assert.equal(canonical('flow "A"\nparam x\nwait 1'), 'flow "A"\nparam x\n\nwait 1\n'));
  it("prints a file with no steps without a blank line", () => assert.equal(canonical('flow "A"'), 'flow "A"\n'));
  it("prints an empty flow as one newline", () => assert.equal(canonical(""), "\n"));

  it("keeps the one-timeout form", () => assert.equal(one("session waiting 5s < >"), "session waiting 5s <\n>"));
  it("keeps `on` for a subset", () =>
    assert.equal(one("session waiting 5s on payment, input < >"), "session waiting 5s on input, payment <\n>"));
  it("keeps per-type timeouts, in canonical order", () =>
    assert.equal(one("session waiting display 1s, input 2s < >"), "session waiting input 2s, display 1s <\n>"));
  it("merges equal per-type timeouts", () =>
    assert.equal(one("session waiting input 1s, display 1s, payment 1s < >"), "session waiting 1s <\n>"));

  it("keeps amounts and durations as written", () =>
    assert.equal(
      one("pay 12.50 EUR tip 0.50; wait 5000; wait 5s; wait 250ms"),
      "pay 12.50 EUR tip 0.50\nwait 5000\nwait 5s\nwait 250ms",
    ));
  it("prints every clause of input in order", () =>
    assert.equal(one('input menu "R" ["A", "B"] within 30s as r'), 'input menu "R" ["A", "B"] within 30s as r'));
  it("prints display with a minimum time", () =>
    assert.equal(one('display "Hi ${n}" for 3s'), 'display "Hi ${n}" for 3s'));
  it("prints pay with ref and capture", () =>
    assert.equal(one('pay 1 JPY ref "r-${t}" as p'), 'pay 1 JPY ref "r-${t}" as p'));
  it("reads `refund p (amount)` as the payment and a parenthesised amount, not a call of `p`", () => {
    const flow = parseFlowText("refund sale (total - 5.00 EUR) as back\nrefund split(total, 2)", FILE).flow;
    const [partial, unreferenced] = flow?.steps ?? [];
    assert.equal(partial?.kind === "refund" && partial.payment?.name.name, "sale");
    assert.equal(partial?.kind === "refund" && partial.amount?.kind, "binary");
    assert.equal(unreferenced?.kind === "refund" && unreferenced.amount?.kind, "call");
    assert.equal(one("refund sale (total - 5.00 EUR) as back"), "refund sale total - 5.00 EUR as back");
  });
  it("parenthesises a refund's amount that would read as something else", () => {
    assert.equal(one("refund sale (-5.00 EUR)"), "refund sale (-5.00 EUR)");
    assert.equal(one("refund sale (as)"), "refund sale (as)");
    assert.equal(one("refund (total)"), "refund (total)");
  });
  it("prints else-if chains flat", () =>
    assert.equal(one("if a { } else { if b { } else { } }"), "if a {\n} else if b {\n} else {\n}"));

  it("escapes what strings need escaped", () =>
    assert.equal(one('display "q\\" b\\\\ n\\n t\\t \\${x} $y"'), 'display "q\\" b\\\\ n\\n t\\t \\${x} $y"'));
  it("drops parentheses precedence does not need", () =>
    assert.equal(one("expect ((a and b)) or (c)"), "expect a and b or c"));
  it("keeps parentheses precedence needs", () => assert.equal(one("expect (a or b) and c"), "expect (a or b) and c"));
  it("keeps right-nested parentheses of the same operator", () =>
    assert.equal(one("expect a or (b or c)"), "expect a or (b or c)"));
  it("parenthesises a comparison inside a comparison", () =>
    assert.equal(one("expect (a == b) == c"), "expect (a == b) == c"));
  it("prints not and minus", () =>
    assert.equal(one("expect not (a and b) or -x < -(1)"), "expect not (a and b) or -x < -1"));
  it("parenthesises not under a comparison", () => assert.equal(one("expect a == (not b)"), "expect a == (not b)"));
  it("prints negative param defaults", () => assert.equal(one("param x = -1.50"), "param x = -1.50"));
  it("writes a negated negation -(-x), never --x", () =>
    assert.equal(one("expect - -x == -(-1)"), "expect -(-x) == -(-1)"));
});

/** The condition of `expect <text>` as the parser reads it. */
function parseCondition(text: string): Expression | undefined {
  const { flow, diagnostics } = parseFlowText(`expect ${text}\n`, FILE);
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    [],
    text,
  );
  const step = flow?.steps[0];
  return step?.kind === "expect" ? step.condition : undefined;
}

describe("mini-language printer: expressions and templates", () => {
  it("reads back as the same expression tree (random expressions)", () =>
    fc.assert(
      fc.property(expressionArb, (e) =>
        assert.deepEqual(stripSpans(parseCondition(printExpression(e))), stripSpans(e)),
      ),
      { numRuns: 300 },
    ));

  it("reads back as the same template (random templates)", () =>
    fc.assert(
      fc.property(templateArb, (t) => {
        const { flow } = parseFlowText(`display ${printTemplate(t)}\n`, FILE);
        const step = flow?.steps[0];
        const read: Template | undefined =
          step?.kind === "display" && step.content.kind === "text" ? step.content.text : undefined;
        assert.deepEqual(stripSpans(read), stripSpans(t));
      }),
      { numRuns: 300 },
    ));

  it("parenthesises only where the tree needs it", () => {
    const cases: [string, string][] = [
      ["a and (b or c)", "a and (b or c)"],
      ["(a and b) or c", "a and b or c"],
      ["not (a and b)", "not (a and b)"],
      ["not a == b", "not a == b"],
      ["-(-x) == -1", "-(-x) == -1"],
      ["-(not x)", "-(not x)"],
      ["a or (b or c)", "a or (b or c)"],
      ["(a < b) == true", "(a < b) == true"],
    ];
    for (const [source, printed] of cases) assert.equal(printExpression(parseCondition(source)!), printed, source);
  });

  it("fills in known param values, leaving captures and fields as ${...}", () => {
    const { flow } = parseFlowText('display "Table ${table} for ${guest.name} \\${x}"\n', FILE);
    const step = flow?.steps[0];
    assert.ok(step?.kind === "display" && step.content.kind === "text");
    const known = new Map([
      ["table", "12"],
      ["guest", "no"],
    ]);
    assert.equal(printTemplate(step.content.text, known), '"Table 12 for ${guest.name} \\${x}"');
  });
});
