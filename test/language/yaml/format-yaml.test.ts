import assert from "node:assert/strict";
import fc from "fast-check";
import { stripSpans, type Flow } from "../../../language/ast.js";
import { formatFlowYaml } from "../../../language/yaml/format-yaml.js";
import { parseFlowYaml } from "../../../language/yaml/parse-yaml.js";
import { printFlowYaml } from "../../../language/yaml/print-yaml.js";
import { flowArb } from "../../support/arbitrary-flow.js";
import { FILE, parseYamlValid, rendered } from "./helpers.js";

/** Formats a source that must format; returns the output. */
function formatted(source: string): string {
  const result = formatFlowYaml(source, FILE);
  assert.ok(result.output !== undefined, `refused:\n${rendered(result.diagnostics, source)}`);
  return result.output;
}

/** Formatting twice changes nothing more. */
function assertIdempotent(source: string): string {
  const once = formatted(source);
  assert.equal(formatted(once), once, `not idempotent; first output:\n${once}`);
  return once;
}

const MESSY = `# yaml-language-server: $schema=../schemas/flow.schema.json
# Pay at table, with a split question.

steps:   # the steps
  # ask first
  - input:
      as: split
      confirm: "Split the bill?"   # shown on the terminal
  - display: {text: Thanks}  # short form would do

  # then pay
  - pay:
      currency: EUR
      amount: 12.50  # quoted by fmt
flow: Pay at table
`;

describe("formatFlowYaml", () => {
  it("lays out a messy file canonically and keeps every comment", () => {
    assert.equal(
      formatted(MESSY),
      `# yaml-language-server: $schema=../schemas/flow.schema.json
# Pay at table, with a split question.

flow: Pay at table
steps:
  # the steps
  # ask first
  - input:
      confirm: Split the bill? # shown on the terminal
      as: split
  - display: Thanks # short form would do

  # then pay
  - pay:
      amount: "12.50" # quoted by fmt
      currency: EUR
`,
    );
  });

  it("is idempotent", () => void assertIdempotent(MESSY));

  it("keeps the AST", () => {
    assert.deepStrictEqual(stripSpans(parseYamlValid(formatted(MESSY))), stripSpans(parseYamlValid(MESSY)));
  });

  it("moves the comment of a dropped default onto the next key", () => {
    const out = assertIdempotent("steps:\n  - session:\n      waiting: 5s\n      on: [input, display, payment]  # all three\n      steps: [{wait: 1s}]\n");
    assert.equal(out, "steps:\n  - session:\n      waiting: 5s\n      # all three\n      steps:\n        - wait: 1s\n");
  });

  it("gives a comment inside a one-line step a block map", () => {
    const out = assertIdempotent("steps:\n  - pay:\n      amount: \"1.00\"  # one euro\n      currency: EUR\n");
    assert.equal(out, 'steps:\n  - pay:\n      amount: "1.00" # one euro\n      currency: EUR\n');
  });

  it("writes exactly what printFlowYaml writes when there are no comments", () => {
    const source = "steps:\n  - session: {waiting: {display: 2s, input: 1s}, steps: [{display: idle}]}\n  - expect: \"a == 1\"\nflow: x\n";
    assert.equal(formatted(source), printFlowYaml(parseYamlValid(source)));
  });

  it("refuses a file with errors and returns them", () => {
    const result = formatFlowYaml("steps:\n  - dispaly: Hi\n", FILE);
    assert.equal(result.output, undefined);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ["unknown-step"]);
    assert.equal(formatFlowYaml("steps:\n\t- wait: 1s\n", FILE).output, undefined);
  });

  it("formats a file with only warnings", () => {
    const result = formatFlowYaml("steps: [{wait: !foo 2}]\n", FILE);
    assert.equal(result.output, "steps:\n  - wait: 2\n");
    assert.deepEqual(result.diagnostics.map((d) => d.severity), ["warning"]);
  });
});

/** YAML keys are unique, so the YAML form cannot declare a param twice. */
const uniqueParams = (flow: Flow) => new Set(flow.params.map((p) => p.name.name)).size === flow.params.length;

/** Adds `# cN` comments at line ends and on lines of their own, at the given line numbers. */
function withComments(source: string, trailing: number[], ownLine: number[]): { text: string; comments: string[] } {
  const lines = source.replace(/\n$/, "").split("\n");
  const comments: string[] = [];
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (ownLine.includes(i)) {
      const comment = `# own${i}`;
      comments.push(comment);
      out.push(`${line.match(/^ */)![0]}${comment}`);
    }
    if (trailing.includes(i)) {
      const comment = `# end${i}`;
      comments.push(comment);
      out.push(`${line} ${comment}`);
    } else out.push(line);
  });
  return { text: `${out.join("\n")}\n`, comments };
}

describe("formatFlowYaml on random flows with random comments", () => {
  it("keeps the AST and every comment, and is idempotent", () => {
    const lineNumbers = fc.uniqueArray(fc.nat({ max: 40 }), { maxLength: 6 });
    fc.assert(
      fc.property(flowArb.filter(uniqueParams), lineNumbers, lineNumbers, (flow, trailing, ownLine) => {
        const { text, comments } = withComments(printFlowYaml(flow), trailing, ownLine);
        const out = formatted(text);
        const parsed = parseFlowYaml(out, FILE);
        assert.deepEqual(parsed.diagnostics, [], `${text}\n---\n${out}`);
        assert.deepStrictEqual(stripSpans(parsed.flow), stripSpans(flow), `${text}\n---\n${out}`);
        for (const comment of comments) assert.ok(out.includes(comment), `lost ${comment}:\n${text}\n---\n${out}`);
        assert.equal(formatted(out), out, `not idempotent:\n${text}\n---\n${out}`);
      }),
      { numRuns: 200 },
    );
  });
});
