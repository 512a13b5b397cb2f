/**
 * Bounded on any input (issue 8, items 9, 11, 12): each case a file that once ran out of memory,
 * stack or time, now read to the real errors or refused with a clear one. The assertions are on
 * what is reported; how long reading takes is in `npm run bench` (bench/rows/language-bounds.mjs).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripSpans } from "../../language/ast.js";
import type { Diagnostic } from "../../language/diagnostic.js";
import { readSource } from "../../language/files.js";
import { loadFlow, parseFlow, printFlowYaml } from "../../language/index.js";
import { LIMITS } from "../../language/limits.js";
import { formatFlowText } from "../../language/text/format-text.js";
import { printFlowText } from "../../language/text/print-text.js";

/** How many diagnostics of each code, in order of first appearance. */
function tally(diagnostics: readonly Diagnostic[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of diagnostics) out[d.code] = (out[d.code] ?? 0) + 1;
  return out;
}

const at = (d: Diagnostic | undefined) => (d ? `${d.code}@${d.span.start.line}:${d.span.start.column}` : "none");

describe("bounded input: size", () => {
  const big = "#".repeat(LIMITS.sourceLength + 1);

  it("refuses a flow larger than the limit with one clear error, in both syntaxes", () => {
    for (const file of ["big.flow", "big.flow.yaml"]) {
      const { flow, diagnostics } = parseFlow(big, file);
      assert.equal(flow, undefined);
      assert.deepEqual(diagnostics.map(at), ["source-too-large@1:1"]);
      assert.match(diagnostics[0].message, /more than the 4 MiB termflow reads/);
    }
  });

  it("reads a flow of exactly the limit", () =>
    assert.deepEqual(parseFlow(`#${"x".repeat(LIMITS.sourceLength - 1)}`, "edge.flow").diagnostics, []));

  it("does not even read a larger file from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-limits-"));
    try {
      writeFileSync(join(dir, "big.flow"), big);
      assert.deepEqual(readSource("big.flow", dir), {
        ok: false,
        reason: "4.1 MiB, more than the 4 MiB termflow reads",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bounded input: error-heavy files stop after the limit, with the real errors", () => {
  const cases: [string, string, string][] = [
    ["unknown steps", "x\n".repeat(5000), "unknown-step"],
    ["stray `}` lines", "}\n".repeat(5000), "unexpected-token"],
    ["stray characters", "@ ".repeat(5000), "unexpected-character"],
    ["C-style operators", "expect a && b\n".repeat(1000), "c-style-operator"],
  ];
  for (const [name, source, code] of cases) {
    it(`${name}: the first ${LIMITS.errors} errors, then too-many-errors`, () => {
      const { flow, diagnostics } = loadFlow(source, "broken.flow");
      assert.equal(flow, undefined);
      assert.deepEqual(tally(diagnostics), { [code]: LIMITS.errors, "too-many-errors": 1 });
      assert.equal(diagnostics.at(-1)?.code, "too-many-errors");
    });
  }

  it("~1,400 consecutive recoverable errors are reported as errors, not as nesting", () => {
    const { diagnostics } = loadFlow(`session waiting 5s <\n${"x\n".repeat(1400)}>\n`, "broken.flow");
    assert.ok(!diagnostics.some((d) => d.code === "too-deeply-nested"), JSON.stringify(tally(diagnostics)));
    assert.equal(diagnostics.at(-1)?.code, "too-many-errors");
  });

  it("a YAML file of unknown keys: the first errors, then too-many-errors", () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join("\n");
    const { diagnostics } = loadFlow(`steps:\n  - wait: 1s\n${keys}\n`, "keys.flow.yaml");
    assert.deepEqual(tally(diagnostics), { "unknown-key": LIMITS.errors, "too-many-errors": 1 });
    assert.equal(diagnostics.at(-1)?.code, "too-many-errors");
  });
});

describe("bounded input: deep and long", () => {
  it("a flat `and` of 1,300 terms is an error, in check and in fmt, not a crash", () => {
    const source = `param x = true\nexpect x${" and x".repeat(1299)}\n`;
    assert.deepEqual(loadFlow(source, "long.flow").diagnostics.map(at), ["too-deeply-nested@2:8"]);
    const formatted = formatFlowText(source, "long.flow");
    assert.equal(formatted.output, undefined);
    assert.deepEqual(formatted.diagnostics.map(at), ["too-deeply-nested@2:8"]);
  });

  it(`an expression ${LIMITS.expressionDepth} levels deep is read, formatted and converted`, () => {
    const source = `param x = true\nexpect x${" and x".repeat(LIMITS.expressionDepth - 1)}\n`;
    const loaded = loadFlow(source, "deep.flow");
    assert.deepEqual(loaded.diagnostics, []);
    assert.equal(formatFlowText(source, "deep.flow").output, printFlowText(loaded.flow!));
    assert.deepEqual(loadFlow(printFlowYaml(loaded.flow!), "deep.flow.yaml").diagnostics, []);
  });

  it("10,000 nested parentheses stop reading where they get too deep, with a position", () => {
    const { diagnostics } = loadFlow(`expect ${"(".repeat(10_000)}x${")".repeat(10_000)}`, "parens.flow");
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["too-deeply-nested"],
    );
    assert.ok(diagnostics[0].span.start.column > 8, "points into the parentheses");
  });

  const nestedIfs = (depth: number) =>
    `param x = true\n${"if x {\n".repeat(depth)}display "deep"\n${"}\n".repeat(depth)}`;

  it(`steps nested ${LIMITS.stepDepth} deep convert to YAML that reads back the same`, () => {
    const text = loadFlow(nestedIfs(LIMITS.stepDepth), "deep.flow");
    assert.deepEqual(text.diagnostics, []);
    const yaml = loadFlow(printFlowYaml(text.flow!), "deep.flow.yaml");
    assert.deepEqual(yaml.diagnostics, []);
    assert.deepEqual(stripSpans(yaml.flow), stripSpans(text.flow));
  });

  it("one level deeper is an error at the step that is too deep, in both syntaxes", () => {
    const text = loadFlow(nestedIfs(LIMITS.stepDepth + 1), "deeper.flow");
    assert.deepEqual(text.diagnostics.map(at), [`too-deeply-nested@${LIMITS.stepDepth + 2}:1`]);
    const deepYaml = printFlowYaml(loadFlow(nestedIfs(LIMITS.stepDepth), "deep.flow").flow!).replace(
      "- display: deep",
      "- if: {condition: x, then: [{display: deep}]}",
    );
    assert.deepEqual(
      loadFlow(deepYaml, "deeper.flow.yaml").diagnostics.map((d) => d.code),
      ["too-deeply-nested"],
    );
  });

  it("an `else if` chain counts as nesting too", () => {
    const chain = (n: number) => `param x = true\nif x { wait 1s }${" else if x { wait 1s }".repeat(n)}\n`;
    assert.deepEqual(loadFlow(chain(LIMITS.stepDepth - 1), "chain.flow").diagnostics, []);
    assert.deepEqual(
      loadFlow(chain(LIMITS.stepDepth), "chain.flow").diagnostics.map((d) => d.code),
      ["too-deeply-nested"],
    );
  });

  it("a 3 MB string is read whole; unterminated, it is one error", () => {
    const text = "a".repeat(3_000_000);
    const read = loadFlow(`display "${text}"`, "string.flow");
    assert.deepEqual(read.diagnostics, []);
    const step = read.flow!.steps[0];
    assert.ok(step.kind === "display" && step.content.kind === "text" && step.content.text.value === text);
    assert.deepEqual(loadFlow(`display "${text}`, "string.flow").diagnostics.map(at), ["unterminated-string@1:9"]);
  });
});

