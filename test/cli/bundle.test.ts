import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fromRoot } from "../support/paths.js";
import { BUNDLE, fixtureDir, hasStackTrace, termflowBundle } from "./helpers.js";

const run = (args: string[], cwd = fromRoot()) => termflowBundle(args, { cwd });

describe("the bundled CLI (dist/termflow.mjs)", () => {
  before(() => {
    assert.ok(existsSync(BUNDLE), "dist/termflow.mjs is missing: run `npm run build` first");
  });

  it("starts as an executable script and prints its version", () => {
    assert.match(readFileSync(BUNDLE, "utf8").slice(0, 30), /^#!\/usr\/bin\/env node\n/);
    assert.equal(statSync(BUNDLE).mode & 0o111, 0o111, "executable");
    const version = (JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { version: string }).version;
    const r = run(["--version"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
  });

  it("checks the example flows clean", () => {
    const r = run(["check", "flows/"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^checked \d+ files: no problems$/m);
  });

  it("a broken flow gives file:line:col, exit 2 and no stack trace", () => {
    const fx = fixtureDir({ "broken.flow": 'flow "x"\nsession waiting 5s <\n  pay 12.345 EUR\n' });
    try {
      const r = run(["check", "broken.flow"], fx.dir);
      assert.equal(r.code, 2);
      assert.match(r.stdout, /--> broken\.flow:3:7/);
      assert.match(r.stdout, /error\[amount-precision\]/);
      assert.ok(!hasStackTrace(r.stdout + r.stderr), r.stdout + r.stderr);
    } finally {
      fx.cleanup();
    }
  });

  it("runs what `npm start` runs: the pay-at-table sample on the simulator", () => {
    const start = (JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { scripts: { start: string } }).scripts
      .start;
    const args = /node dist\/termflow\.mjs (.+)$/.exec(start)?.[1].split(" ");
    assert.deepEqual(args, ["run", "flows/pay-at-table.flow"]);
    const r = run(args);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^✓ passed: /m);
    assert.match(r.stdout, /End session "pay-at-table"/);
  });

  it("plans the pay-at-table sample", () => {
    const r = run(["plan", "flows/pay-at-table.flow"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Admin Begin/);
  });
});
