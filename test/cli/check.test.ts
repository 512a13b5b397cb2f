import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir, hasAnsi, hasStackTrace, termflow } from "./helpers.js";

const CLEAN = 'flow "Clean"\npay 12.50 EUR as payment\nexpect payment.result == "approved"\n';
const BROKEN = 'flow "Broken"\nsession waiting 5s <\n  dispaly "Thanks"\n  pay 1.00 EUR\n>\n';
const WARNS = "session waiting 5s <\n>\n";
const CLEAN_YAML = 'flow: Clean\nsteps:\n  - pay: {amount: "12.50", currency: EUR, as: payment}\n';

describe("termflow check", () => {
  let fx: ReturnType<typeof fixtureDir>;
  beforeEach(() => {
    fx = fixtureDir({
      "ok.flow": CLEAN,
      "ok.flow.yaml": CLEAN_YAML,
      "broken.flow": BROKEN,
      "warns.flow": WARNS,
      "bad-money.flow": "pay 12.345 EUR\npay 5 ERU\n",
      "nested/deeper/also-ok.flow": CLEAN,
      "nested/node_modules/ignored.flow": BROKEN,
      "nested/.hidden/ignored.flow": BROKEN,
      "nested/table.scenario.yaml": "not: [a flow",
      "nested/split.scenario": "not a flow either",
      "notes.txt": "not a flow",
    });
  });
  afterEach(() => fx.cleanup());

  it("exits 0 and says so for a clean file", async () => {
    const r = await termflow(["check", "ok.flow"], { cwd: fx.dir });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "checked 1 file: no problems\n");
    assert.equal(r.stderr, "");
  });

  it("checks YAML flows too", async () => {
    const r = await termflow(["check", "ok.flow.yaml"], { cwd: fx.dir });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, "checked 1 file: no problems\n");
  });

  it("prints a broken flow's diagnostics at file:line:col with the source line, exit 2, no stack trace", async () => {
    const r = await termflow(["check", "broken.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^error\[unknown-step\]: .*dispaly/m);
    assert.match(r.stdout, /--> broken\.flow:3:3$/m);
    assert.match(r.stdout, /^3 \| {3}dispaly "Thanks"$/m);
    assert.match(r.stdout, /\^\^\^\^\^\^\^ .*`display`/);
    assert.match(r.stdout, /^error: could not check `broken\.flow`: 1 error$/m);
    assert.match(r.stdout, /^checked 1 file: 1 error$/m);
    assert.ok(!hasStackTrace(r.stdout + r.stderr));
  });

  it("reports every error of a file in one run", async () => {
    const r = await termflow(["check", "bad-money.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /error\[amount-precision\]/);
    assert.match(r.stdout, /--> bad-money\.flow:1:5/);
    assert.match(r.stdout, /error\[unknown-currency\]/);
    assert.match(r.stdout, /`EUR`/);
    assert.match(r.stdout, /checked 1 file: 2 errors$/m);
  });

  it("allows warnings: exit 0, the warning is printed", async () => {
    const r = await termflow(["check", "warns.flow"], { cwd: fx.dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^warning\[empty-session\]/m);
    assert.match(r.stdout, /checked 1 file: 1 warning$/m);
  });

  it("searches directories, skipping node_modules, dot-directories and scenario files", async () => {
    const r = await termflow(["check", "nested"], { cwd: fx.dir });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, "checked 1 file: no problems\n");
  });

  it("names the file that could not be read and still checks the others (exit 2)", async () => {
    const r = await termflow(["check", "missing.flow", "ok.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^error: cannot read `missing\.flow`: no such file or directory$/m);
    assert.match(r.stdout, /checked 1 file: 1 error$/m);
    assert.ok(!hasStackTrace(r.stdout + r.stderr));
  });

  it("says a binary or non-UTF-8 file is not text instead of printing its bytes; a BOM is fine", async () => {
    const bin = fixtureDir({});
    try {
      writeFileSync(join(bin.dir, "nul.flow"), Buffer.from([0x70, 0x61, 0x79, 0x00, 0xff]));
      writeFileSync(join(bin.dir, "latin1.flow"), Buffer.from('display "caf\xe9"\n', "latin1"));
      writeFileSync(join(bin.dir, "bom.flow"), `\ufeff${CLEAN}`);
      const r = await termflow(["check", "nul.flow", "latin1.flow", "bom.flow"], { cwd: bin.dir });
      assert.equal(r.code, 2);
      assert.equal(
        r.stdout,
        "error: cannot read `nul.flow`: not a text file (it contains NUL bytes)\n" +
          "error: cannot read `latin1.flow`: not UTF-8 text\n" +
          "checked 1 file: 2 errors\n",
      );
    } finally {
      bin.cleanup();
    }
  });

  it("refuses files that are not flows and notes skipped scenarios", async () => {
    const r = await termflow(["check", "notes.txt", "nested/table.scenario.yaml", "nested/split.scenario"], {
      cwd: fx.dir,
    });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /cannot read `notes\.txt`: not a flow file/);
    assert.match(r.stdout, /note: skipped `nested\/table\.scenario\.yaml`: .*termflow test/);
    assert.match(r.stdout, /note: skipped `nested\/split\.scenario`: .*termflow test/);
  });

  it("prints one JSON array of diagnostics with --error-format json", async () => {
    const r = await termflow(["check", "--error-format", "json", "broken.flow", "warns.flow", "missing.flow"], {
      cwd: fx.dir,
    });
    assert.equal(r.code, 2);
    const list = JSON.parse(r.stdout) as {
      code: string;
      severity: string;
      file: string;
      line: number;
      column: number;
    }[];
    const codes = list.map((d) => `${d.severity}:${d.code}:${d.file}:${d.line}:${d.column}`);
    assert.ok(codes.includes("error:unknown-step:broken.flow:3:3"), codes.join("\n"));
    assert.ok(codes.includes("warning:empty-session:warns.flow:1:1"), codes.join("\n"));
    assert.ok(codes.includes("error:cannot-read-file:missing.flow:1:1"), codes.join("\n"));
  });

  it("prints [] and exits 0 for clean files in JSON", async () => {
    const r = await termflow(["check", "--error-format=json", "ok.flow"], { cwd: fx.dir });
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it("colours only on a terminal without NO_COLOR, or when asked", async () => {
    const plain = await termflow(["check", "broken.flow"], { cwd: fx.dir, isTTY: false });
    const tty = await termflow(["check", "broken.flow"], { cwd: fx.dir, isTTY: true });
    const noColor = await termflow(["check", "broken.flow"], { cwd: fx.dir, isTTY: true, env: { NO_COLOR: "1" } });
    const forced = await termflow(["check", "--color", "broken.flow"], { cwd: fx.dir, isTTY: false });
    const refused = await termflow(["check", "--no-color", "broken.flow"], { cwd: fx.dir, isTTY: true });
    assert.deepEqual(
      [plain, tty, noColor, forced, refused].map((r) => hasAnsi(r.stdout)),
      [false, true, false, true, false],
    );
  });

  it("rejects an unknown --error-format as a usage error", async () => {
    const r = await termflow(["check", "--error-format", "xml", "ok.flow"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /xml/);
    assert.match(r.stderr, /human, json/);
  });

  it("needs at least one path", async () => {
    const r = await termflow(["check"], { cwd: fx.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing required argument/);
  });
});
