import assert from "node:assert/strict";
import { repoRoot } from "../../support/paths.js";
import { loadScenarioFile } from "../../../qa/scenario/load.js";
import { inThreadRunner, workerRunner } from "../../../qa/run/pool.js";

describe("qa/run/pool", function () {
  this.timeout(60_000);

  it("runs scenarios on a worker thread with the same results as in this thread", async () => {
    const { scenarios } = loadScenarioFile("flows/scenarios/lost-payment-answer.scenario.yaml", { cwd: repoRoot });
    assert.equal(scenarios.length, 2);
    const here = inThreadRunner(repoRoot);
    const worker = workerRunner(repoRoot);
    try {
      for (const scenario of scenarios) {
        const [a, b] = await Promise.all([
          here.run({ scenario, update: false }),
          worker.run({ scenario, update: false }),
        ]);
        assert.equal(b.status, "passed", b.failures.map((f) => f.rendered).join("\n"));
        assert.deepEqual({ ...b, wallMs: 0 }, { ...a, wallMs: 0 });
      }
    } finally {
      await worker.close();
      await here.close();
    }
  });

  it("renders a worker's failures against the scenario source, like this thread does", async () => {
    const { scenarios } = loadScenarioFile("test/qa/fixtures/broken/expectations.scenario", { cwd: repoRoot });
    const worker = workerRunner(repoRoot);
    try {
      const result = await worker.run({ scenario: scenarios[0], update: false });
      assert.equal(result.status, "failed");
      assert.match(result.failures[0].rendered, /^5 \| then waiting 4000ms after input "Split the bill\?"$/m);
    } finally {
      await worker.close();
    }
  });
});
