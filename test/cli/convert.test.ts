import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseFlow, stripSpans } from "../../language/index.js";
import { fixtureDir, hasStackTrace, termflow } from "./helpers.js";

const FLOW = [
  'flow "Convert me"',
  'param table = "4"',
  "session waiting input 15000, display 10000 <",
  '  input confirm "Split?" within 30s as split',
  "  if split {",
  '    display "Table ${table}" for 2s',
  "  } else {",
  "    display idle",
  "  }",
  '  pay 10.00 EUR tip 1.50 EUR ref "t-${table}" as payment',
  ">",
  'expect payment.result == "approved" and not (payment.amount < 10.00 EUR)',
  "",
].join("\n");

describe("termflow convert", () => {
  let fx: ReturnType<typeof fixtureDir>;
  const read = (name: string): string => readFileSync(join(fx.dir, name), "utf8");
  const ast = (text: string, file: string): unknown => stripSpans(parseFlow(text, file).flow);
  beforeEach(() => {
    fx = fixtureDir({ "a.flow": FLOW, "broken.flow.yaml": "flow: x\nstpes: []\n" });
  });
  afterEach(() => fx.cleanup());

  it("prints the YAML form, which parses to the same AST", async () => {
    const r = await termflow(["convert", "a.flow", "--to", "yaml"], { cwd: fx.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^flow: Convert me$/m);
    assert.deepEqual(ast(r.stdout, "a.flow.yaml"), ast(FLOW, "a.flow"));
  });

  it("round-trips: flow -> yaml -> flow gives the same AST", async () => {
    const toYaml = await termflow(["convert", "a.flow", "-o", "a.flow.yaml"], { cwd: fx.dir });
    assert.equal(toYaml.code, 0, toYaml.stderr);
    assert.equal(toYaml.stderr, "wrote a.flow.yaml\n");
    const back = await termflow(["convert", "a.flow.yaml", "--to", "flow"], { cwd: fx.dir });
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(ast(back.stdout, "b.flow"), ast(FLOW, "a.flow"));
    assert.deepEqual(ast(read("a.flow.yaml"), "a.flow.yaml"), ast(FLOW, "a.flow"));
  });

  it("defaults --to to the other syntax", async () => {
    const r = await termflow(["convert", "a.flow"], { cwd: fx.dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^steps:$/m);
  });

  it("does not convert a flow with errors (exit 2, diagnostics, no output file)", async () => {
    const r = await termflow(["convert", "broken.flow.yaml", "-o", "out.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--> broken\.flow\.yaml:2:1/);
    assert.match(r.stderr, /`steps`/);
    assert.equal(r.stdout, "");
    assert.equal(existsSync(join(fx.dir, "out.flow")), false);
    assert.ok(!hasStackTrace(r.stderr));
  });

  it("converts a flow with warnings, printing them on stderr", async () => {
    const warned = fixtureDir({ "w.flow": "session waiting 5s <\n>\n" });
    try {
      const r = await termflow(["convert", "w.flow"], { cwd: warned.dir });
      assert.equal(r.code, 0);
      assert.match(r.stderr, /^warning\[empty-session\]/m);
      assert.match(r.stdout, /^ {2}- session:$/m);
    } finally {
      warned.cleanup();
    }
  });

  it("rejects an unknown --to", async () => {
    const r = await termflow(["convert", "a.flow", "--to", "json"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /yaml, flow/);
  });

  it("a missing file is a clear message and exit 2", async () => {
    const r = await termflow(["convert", "nope.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: cannot read `nope.flow`: no such file or directory\n");
  });
});
