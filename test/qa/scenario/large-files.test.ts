/**
 * A scenario file of thousands of scenarios or examples rows loads in time proportional to its
 * size: each scenario's flow is read from its own lines, and each row rewrites its own scenario
 * without the table, never the whole file. Found by `npm run fuzz` (pathological inputs): 1,000
 * scenarios in one file took 16 s and 1.4 GB of heap, 10,000 rows ran out of memory. The tests
 * check the shape of the work (what each draft's flow text holds), not the time.
 */
import assert from "node:assert/strict";
import { loadScenarioSource, type LoadedScenarios } from "../../../qa/scenario/load.js";
import { readScenarioText } from "../../../qa/scenario/parse-text.js";
import { readScenarioYaml } from "../../../qa/scenario/parse-yaml.js";

const N = 2_000;
const load = (source: string, file: string): LoadedScenarios =>
  loadScenarioSource(source, file, { readFile: () => undefined });
const inlineText = (flow: unknown) => (flow as { kind: string; text: string }).text;

const manyScenarios = Array.from(
  { length: N },
  (_, i) => `scenario "s${i}"\nthen run passes\n\ndisplay "n${i}"\n\n`,
).join("");
const manyRows =
  'scenario "rows ${a}"\ngiven shopper answers "Q?" with ${a}\nthen run passes\n\n' +
  'input confirm "Q?" as q\ndisplay "${a}"\n\nexamples\n| a |\n' +
  Array.from({ length: N }, (_, i) => `| v${i} |\n`).join("");
const manyYamlRows =
  'scenario: "rows ${a}"\nflow: |\n  display "${a}"\nthen:\n  - run passes\nexamples:\n' +
  Array.from({ length: N }, (_, i) => `  - {a: v${i}}\n`).join("");

describe("qa/scenario: large files", () => {
  it(`${N} scenarios in one file: each flow is read from its own lines, and its spans point there`, () => {
    const { drafts } = readScenarioText(manyScenarios, "many.scenario");
    assert.equal(drafts.length, N);
    assert.ok(
      drafts.every((d) => inlineText(d.flow).length < 40),
      "no draft carries the whole file",
    );
    const loaded = load(manyScenarios, "many.scenario");
    assert.equal(loaded.scenarios.length, N);
    const last = loaded.scenarios[N - 1];
    assert.equal(last.name, `s${N - 1}`);
    assert.equal(last.flow.steps[0].span.start.line, 5 * (N - 1) + 4);
    assert.equal(
      manyScenarios.slice(last.flow.steps[0].span.start.offset, last.flow.steps[0].span.end.offset),
      `display "n${N - 1}"`,
    );
  });

  it(`${N} examples rows (text): each row rewrites its own scenario without the table`, () => {
    const { drafts } = readScenarioText(manyRows, "rows.scenario");
    assert.equal(drafts.length, N);
    assert.ok(
      drafts.every((d) => inlineText(d.flow).length < 120),
      "no row carries the table",
    );
    const loaded = load(manyRows, "rows.scenario");
    assert.deepEqual(
      [loaded.scenarios.length, loaded.invalid.length, loaded.scenarios[N - 1].name],
      [N, 0, `rows v${N - 1}`],
    );
    const shown = loaded.scenarios[N - 1].flow.steps[1];
    assert.equal(
      manyRows.slice(shown.span.start.offset, shown.span.end.offset),
      'display "${a}"',
      "a substituted step points at what was written",
    );
  });

  it(`${N} examples rows (YAML): the same`, () => {
    const { drafts } = readScenarioYaml(manyYamlRows, "rows.scenario.yaml");
    assert.equal(drafts.length, N);
    assert.ok(
      drafts.every((d) => inlineText(d.flow).length < 40),
      "no row carries the table",
    );
    const loaded = load(manyYamlRows, "rows.scenario.yaml");
    assert.deepEqual([loaded.scenarios.length, loaded.scenarios[N - 1].name], [N, `rows v${N - 1}`]);
    const step = loaded.scenarios[N - 1].flow.steps[0];
    assert.equal(manyYamlRows.slice(step.span.start.offset, step.span.end.offset), 'display "${a}"');
    assert.equal(step.span.start.line, 3);
  });

  it("a mistyped column in a row's given still names the table's columns", () => {
    const source = `scenario "r"\ngiven shopper answers "Q?" with \${b}\n\ninput confirm "Q?"\n\nexamples\n| a |\n| yes |\n`;
    const loaded = load(source, "r.scenario");
    const hint = loaded.invalid[0]?.diagnostics.map((d) => `${d.message} ${d.hint ?? ""}`).join("\n") ?? "";
    assert.match(hint, /did you mean `\$\{a\}`/);
  });
});
