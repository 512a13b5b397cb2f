/**
 * `--dry-run` takes the same path as a run on the simulator with nothing scripted: the same steps
 * pass and fail, the same values are captured (payments' tips included), the same requests go out.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { flowFilesIn, loadFlow, type CalledFlows, type Flow } from "../../../language/index.js";
import { VirtualClock } from "../../../protocol/index.js";
import type { RunResult } from "../../../runtime/result.js";
import { runFlow } from "../../../runtime/run-flow.js";
import { dryRunTransport } from "../../../runtime/transports/dry-run.js";
import { simulatorTransport } from "../../../runtime/transports/simulator.js";
import { createSimulator } from "../../../simulator/index.js";
import { fromRoot, repoRoot } from "../../support/paths.js";

const POIID = "V400m-200000003";

/** A run with the transaction ids (which differ by design) left out. */
function path(result: RunResult) {
  const withoutIds = (value: unknown): unknown =>
    typeof value === "object" && value !== null && "transactionId" in value ? { ...value, transactionId: "" } : value;
  return {
    status: result.status,
    diagnostics: result.diagnostics.map((d) => d.code),
    steps: result.steps.map((s) => [s.path, s.label, s.status, withoutIds(s.capture?.value)]),
    requests: result.messages.filter((m) => m.direction === "request").map((m) => m.name),
  };
}

async function dryRun(flow: Flow, calls?: CalledFlows): Promise<RunResult> {
  return runFlow(flow, {
    terminal: dryRunTransport(),
    clock: new VirtualClock({ auto: true }),
    poiid: POIID,
    ...(calls ? { calls } : {}),
  });
}

async function onSimulator(flow: Flow, calls?: CalledFlows): Promise<RunResult> {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock, thinkTimeMs: 5, paymentMs: 5 });
  return runFlow(flow, { terminal: simulatorTransport(simulator), clock, poiid: POIID, ...(calls ? { calls } : {}) });
}

describe("runtime/transports/dry-run", () => {
  const dir = fromRoot("flows");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".flow"))) {
    it(`takes the simulator's path through flows/${file}`, async () => {
      // With the flows it calls (flows/shared/).
      const { flow, called } = loadFlow(readFileSync(join(dir, file), "utf8"), join("flows", file), {
        files: flowFilesIn(repoRoot),
      });
      assert.ok(flow);
      assert.deepEqual(path(await dryRun(flow, called)), path(await onSimulator(flow, called)));
    });
  }

  it("authorises a payment's tip with it, so a flow that expects the tip in p.amount goes on", async () => {
    const { flow } = loadFlow(
      "pay 40.00 EUR tip 4.00 EUR as p\nexpect p.amount == 44.00 EUR and p.tip == 4.00 EUR\n",
      "t.flow",
    );
    assert.ok(flow);
    const result = await dryRun(flow);
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
  });
});
