import assert from "node:assert/strict";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { printFlowText } from "../../../language/text/print-text.js";
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
});
