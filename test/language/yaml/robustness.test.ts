/** Bad YAML of any kind gives diagnostics, never a throw, and every span points inside the file. */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Flow } from "../../../language/ast.js";
import { formatFlowYaml } from "../../../language/yaml/format-yaml.js";
import { parseFlowYaml } from "../../../language/yaml/parse-yaml.js";
import { printFlowYaml } from "../../../language/yaml/print-yaml.js";
import { flowArb } from "../../support/arbitrary-flow.js";
import { mutate, spansIn } from "../../support/fuzz.js";

const FILE = "random.flow.yaml";

/** Parses and formats `source`; asserts no throw, no internal error, every span in the file. */
function assertWellBehaved(source: string): void {
  const parsed = parseFlowYaml(source, FILE);
  // Lines as YAML 1.2 counts them: `\n`, `\r\n` and a lone `\r` end a line.
  const lineOf: number[] = [];
  const columnOf: number[] = [];
  for (let i = 0, line = 1, start = 0; i <= source.length; i++) {
    lineOf.push(line);
    columnOf.push(i - start + 1);
    const c = source[i];
    if (c === "\n" || (c === "\r" && source[i + 1] !== "\n")) {
      line++;
      start = i + 1;
    }
  }
  const position = (offset: number) => ({ line: lineOf[offset], column: columnOf[offset], offset });
  for (const d of parsed.diagnostics) {
    assert.ok(d.code && d.message, "every diagnostic has a code and a message");
    if (d.code === "internal-error") assert.fail(`internal error on ${JSON.stringify(source)}: ${d.hint}`);
  }
  for (const span of spansIn({ flow: parsed.flow, diagnostics: parsed.diagnostics })) {
    assert.equal(span.file, FILE);
    assert.ok(
      span.start.offset >= 0 && span.end.offset <= source.length,
      `span ${span.start.offset}..${span.end.offset} outside 0..${source.length}`,
    );
    assert.ok(span.end.offset >= span.start.offset, "a span never ends before it starts");
    assert.deepEqual(span.start, position(span.start.offset), "line and column match the offset");
    assert.deepEqual(span.end, position(span.end.offset), "line and column match the offset");
  }
  const result = formatFlowYaml(source, FILE);
  if (result.output !== undefined) assert.ok(parseFlowYaml(result.output, FILE).flow, "formatted output parses");
}

const mutationsArb = fc.array(
  fc.tuple(
    fc.constantFrom("delete", "insert", "swap"),
    fc.nat(),
    fc.constantFrom(..." \n\t-:{}[],'\"#&*!|>%@`$?0123456789aeisxyz"),
  ),
  { minLength: 1, maxLength: 6 },
);

const uniqueParams = (flow: Flow) => new Set(flow.params.map((p) => p.name.name)).size === flow.params.length;

describe("parseFlowYaml and formatFlowYaml never throw", () => {
  it("on random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), assertWellBehaved), { numRuns: 300 });
  });

  it("on random YAML-ish text", () => {
    const yamlish = fc.string({
      unit: fc.constantFrom(
        "steps",
        ":",
        " ",
        "\n",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "wait",
        "2s",
        "pay",
        "amount",
        '"',
        "'",
        "#",
        "\t",
        "&a",
        "*a",
        "!!int",
        "${",
        "expect",
        "a == 1",
        "session",
        "waiting",
      ),
      maxLength: 30,
    });
    fc.assert(fc.property(yamlish, assertWellBehaved), { numRuns: 300 });
  });

  it("on mutated valid flows", () => {
    fc.assert(
      fc.property(flowArb.filter(uniqueParams), mutationsArb, (flow, mutations) =>
        assertWellBehaved(mutate(printFlowYaml(flow), mutations)),
      ),
      { numRuns: 200 },
    );
  });

  it("on deeply nested input", () => {
    assertWellBehaved(`steps: ${"[".repeat(5000)}`);
    assertWellBehaved(
      `steps:\n${Array.from({ length: 200 }, (_, i) => "  ".repeat(i))
        .map((indent) => `${indent}- session:\n${indent}    waiting: 1s\n${indent}    steps:`)
        .join("\n")}\n`,
    );
  });

  it("on input that is not a string", () => {
    assert.ok(parseFlowYaml(undefined as unknown as string, FILE).diagnostics.length > 0);
  });
});
