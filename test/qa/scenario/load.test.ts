import assert from "node:assert/strict";
import type { Diagnostic } from "../../../language/diagnostic.js";
import { walkSteps, type PayStep, type Step } from "../../../language/ast.js";
import { loadScenarioSource, type LoadedScenarios } from "../../../qa/scenario/load.js";

const FLOWS: Record<string, string> = {
  "dir/pay.flow": 'param amount = "1"\nsession waiting 5000 < pay 12.50 EUR as payment >\n',
  "dir/table.flow": 'param table\ndisplay "Table ${table}"\n',
  "dir/bill.flow": "param total: money\nparam guests: number = 2\nfor share in split(total, guests) { pay share }\n",
};
const load = (source: string, file: string): LoadedScenarios =>
  loadScenarioSource(source, file, { readFile: (p) => FLOWS[p] });

/** The text a diagnostic underlines in `source`. */
function underlined(source: string, d: Diagnostic): string {
  return source.slice(d.span.start.offset, d.span.end.offset);
}

function allDiagnostics(loaded: LoadedScenarios): Diagnostic[] {
  return [...loaded.diagnostics, ...loaded.invalid.flatMap((i) => i.diagnostics)];
}

function steps(flow: { steps: Step[] }): Step[] {
  const out: Step[] = [];
  walkSteps(flow.steps, (s) => out.push(s));
  return out;
}

