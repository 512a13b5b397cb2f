/**
 * Golden tests, Hurl style: every `ok/<name>.flow|.flow.yaml` loads clean and its AST (with spans)
 * equals `ok/<name>.ast.json`; every `errors/<name>.flow|.flow.yaml` renders exactly `errors/<name>.err`
 * (no colour, byte for byte). `UPDATE_GOLDEN=1` rewrites the expected files: review the diff by eye,
 * it is what users see. A case may `call` the flows in `errors/called/` (not cases themselves): they
 * are read as `termflow check` reads them, and their diagnostics carry the chain of calls.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { stripSpans } from "../../language/ast.js";
import { hasErrors, type Diagnostic } from "../../language/diagnostic.js";
import { flowFilesIn, loadFlow } from "../../language/index.js";
import { renderDiagnostics } from "../../language/render-diagnostics.js";
import { fromRoot, repoRoot } from "../support/paths.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";
const INPUT = /^(.+?)\.(flow|flow\.yaml)$/;

interface Case {
  /** Repo-relative, as a user would pass it to `termflow check`; also the span file name. */
  file: string;
  expectedFile: string;
}

/** The cases of one folder; two inputs may not share an expected file. */
function casesIn(folder: "ok" | "errors", expectedSuffix: string): Case[] {
  const dir = `test/golden/${folder}`;
  const cases: Case[] = [];
  for (const name of readdirSync(fromRoot(dir)).sort()) {
    const m = INPUT.exec(name);
    if (m) cases.push({ file: `${dir}/${name}`, expectedFile: `${dir}/${m[1]}${expectedSuffix}` });
  }
  const expected = cases.map((c) => c.expectedFile);
  assert.equal(new Set(expected).size, expected.length, `two ${folder} cases share an expected file: rename one`);
  return cases;
}

/** Compares with the golden file, or rewrites it under UPDATE_GOLDEN=1. */
function assertGolden(actual: string, expectedFile: string): void {
  const path = fromRoot(expectedFile);
  if (UPDATE) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== actual) writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `${expectedFile} is missing: run the tests with UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, readFileSync(path, "utf8"), `${expectedFile} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

const read = (file: string): string => readFileSync(fromRoot(file), "utf8");

describe("golden: ok flows -> AST JSON", () => {
  const cases = casesIn("ok", ".ast.json");
  for (const c of cases) {
    it(c.file, () => {
      const result = loadFlow(read(c.file), c.file);
      assert.deepEqual(result.diagnostics, [], renderDiagnostics(result.diagnostics, () => read(c.file)));
      assert.ok(result.flow);
      assertGolden(JSON.stringify(result.flow, null, 2) + "\n", c.expectedFile);
    });
  }

  // `<name>.flow` and `<name>-yaml.flow.yaml` are one flow in two syntaxes: only spans may differ.
  for (const text of cases.filter((c) => c.file.endsWith(".flow"))) {
    const yaml = text.file.replace(/\.flow$/, "-yaml.flow.yaml");
    if (!cases.some((c) => c.file === yaml)) continue;
    it(`${text.file} and its YAML twin give the same AST`, () => {
      const a = loadFlow(read(text.file), text.file).flow;
      const b = loadFlow(read(yaml), yaml).flow;
      assert.deepEqual(stripSpans(b), stripSpans(a));
    });
  }
});

describe("golden: broken flows -> rendered diagnostics", () => {
  const cases = casesIn("errors", ".err");
  const called = "test/golden/errors/called/";

  for (const c of cases) {
    it(c.file, () => {
      const source = read(c.file);
      const result = loadFlow(source, c.file, { files: flowFilesIn(repoRoot) });
      const sources = new Map([...result.sources, [c.file, source]]);
      assert.ok(result.diagnostics.length > 0, "an errors/ case must produce diagnostics");
      // A flow with any error never runs.
      assert.equal(result.flow === undefined, hasErrors(result.diagnostics));
      for (const d of result.diagnostics) {
        assert.ok(d.span.file === c.file || d.span.file.startsWith(called), `${d.code}: in ${d.span.file}`);
        const text = sources.get(d.span.file) ?? "";
        assert.ok(d.span.start.offset >= 0 && d.span.start.offset <= d.span.end.offset, `${d.code}: bad span`);
        assert.ok(d.span.end.offset <= text.length, `${d.code}: span ends after the file`);
      }
      assertGolden(renderDiagnostics(result.diagnostics, (file) => sources.get(file)), c.expectedFile);
    });
  }

  it("has at least 30 cases, in both syntaxes", () => {
    assert.ok(cases.length >= 30, `only ${cases.length} error cases`);
    assert.ok(cases.some((c) => c.file.endsWith(".flow")));
    assert.ok(cases.some((c) => c.file.endsWith(".flow.yaml")));
  });
});
