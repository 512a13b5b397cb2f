/** The benchmark's own pieces (not its figures): generated inputs, the row registry, the report. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stripSpans, walkSteps } from "../../language/ast.js";
import { loadFlow } from "../../language/index.js";
import { fromRoot } from "../support/paths.js";

const load = (path: string) => import(pathToFileURL(fromRoot(path)).href);

describe("bench: generated inputs", () => {
  it("write one flow of N statements in both syntaxes: clean, and the same AST", async () => {
    const { textFlow, yamlFlow } = await load("bench/inputs.mjs");
    const text = loadFlow(textFlow(30), "bench.flow");
    const yaml = loadFlow(yamlFlow(30), "bench.flow.yaml");
    assert.deepEqual(text.diagnostics, []);
    assert.deepEqual(yaml.diagnostics, []);
    assert.deepEqual(stripSpans(yaml.flow), stripSpans(text.flow));
    let statements = 0;
    walkSteps(text.flow!.steps, () => statements++);
    assert.equal(statements, 30);
  });
});

describe("bench: rows", () => {
  it("every row file loads, and every row has a unique id, a kind and both sides", async () => {
    const { rowFiles, rowsOf } = await load("bench/lib/registry.mjs");
    const ids: string[] = [];
    for (const file of rowFiles(fromRoot("."))) for (const row of await rowsOf(file)) ids.push(row.id);
    assert.ok(ids.includes("check-100k-process"), "the language rows are there");
    assert.equal(new Set(ids).size, ids.length, `duplicate row ids: ${ids.join(", ")}`);
  });
});

describe("bench: report", () => {
  it("judges a ratio against an upper or a lower bound", async () => {
    const { meets } = await load("bench/lib/report.mjs");
    assert.deepEqual(
      [meets({ max: 0.2 }, 0.19), meets({ max: 0.2 }, 0.21), meets({ min: 0.6 }, 0.7), meets(undefined, 1)],
      [true, false, true, undefined],
    );
  });

  it("replaces only what is between the markers of docs/benchmarks.md", async () => {
    const { BEGIN, END, markdownSection, writeSection } = await load("bench/lib/report.mjs");
    const docs = readFileSync(fromRoot("docs/benchmarks.md"), "utf8");
    assert.ok(docs.includes(BEGIN) && docs.indexOf(END) > docs.indexOf(BEGIN), "docs/benchmarks.md has the markers");
    const dir = mkdtempSync(join(tmpdir(), "termflow-bench-test-"));
    try {
      const file = join(dir, "b.md");
      writeFileSync(file, `# Before\n${BEGIN}\nold figures\n${END}\n## After\n`);
      const row = { what: "x / y", goal: { max: 0.5 }, a: { label: "x" }, b: { label: "y" } };
      const result = {
        kind: "in-process",
        a: { median: 1, min: 1, max: 2 },
        b: { median: 4, min: 3, max: 5 },
        ratio: 0.25,
      };
      writeSection(file, markdownSection([{ row, result }], ["Measured today."]));
      const written = readFileSync(file, "utf8");
      assert.ok(written.startsWith(`# Before\n${BEGIN}\nMeasured today.`), written);
      assert.ok(written.endsWith(`${END}\n## After\n`), written);
      assert.ok(!written.includes("old figures"));
      assert.match(
        written,
        /\| x \/ y \| x: 1\.00 ms \[1\.00 ms-2\.00 ms\] \| y: 4\.00 ms \[3\.00 ms-5\.00 ms\] \| 0\.250x \| <= 0\.5 \| met \|/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