describe("qa/scenario/load", () => {
  describe("text form (*.scenario)", () => {
    const source = [
      "# two scenarios in one file",
      'scenario "Split"',
      "tags session, rule-1",
      'given shopper answers "Split the bill?" with yes',
      'then waiting 5000ms after input "Split the bill?"',
      "",
      "session waiting 5000 <",
      '  input confirm "Split the bill?" as split',
      ">",
      "",
      'scenario "From a file"',
      'flow file "pay.flow"',
      "then sent payment once",
      "",
    ].join("\n");

    it("reads every scenario of the file with its tags, givens and expectations", () => {
      const loaded = load(source, "dir/a.scenario");
      assert.deepEqual(allDiagnostics(loaded), []);
      assert.deepEqual(
        loaded.scenarios.map((s) => s.name),
        ["Split", "From a file"],
      );
      assert.deepEqual(loaded.scenarios[0].tags, ["session", "rule-1"]);
      assert.equal(loaded.scenarios[0].givens.length, 1);
      assert.equal(loaded.scenarios[0].expectations[0].kind, "waiting");
      assert.equal(loaded.scenarios[1].flowOrigin.kind, "file");
    });

    it("keeps the inline flow's spans at their lines in the scenario file", () => {
      const [split] = load(source, "dir/a.scenario").scenarios;
      const input = steps(split.flow).find((s) => s.kind === "input")!;
      assert.equal(input.span.file, "dir/a.scenario");
      assert.equal(input.span.start.line, 8);
      assert.equal(input.span.start.column, 3);
      assert.equal(split.expectations[0].span.start.line, 5);
    });

    it("runs a scenario once per examples row, with ${column} substituted and spans on the placeholders", () => {
      const text = [
        'scenario "Pay ${amount} ${currency}"',
        "then capture payment.amount == ${minor}",
        "session waiting 5000 < pay ${amount} ${currency} as payment >",
        "examples",
        "  | amount | currency | minor |",
        "  | 12.50  | EUR      | 1250  |",
        "  | 500    | JPY      | 500   |",
      ].join("\n");
      const loaded = load(text, "x.scenario");
      assert.deepEqual(allDiagnostics(loaded), []);
      assert.deepEqual(
        loaded.scenarios.map((s) => s.name),
        ["Pay 12.50 EUR", "Pay 500 JPY"],
      );
      const pays = loaded.scenarios.map((s) => steps(s.flow).find((st): st is PayStep => st.kind === "pay")!);
      assert.deepEqual(
        pays.map((p) => (p.amount.kind === "money" ? [p.amount.amount.minor, p.amount.currency.code] : [])),
        [
          [1250, "EUR"],
          [500, "JPY"],
        ],
      );
      // The substituted amount points at `${amount}` in the source, not at shifted columns.
      const written = pays[1].amount.kind === "money" ? pays[1].amount.amount.span : pays[1].amount.span;
      assert.equal(text.slice(written.start.offset, written.end.offset), "${amount}");
      const capture = loaded.scenarios[1].expectations[0];
      assert.equal(
        text.slice(capture.span.start.offset, capture.span.end.offset),
        "then capture payment.amount == ${minor}",
      );
      assert.deepEqual(
        loaded.scenarios.map((s) => s.example?.values.currency),
        ["EUR", "JPY"],
      );
    });

    it("names a mistyped column in flow lines instead of failing on its `$`", () => {
      const text = 'scenario "x"\npay ${amout} EUR as payment\nexamples\n| amount |\n| 1.00 |\n';
      const diagnostics = allDiagnostics(load(text, "x.scenario"));
      assert.deepEqual(
        diagnostics.map((d) => [d.code, underlined(text, d), d.hint]),
        [["unknown-variable", "${amout}", "did you mean `${amount}`?"]],
      );
    });

    it("names a mistyped column in a sentence", () => {
      const text =
        'scenario "x"\nthen capture p.amount == ${minr}\npay ${amount} EUR as p\nexamples\n| amount | minor |\n| 1.00 | 100 |\n';
      const diagnostics = allDiagnostics(load(text, "x.scenario"));
      assert.deepEqual(
        diagnostics.map((d) => [d.code, underlined(text, d), d.hint]),
        [["unknown-variable", "${minr}", "did you mean `${minor}`?"]],
      );
    });

    it("names a row by its values when the name does not use them", () => {
      const text = 'scenario "Decline"\nthen run fails\npay ${amount} EUR\nexamples\n| amount |\n| 1.24 |\n| 1.25 |\n';
      assert.deepEqual(
        load(text, "x.scenario").scenarios.map((s) => s.name),
        ["Decline [amount=1.24]", "Decline [amount=1.25]"],
      );
    });

    const invalid: Array<[string, string, string, string]> = [
      ["no scenario line", 'given shopper thinks 1s\ndisplay "x"\n', "missing-scenario", "given shopper thinks 1s"],
      ["no flow", 'scenario "x"\nthen run passes\n', "missing-flow", 'scenario "x"'],
      [
        "a flow file and flow lines",
        'scenario "x"\nflow file "pay.flow"\ndisplay "y"\n',
        "flow-twice",
        'flow file "pay.flow"',
      ],
      [
        "a flow file that is not there",
        'scenario "x"\nflow file "nope.flow"\n',
        "flow-not-found",
        'flow file "nope.flow"',
      ],
      ["a flow error in the inline flow", 'scenario "x"\ndispaly "y"\n', "unknown-step", "dispaly"],
      [
        "a var the flow has no param for",
        'scenario "x"\nflow file "pay.flow"\ngiven var amout = 2\n',
        "unknown-param",
        "given var amout = 2",
      ],
      ["a param without a value", 'scenario "x"\nflow file "table.flow"\n', "missing-var", 'scenario "x"'],
      ["a table row outside examples", 'scenario "x"\n| a |\ndisplay "y"\n', "row-outside-examples", "| a |"],
      ["a row of the wrong width", 'scenario "x"\ndisplay "${a}"\nexamples\n| a | b |\n| 1 |\n', "row-width", "| 1 |"],
    ];
    for (const [what, text, code, marked] of invalid) {
      it(`reports ${what} as \`${code}\` at the line that says it`, () => {
        const loaded = load(text, "dir/bad.scenario");
        assert.equal(loaded.scenarios.length, 0);
        const d = allDiagnostics(loaded).find((x) => x.code === code);
        assert.ok(d, `no ${code} in ${JSON.stringify(allDiagnostics(loaded).map((x) => x.code))}`);
        assert.equal(underlined(text, d), marked);
      });
    }

    it("reports a var that does not fit its param's type as `invalid-var`, in termflow run's words: the scenario never runs", () => {
      const text = 'scenario "x"\nflow file "bill.flow"\ngiven var total = 86.45\ngiven var guests = "two"\n';
      const loaded = load(text, "dir/bad.scenario");
      assert.equal(loaded.scenarios.length, 0);
      assert.deepEqual(
        allDiagnostics(loaded).map((d) => [d.code, d.message, underlined(text, d)]),
        [
          [
            "invalid-var",
            "`total` must be an amount like `42.50 EUR`: `86.45` is not an amount with its currency",
            "given var total = 86.45",
          ],
          ["invalid-var", '`guests` must be a number, got "two"', 'given var guests = "two"'],
        ],
      );
      assert.equal(allDiagnostics(loaded)[1].hint, "e.g. given var guests = 2");
    });

    it("reports an examples value that does not fit its param's type at its row", () => {
      const text =
        'scenario "x"\nflow file "bill.flow"\nthen run passes\nexamples\n| total | guests |\n| 10.00 EUR | 2 |\n| 10.00 | 2 |\n';
      const loaded = load(text, "dir/rows.scenario");
      assert.equal(loaded.scenarios.length, 1);
      const [d, ...more] = allDiagnostics(loaded);
      assert.deepEqual(more, []);
      assert.equal(d.code, "invalid-var");
      assert.equal(underlined(text, d), "| 10.00 | 2 |");
    });

    it("hints the param name the var was probably meant to be", () => {
      const d = allDiagnostics(
        load('scenario "x"\nflow file "pay.flow"\ngiven var amout = 2\n', "dir/bad.scenario"),
      ).find((x) => x.code === "unknown-param");
      assert.equal(d?.hint, "did you mean `amount`?");
    });

    for (const [typo, keyword] of [
      ["gvien", "given"],
      ["thne", "then"],
      ["tgas", "tags"],
      ["exampels", "examples"],
    ]) {
      it(`offers the scenario keyword \`${keyword}\` for \`${typo}\` at the start of a line`, () => {
        const text = `scenario "x"\n${typo} var a = "1"\nthen run passes\n\ndisplay "hi" for 1s\n`;
        const d = allDiagnostics(load(text, "dir/typo.scenario")).find((x) => x.code === "unknown-step");
        assert.equal(d?.hint, `did you mean \`${keyword}\`?`);
        assert.equal(underlined(text, d!), typo);
      });
    }

    it("keeps the flow's own did-you-mean for a mistyped flow step", () => {
      const d = allDiagnostics(
        load('scenario "x"\nthen run passes\n\ndispaly "hi" for 1s\n', "dir/typo.scenario"),
      ).find((x) => x.code === "unknown-step");
      assert.equal(d?.hint, "did you mean `display`?");
    });
  });

  describe("YAML form (*.scenario.yaml)", () => {
    it("reads a flow file, flow-language lines after `|`, and a YAML flow mapping", () => {
      const text = [
        "scenario: From a file",
        "flow: pay.flow",
        "then: [sent payment once]",
        "---",
        "scenario: Text lines",
        "flow: |",
        '  session waiting 5000 < display "Hi" >',
        "then:",
        '  - waiting 5000ms after display "Hi"',
        "---",
        "scenario: YAML steps",
        "flow:",
        "  steps:",
        "    - display: Hello",
        "then:",
        '  - screen at end is display "Hello"',
        "",
      ].join("\n");
      const loaded = load(text, "dir/a.scenario.yaml");
      assert.deepEqual(allDiagnostics(loaded), []);
      assert.deepEqual(
        loaded.scenarios.map((s) => s.name),
        ["From a file", "Text lines", "YAML steps"],
      );
      const display = steps(loaded.scenarios[1].flow)[1];
      assert.equal(display.kind, "display");
      assert.equal(display.span.start.line, 7);
      const yamlDisplay = steps(loaded.scenarios[2].flow)[0];
      assert.equal(yamlDisplay.span.start.line, 14);
    });

    it("reads a sentence with `: ` in it, which YAML takes for a mapping, as the line it is", () => {
      const text = 'scenario: x\nflow: pay.flow\nthen:\n  - waiting after display "Total: 12.50 EUR"\n';
      const loaded = load(text, "dir/a.scenario.yaml");
      assert.deepEqual(allDiagnostics(loaded), []);
      const e = loaded.scenarios[0].expectations[0];
      assert.deepEqual(e.kind === "waiting" && e.after, { screen: "display", text: "Total: 12.50 EUR" });
    });

    it("points sentence errors inside quoted YAML scalars at the right column", () => {
      const text = "scenario: x\nflow: pay.flow\nthen:\n  - 'sent paymnt once'\n";
      const d = allDiagnostics(load(text, "dir/a.scenario.yaml"))[0];
      assert.equal(d.code, "unknown-word");
      assert.equal(underlined(text, d), "paymnt");
    });

    it("keeps example values as written: 12.50 is not the float 12.5", () => {
      const text = [
        "scenario: Pay ${amount}",
        "flow: |",
        "  pay ${amount} EUR as payment",
        "then:",
        "  - capture payment.amount == ${minor}",
        "examples:",
        "  - {amount: 12.50, minor: 1250}",
        "  - {amount: 0.10, minor: 10}",
      ].join("\n");
      const loaded = load(text, "a.scenario.yaml");
      assert.deepEqual(allDiagnostics(loaded), []);
      assert.deepEqual(
        loaded.scenarios.map((s) => s.name),
        ["Pay 12.50", "Pay 0.10"],
      );
      const pay = steps(loaded.scenarios[0].flow)[0] as PayStep;
      assert.ok(pay.amount.kind === "money");
      assert.equal(pay.amount.amount.text, "12.50");
      assert.equal(text.slice(pay.amount.amount.span.start.offset, pay.amount.amount.span.end.offset), "${amount}");
    });

    it("passes `vars` to the flow's params", () => {
      const loaded = load('scenario: x\nflow: table.flow\nvars: {table: "7"}\n', "dir/a.scenario.yaml");
      assert.deepEqual(allDiagnostics(loaded), []);
      assert.deepEqual(
        loaded.scenarios[0].givens.map((g) => g.kind === "var" && [g.name, g.value]),
        [["table", { kind: "string", value: "7" }]],
      );
    });

    const invalid: Array<[string, string, string, string, string?]> = [
      [
        "a misspelt key",
        "scenario: x\nflow: pay.flow\nthne: [run passes]\n",
        "unknown-key",
        "thne",
        "did you mean `then`?",
      ],
      ["a YAML syntax error", "scenario: x\nflow: pay.flow\n\tthen: []\n", "yaml-tab-as-indent", "\t"],
      ["a bad sentence", "scenario: x\nflow: pay.flow\ngiven:\n  - shopper sings\n", "unknown-word", "sings"],
      ["no name", "flow: pay.flow\n", "missing-name", "f"],
      ["a flow that is neither path nor steps", "scenario: x\nflow: [1, 2]\n", "expected-flow", "[1, 2]"],
      [
        "an examples row that is not a mapping",
        "scenario: x\nflow: pay.flow\nexamples:\n  - 12.50\n",
        "expected-mapping",
        "12.50",
      ],
    ];
    for (const [what, text, code, marked, hint] of invalid) {
      it(`reports ${what} as \`${code}\``, () => {
        const d = allDiagnostics(load(text, "dir/bad.scenario.yaml")).find((x) => x.code === code);
        assert.ok(d, `no ${code} in ${JSON.stringify(allDiagnostics(load(text, "dir/bad.scenario.yaml")))}`);
        assert.equal(underlined(text, d).slice(0, marked.length), marked);
        if (hint) assert.equal(d.hint, hint);
      });
    }
  });
});
