/**
 * QA scenarios whose flow calls flows: flows/scenarios/call-chain.scenario, a chain three flows deep.
 * Its decline scenario says the run fails; here the same scenario without that line shows what a
 * user sees when it is not expected: the error in the deepest file, with the chain of calls.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadScenarioSource } from "../../../qa/scenario/load.js";
import { runScenario } from "../../../qa/run/run-scenario.js";
import { fileSources } from "../../../qa/run/sources.js";
import { fromRoot } from "../../support/paths.js";

const FILE = "flows/scenarios/call-chain.scenario";

describe("qa: a scenario whose flow calls flows", function () {
  this.timeout(30_000);
  const source = readFileSync(fromRoot(FILE), "utf8");

  it("passes as written: the captures of the deepest flow come back up the chain", async () => {
    const loaded = loadScenarioSource(source, FILE, { cwd: fromRoot() });
    assert.deepEqual(loaded.invalid, []);
    for (const scenario of loaded.scenarios) {
      const result = await runScenario(scenario, { sources: fileSources(fromRoot()) });
      assert.equal(result.status, "passed", result.failures.map((f) => f.rendered).join("\n"));
    }
  });

  it("reports an unexpected error in the deepest flow at its file:line:col, with the chain of calls", async () => {
    const unexpected = source.replace(/^then run fails.*\n/m, "");
    const loaded = loadScenarioSource(unexpected, FILE, { cwd: fromRoot() });
    const scenario = loaded.scenarios.find((s) => s.tags.includes("decline"));
    assert.ok(scenario);
    const result = await runScenario(scenario, { sources: fileSources(fromRoot()) });
    assert.equal(result.status, "failed");
    assert.equal(result.failures.length, 1);
    const { diagnostic, rendered } = result.failures[0];
    assert.equal(diagnostic.code, "payment-declined");
    assert.deepEqual(
      [diagnostic.span.file, diagnostic.span.start.line, diagnostic.span.start.column],
      ["flows/scenarios/calls/charge.flow", 8, 1],
    );
    assert.match(rendered, /--> flows\/scenarios\/calls\/charge\.flow:8:1\n.*\n 8 \| pay amount tip tip as payment/);
    assert.match(rendered, /note: called from flows\/scenarios\/calls\/pay-with-tip\.flow:7:1\n/);
    assert.match(rendered, /note: called from flows\/scenarios\/calls\/checkout\.flow:9:3\n/);
    // The failing step is recorded in its own file too (reports link to it).
    const failed = result.steps.find((s) => s.status === "failed" && s.label.startsWith("pay"));
    assert.deepEqual([failed?.file, failed?.line], ["flows/scenarios/calls/charge.flow", 8]);
    // The session the first call is in still ended.
    assert.deepEqual(
      result.exchanges.filter((e) => e.name.startsWith("AdminRequest")).map((e) => e.name),
      ["AdminRequest Begin", "AdminRequest End"],
    );
  });
});
