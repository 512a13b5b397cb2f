import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseFlow, stripSpans } from "../../language/index.js";
import { fixtureDir, hasStackTrace, termflow } from "./helpers.js";

const MESSY =
  '# keep this comment\nflow    "Messy"\npay   12.50 EUR   as payment ;   display "Paid"   # and this one\n';
const MESSY_YAML =
  '# keep this comment\nflow:   Messy\nsteps:\n    -   pay: {amount: "12.50", currency: EUR, as: payment}\n    -   display:   Paid   # and this one\n';
const BROKEN = 'pay 12.50 EUR\ndispaly "Paid"\n';

describe("termflow fmt", () => {
  let fx: ReturnType<typeof fixtureDir>;
  const read = (name: string): string => readFileSync(join(fx.dir, name), "utf8");
  beforeEach(() => {
    fx = fixtureDir({ "messy.flow": MESSY, "messy.flow.yaml": MESSY_YAML, "broken.flow": BROKEN });
  });
  afterEach(() => fx.cleanup());

  for (const name of ["messy.flow", "messy.flow.yaml"]) {
    it(`prints ${name} formatted, keeping comments and meaning; the output is stable`, async () => {
      const first = await termflow(["fmt", name], { cwd: fx.dir });
      assert.equal(first.code, 0, first.stderr);
      assert.notEqual(first.stdout, read(name));
      assert.match(first.stdout, /# keep this comment/);
      assert.match(first.stdout, /# and this one/);
      assert.deepEqual(stripSpans(parseFlow(first.stdout, name).flow), stripSpans(parseFlow(read(name), name).flow));
      assert.equal(read(name), name.endsWith("yaml") ? MESSY_YAML : MESSY, "without --write the file is left alone");
    });
  }

  it("--check lists the files that would change and exits 1; 0 once they are formatted", async () => {
    const before = await termflow(["fmt", "--check", "messy.flow", "messy.flow.yaml"], { cwd: fx.dir });
    assert.equal(before.code, 1);
    assert.equal(before.stdout, "messy.flow\nmessy.flow.yaml\n");
    assert.match(before.stderr, /2 files would be reformatted/);

    const write = await termflow(["fmt", "--write", "messy.flow", "messy.flow.yaml"], { cwd: fx.dir });
    assert.equal(write.code, 0, write.stderr);
    assert.equal(write.stdout, "formatted messy.flow\nformatted messy.flow.yaml\n");

    const after = await termflow(["fmt", "--check", "messy.flow", "messy.flow.yaml"], { cwd: fx.dir });
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.equal(after.stdout, "");
  });

  it("--write is idempotent: a second run changes nothing", async () => {
    await termflow(["fmt", "--write", "messy.flow"], { cwd: fx.dir });
    const once = read("messy.flow");
    const again = await termflow(["fmt", "--write", "messy.flow"], { cwd: fx.dir });
    assert.equal(again.code, 0);
    assert.equal(again.stdout, "");
    assert.equal(read("messy.flow"), once);
  });

  it("refuses a file with errors: diagnostics on stderr, exit 2, file untouched", async () => {
    const r = await termflow(["fmt", "--write", "broken.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error\[unknown-step\]/);
    assert.match(r.stderr, /--> broken\.flow:2:1/);
    assert.match(r.stderr, /not formatted `broken\.flow`: it has errors/);
    assert.equal(read("broken.flow"), BROKEN);
    assert.ok(!hasStackTrace(r.stderr));
  });

  it("a broken file does not stop the others, but the exit code is 2", async () => {
    const r = await termflow(["fmt", "--check", "broken.flow", "messy.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "messy.flow\n");
  });

  it("--check and --write together are a usage error", async () => {
    const r = await termflow(["fmt", "--check", "--write", "messy.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--check and --write/);
  });

  it("a missing file is a clear message and exit 2", async () => {
    const r = await termflow(["fmt", "nope.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: cannot read `nope.flow`: no such file or directory\n");
  });
});
