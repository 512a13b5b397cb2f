import assert from "node:assert/strict";
import fc from "fast-check";
import { stripSpans, type Flow } from "../../../language/ast.js";
import { parseFlowYaml } from "../../../language/yaml/parse-yaml.js";
import { printFlowYaml } from "../../../language/yaml/print-yaml.js";
import { flowArb } from "../../support/arbitrary-flow.js";
import { parseTextValid, parseYamlValid, rendered } from "./helpers.js";

/** The canonical YAML of a mini-language flow. */
const printedFromText = (text: string) => printFlowYaml(parseTextValid(text));

/** YAML keys are unique, so the YAML form cannot declare a param twice (the checks reject that anyway). */
const uniqueParams = (flow: Flow) => new Set(flow.params.map((p) => p.name.name)).size === flow.params.length;

describe("printFlowYaml", () => {
  it("prints the issue's contract example in the canonical layout", () => {
    assert.equal(
      printedFromText(
        'flow "Pay at table"\nsession waiting 5000 < input confirm "Split the bill?" as split; display "Thanks"; pay 12.50 EUR as payment >\n' +
          "expect split == true\n",
      ),
      `flow: Pay at table
steps:
  - session:
      waiting: 5000
      steps:
        - input: {confirm: Split the bill?, as: split}
        - display: Thanks
        - pay: {amount: "12.50", currency: EUR, as: payment}
  - expect: split == true
`,
    );
  });

  it("quotes amounts and keeps numbers and durations as written", () => {
    assert.equal(
      printedFromText("param n = 007.50\npay 500 JPY tip 0 JPY as p\nwait 007"),
      'params:\n  n: 007.50\nsteps:\n  - pay: {amount: "500", currency: JPY, tip: "0", as: p}\n  - wait: 007\n',
    );
  });

  it("writes computed amounts, loops and typed params as expressions", () => {
    assert.equal(
      printedFromText(
        'param total: money = 100.00 EUR\nparam guests = 3\nparam label = "10%"\n' +
          "for share in split(total, guests) { pay share tip share * 10% }\n" +
          'repeat 2 times { input amount "Gift?" in EUR as g }',
      ),
      [
        "params:",
        "  total: {type: money, default: 100.00 EUR}",
        "  guests: 3",
        '  label: "10%"',
        "steps:",
        "  - for:",
        "      each: share",
        "      in: split(total, guests)",
        "      steps:",
        "        - pay: {amount: share, tip: share * 10%}",
        "  - repeat:",
        "      times: 2",
        "      steps:",
        "        - input: {amount: Gift?, currency: EUR, as: g}",
        "",
      ].join("\n"),
    );
  });

  it("prints some request types with `on`, and per-type timeouts as a map", () => {
    assert.equal(
      printedFromText(
        'session waiting 5s on input, payment id "S" < wait 1s >\nsession waiting input 1s, display 2s < wait 1s >',
      ),
      `steps:
  - session:
      waiting: 5s
      on: [input, payment]
      id: S
      steps:
        - wait: 1s
  - session:
      waiting: {input: 1s, display: 2s}
      steps:
        - wait: 1s
`,
    );
  });

  it("prints the idle screen as {idle: true} and the word idle as {text: idle}", () => {
    assert.equal(
      printedFromText('display idle\ndisplay "idle"'),
      "steps:\n  - display: {idle: true}\n  - display: {text: idle}\n",
    );
  });

  it("escapes a literal ${ and a $ before an interpolation", () => {
    assert.equal(printedFromText('display "\\${a} $${b}"'), "steps:\n  - display: $${a} $$${b}\n");
  });

  it("writes expressions in the mini-language, quoted by YAML when needed", () => {
    assert.equal(
      printedFromText('expect true\nexpect "a" == x\nif not a { wait 1s } else { wait 2s }'),
      `steps:
  - expect: "true"
  - expect: '"a" == x'
  - if:
      condition: not a
      then:
        - wait: 1s
      else:
        - wait: 2s
`,
    );
  });

  it("breaks a step that does not fit in 80 columns into a block map", () => {
    const printed = printedFromText(
      'input menu "Which of these would you like to have with your coffee today?" ["Cake", "Cookie"] as pick',
    );
    assert.equal(
      printed,
      "steps:\n  - input:\n      menu: Which of these would you like to have with your coffee today?\n      entries: [Cake, Cookie]\n      as: pick\n",
    );
    assert.ok(printed.split("\n").every((line) => line.length <= 80));
  });

  it("prints an empty flow", () => {
    assert.equal(printFlowYaml(parseYamlValid("steps: []")), "steps: []\n");
  });

  it("round-trips random flows: parse(print(ast)) is the same AST", () => {
    fc.assert(
      fc.property(flowArb.filter(uniqueParams), (flow) => {
        const printed = printFlowYaml(flow);
        const parsed = parseFlowYaml(printed, "random.flow.yaml");
        assert.deepEqual(parsed.diagnostics, [], `${printed}\n${rendered(parsed.diagnostics, printed)}`);
        assert.deepStrictEqual(stripSpans(parsed.flow), stripSpans(flow), printed);
      }),
      { numRuns: 300 },
    );
  });
});
