import assert from "node:assert/strict";
import fc from "fast-check";
import { isCollection, isMap, isSeq, visit, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import { stripSpans, type Flow } from "../../../language/ast.js";
import { documentText, flowToDocument } from "../../../language/yaml/build-document.js";
import { fitLayout } from "../../../language/yaml/fit-layout.js";
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
      as: payment
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
      as: payment
`,
    );
  });

  it("is idempotent", () => void assertIdempotent(MESSY));

  it("is idempotent on a comment holding a lone CR or a line separator (found by npm run fuzz)", () => {
    for (const odd of ["\r", "\u2028", "\u2029"]) {
      const once = assertIdempotent(
        `# A group dinner${odd}: the bill is split\nflow: X\nsteps:\n  - display: Hi # a${odd}b\n`,
      );
      assert.equal(once, "# A group dinner : the bill is split\nflow: X\nsteps:\n  - display: Hi # a b\n");
    }
  });

  it("keeps the AST", () => {
    assert.deepStrictEqual(stripSpans(parseYamlValid(formatted(MESSY))), stripSpans(parseYamlValid(MESSY)));
  });

  it("moves the comment of a dropped default onto the next key", () => {
    const out = assertIdempotent(
      "steps:\n  - session:\n      waiting: 5s\n      on: [input, display, payment]  # all three\n      steps: [{wait: 1s}]\n",
    );
    assert.equal(out, "steps:\n  - session:\n      waiting: 5s\n      # all three\n      steps:\n        - wait: 1s\n");
  });

  it("gives a comment inside a one-line step a block map", () => {
    const out = assertIdempotent(
      'steps:\n  - pay:\n      amount: "1.00"  # one euro\n      currency: EUR\n      as: p\n',
    );
    assert.equal(out, 'steps:\n  - pay:\n      amount: "1.00" # one euro\n      currency: EUR\n      as: p\n');
  });

  it("writes a payment of only an amount short, as `display: Thanks` is, keeping its comment", () => {
    const out = assertIdempotent(
      'steps:\n  - pay: {amount: "12.50", currency: EUR} # lunch\n  - pay: {amount: share}\n',
    );
    assert.equal(out, "steps:\n  - pay: 12.50 EUR # lunch\n  - pay: share\n");
  });

  it("writes exactly what printFlowYaml writes when there are no comments", () => {
    const source =
      'steps:\n  - session: {waiting: {display: 2s, input: 1s}, steps: [{display: idle}]}\n  - expect: "a == 1"\nflow: x\n';
    assert.equal(formatted(source), printFlowYaml(parseYamlValid(source)));
  });

  it("refuses a file with errors and returns them", () => {
    const result = formatFlowYaml("steps:\n  - dispaly: Hi\n", FILE);
    assert.equal(result.output, undefined);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ["unknown-step"],
    );
    assert.equal(formatFlowYaml("steps:\n\t- wait: 1s\n", FILE).output, undefined);
  });

  // A block map's comment lines at its end would swallow the comment lines after it on the next read.
  describe("keeps each comment with its step, formatting twice", () => {
    it("keeps a one-line step that fits with its line-end comment (fast-check seed 497000534)", () => {
      const source = `flow: ""
steps:
  - input: {confirm: ""}
  - pay: {amount: "0.0", currency: USD, tip: "1000000.0", ref: "", as: A_} # end3
  # own4
  - wait: 0ms
`;
      assert.equal(assertIdempotent(source), source);
    });

    it("puts the line-end comment of a one-line step too long to stay one on top of its block", () => {
      const source = `steps:
  - pay: {amount: "0.0", currency: USD, tip: "1000000.0", ref: "a long reference text here", as: A_} # end3
  # own4
  - wait: 0ms
`;
      assert.equal(
        assertIdempotent(source),
        `steps:
  - pay:
      # end3
      amount: "0.0"
      currency: USD
      tip: "1000000.0"
      ref: a long reference text here
      as: A_
  # own4
  - wait: 0ms
`,
      );
    });

    it("does the same when only the end of the file follows", () => {
      const out = assertIdempotent(`steps:
  - pay: {amount: "0.0", currency: USD, tip: "1000000.0", ref: "a long reference text here", as: A_} # end3
# eof
`);
      assert.match(out, /^ {2}- pay:\n {6}# end3\n {6}amount: "0\.0"\n/m);
      assert.match(out, /\n\n# eof\n$/);
    });

    it("puts the line-end comment of a one-line session on top of its block", () => {
      const out = assertIdempotent(
        "steps:\n  - session: {waiting: 5s, steps: [{wait: 1s}]} # c\n  # own\n  - wait: 1s\n",
      );
      assert.equal(
        out,
        "steps:\n  - session:\n      # c\n      waiting: 5s\n      steps:\n        - wait: 1s\n  # own\n  - wait: 1s\n",
      );
    });

    it("moves a comment at the end of a list to its top when fmt puts the next step's comment after it", () => {
      const source =
        "steps:\n  - session:\n      steps:\n        - wait: 1s\n        # tail\n      waiting: 5s\n  # own\n  - wait: 2s\n";
      assert.equal(
        assertIdempotent(source),
        "steps:\n  - session:\n      waiting: 5s\n      steps:\n        # tail\n        - wait: 1s\n  # own\n  - wait: 2s\n",
      );
    });

    it("gives a step a block map when a comment sits between its key and its fields", () => {
      assert.equal(
        assertIdempotent('steps:\n  - pay: # c\n      amount: "1.00"\n      currency: EUR\n      as: p\n'),
        'steps:\n  - pay:\n      # c\n      amount: "1.00"\n      currency: EUR\n      as: p\n',
      );
      // A comment above the field that becomes the first one reads back above the whole map.
      assert.equal(
        assertIdempotent('steps:\n  - input:\n      as: payment\n      # own4\n      confirm: ""\n'),
        'steps:\n  - input:\n      # own4\n      confirm: ""\n      as: payment\n',
      );
    });
  });

  it("formats a file with only warnings", () => {
    const result = formatFlowYaml("steps: [{wait: !foo 2}]\n", FILE);
    assert.equal(result.output, "steps:\n  - wait: 2\n");
    assert.deepEqual(
      result.diagnostics.map((d) => d.severity),
      ["warning"],
    );
  });
});