describe("bounded input: linear where it was quadratic", () => {
  it("fmt of 16,000 if/else blocks gives the canonical layout", () => {
    const blocks = Array.from({ length: 16_000 }, (_, i) => `if x { display "a ${i}" } else { display "b ${i}" }`).join(
      "\n",
    );
    const source = `param x = true\n${blocks}\n`;
    const { output, diagnostics } = formatFlowText(source, "blocks.flow");
    assert.deepEqual(diagnostics, []);
    assert.equal(output, printFlowText(loadFlow(source, "blocks.flow").flow!));
  });

  it("a YAML map of 40,000 params, all different, is read whole", () => {
    const params = Array.from({ length: 40_000 }, (_, i) => `  p${i}: ${i}`).join("\n");
    const { flow, diagnostics } = parseFlow(`params:\n${params}\nsteps:\n  - wait: 1s\n`, "params.flow.yaml");
    assert.deepEqual(diagnostics, []);
    assert.equal(flow?.params.length, 40_000);
  });

  it("repeated keys are still found (yaml's own quadratic check is off)", () => {
    const source = "steps:\n  - wait: 1s\n  - pay: {amount: '1.00', currency: EUR, amount: '2.00'}\n";
    assert.deepEqual(parseFlow(source, "dup.flow.yaml").diagnostics.map(at), ["yaml-duplicate-key@3:42"]);
  });
});
