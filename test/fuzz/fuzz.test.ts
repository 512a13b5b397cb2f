/**
 * A seeded slice of `npm run fuzz` (test/fuzz/main.ts): every parser family, the CLI on a sample,
 * every pathological input at a small size, and the simulator over HTTP as a separate process.
 * The full run (100k parser cases, 10k requests, full sizes) is not part of `npm test`; this keeps
 * its machinery honest and its cheap cases green. `FC_SEED` replays another slice.
 */
import assert from "node:assert/strict";
import { hasStackTrace } from "../cli/helpers.js";
import { fuzzParsers, fuzzPathological } from "./fuzz.js";
import type { JobDone } from "./jobs.js";
import { parserFamilies } from "./parser-cases.js";
import type { Finding } from "./parser-check.js";
import { PATHOLOGICAL } from "./pathological.js";
import { fuzzSimulator } from "./simulator-run.js";
import { SIM_FAMILIES, type SimCase } from "./simulator-cases.js";

const seed = Number(process.env.FC_SEED ?? 20261125);
const said = (where: string, f: Finding) => `${where}: ${f.kind} at ${f.stage}: ${f.message.slice(0, 300)}`;

describe("fuzz (a seeded slice of npm run fuzz)", function () {
  this.timeout(240_000);

  it("parser cases of every family, in both syntaxes of flows and scenarios, give diagnostics only; the CLI exits 0, 1 or 2", async () => {
    const found: string[] = [];
    const families = parserFamilies().length;
    const summary = await fuzzParsers({
      seed,
      count: families * 25,
      cliEvery: 35,
      bundleEvery: 0,
      workers: 1,
      budgetMs: 60_000,
      heapLimitMb: 1024,
      onFinding: (done: JobDone, f) => found.push(said(`${done.job.family} #${done.job.index}`, f)),
    });
    assert.deepEqual(found, []);
    assert.equal(summary.cases, families * 25);
    assert.equal(Object.keys(summary.families).length, families);
    assert.ok(summary.cli.cases >= 10, `${summary.cli.cases} cases through the CLI`);
  });

  it("every pathological input, small, gives diagnostics only, through the front end and the CLI", async () => {
    const found: string[] = [];
    const figures = await fuzzPathological({
      scale: 0.0003,
      budgetMs: 60_000,
      heapLimitMb: 1024,
      cli: "in-process",
      onFinding: (done: JobDone, f) => found.push(said(PATHOLOGICAL[done.job.index].name, f)),
    });
    assert.deepEqual(found, []);
    assert.deepEqual(
      figures.map((f) => f.name),
      PATHOLOGICAL.map((p) => p.name),
    );
  });

  it("requests of every family over HTTP to a termflow sim process: no 500, none unanswered, every answer as the spec allows, a clean stop", async () => {
    const found: string[] = [];
    const summary = await fuzzSimulator({
      seed,
      count: SIM_FAMILIES.length * 20,
      lanes: 4,
      budgetMs: 15_000,
      slowClients: 0,
      onFinding: (c: SimCase, index, f) => found.push(said(`${c.family} #${index}`, f)),
    });
    assert.deepEqual(found, []);
    assert.equal(summary.cases, SIM_FAMILIES.length * 20);
    assert.equal(summary.statuses["500"], undefined);
    assert.equal(summary.exitCode, 130);
  });
});

describe("the fuzz's crash detector (hasStackTrace)", () => {
  it("finds a stack trace, not a scenario named '... at once' followed by its file", () => {
    assert.ok(hasStackTrace(new Error("boom").stack!));
    assert.ok(hasStackTrace("TypeError: x is undefined at parse (file:///a/b.js:12:5)"));
    assert.ok(!hasStackTrace("✗ The next request ends the waiting screen at once (fuzz.scenario:3) invalid scenario"));
  });
});