/**
 * The flow's YAML in one of several layouts a person may write: canonical, every step on one line
 * (too long or not), or every map and list in block style; optionally with the fields of each step
 * and the top-level keys in reverse order (fmt reorders them; params keep their order, it matters).
 */
type Layout = "canonical" | "one-line" | "block";

function writtenAs(flow: Flow, layout: Layout, reversed: boolean): string {
  if (layout === "canonical" && !reversed) return printFlowYaml(flow);
  const doc = flowToDocument(flow);
  if (layout === "canonical") fitLayout(doc);
  const root = doc.contents as YAMLMap;
  if (layout === "block")
    visit(doc, { Map: (_, node) => void (node.flow = false), Seq: (_, node) => void (node.flow = false) });
  const steps = root.get("steps", true);
  assert.ok(isSeq(steps));
  forEachStepValue(steps, (value) => {
    if (layout === "one-line" && isCollection(value)) value.flow = true;
    if (reversed && isMap(value)) value.items.reverse();
  });
  if (reversed) root.items.reverse();
  return documentText(doc);
}

/** The value under each step key (`{amount: ...}` of `- pay: {amount: ...}`), nested steps too. */
function forEachStepValue(steps: YAMLSeq, visitValue: (value: Node) => void): void {
  for (const item of steps.items) {
    if (!isMap(item)) continue;
    const value = item.items[0]?.value as Node;
    visitValue(value);
    if (isMap(value))
      for (const field of value.items) if (isSeq(field.value)) forEachStepValue(field.value, visitValue);
  }
}

/** YAML keys are unique, so the YAML form cannot declare a param twice. */
const uniqueParams = (flow: Flow) => new Set(flow.params.map((p) => p.name.name)).size === flow.params.length;

/**
 * Adds `# endN` comments at the ends of the given lines and `# ownN` comments on lines of their own
 * before them (after the last line for N = the line count), indented like the line plus `shift`.
 */
function withComments(
  source: string,
  trailing: number[],
  ownLine: number[],
  shift = 0,
): { text: string; comments: string[] } {
  const lines = source.replace(/\n$/, "").split("\n");
  const comments: string[] = [];
  const out: string[] = [];
  const ownComment = (i: number, indent: number) => {
    const comment = `# own${i}`;
    comments.push(comment);
    out.push(`${" ".repeat(Math.max(0, indent + shift))}${comment}`);
  };
  lines.forEach((line, i) => {
    if (ownLine.includes(i)) ownComment(i, line.match(/^ */)![0].length);
    if (trailing.includes(i)) {
      const comment = `# end${i}`;
      comments.push(comment);
      out.push(`${line} ${comment}`);
    } else out.push(line);
  });
  if (ownLine.includes(lines.length)) ownComment(lines.length, 0);
  return { text: `${out.join("\n")}\n`, comments };
}

describe("formatFlowYaml on random flows with random comments", () => {
  it("keeps the AST and every comment, and is idempotent", () => {
    const lineNumbers = fc.uniqueArray(fc.nat({ max: 40 }), { maxLength: 6 });
    const layout = fc.constantFrom<Layout>("canonical", "one-line", "block");
    const shift = fc.constantFrom(0, 0, -2, 2);
    fc.assert(
      fc.property(
        flowArb.filter(uniqueParams),
        layout,
        fc.boolean(),
        lineNumbers,
        lineNumbers,
        shift,
        (flow, layout, reversed, trailing, ownLine, shift) => {
          const { text, comments } = withComments(writtenAs(flow, layout, reversed), trailing, ownLine, shift);
          const out = formatted(text);
          const parsed = parseFlowYaml(out, FILE);
          assert.deepEqual(parsed.diagnostics, [], `${text}\n---\n${out}`);
          assert.deepStrictEqual(stripSpans(parsed.flow), stripSpans(flow), `${text}\n---\n${out}`);
          for (const comment of comments) assert.ok(out.includes(comment), `lost ${comment}:\n${text}\n---\n${out}`);
          assert.equal(formatted(out), out, `not idempotent:\n${text}\n---\n${out}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
