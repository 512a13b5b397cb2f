/**
 * docs/embedding.md's POS-plugin example is test/docs/pos-plugin.ts, verbatim: this test keeps the
 * two equal and runs the example (approved, declined, interrupted, on the simulator).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator } from "../../simulator/index.js";
import { fromRoot } from "../support/paths.js";
import { demo, payAtTable } from "./pos-plugin.js";

const doc = readFileSync(fromRoot("docs", "embedding.md"), "utf8");

describe("docs/embedding.md", () => {
  it('shows exactly the code of test/docs/pos-plugin.ts (importing "termflow")', () => {
    const match = /<!-- example: test\/docs\/pos-plugin\.ts -->\n```ts\n([\s\S]*?)```/.exec(doc);
    assert.ok(match, "the doc has the example block");
    const source = readFileSync(fromRoot("test", "docs", "pos-plugin.ts"), "utf8");
    const code = source.slice(source.indexOf("import {")).replace('"../../index.js"', '"termflow"');
    assert.equal(match[1], code);
  });

  it("runs the demo as the doc says: one approved, one declined by amount", async () => {
    const [approved, declined] = await demo();
    assert.equal(approved.paid, true);
    assert.match(approved.transactionId ?? "", /^\w+\.\w+$/);
    assert.deepEqual(declined, { paid: false, reason: "declined: 210 Not enough balance" });
    assert.ok(doc.includes(`{ paid: false, reason: "declined: 210 Not enough balance" }`));
  });

  it("reports an interrupted payment and leaves no session open on the terminal", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    const controller = new AbortController();
    const outcome = await payAtTable("3", 1999, simulator, {
      clock,
      signal: controller.signal,
      on: { request: (e) => e.name === "PaymentRequest" && setImmediate(() => controller.abort()) },
    });
    assert.deepEqual(outcome, { paid: false, reason: "interrupted" });
    const log = simulator.terminal("V400m-123456789").requests();
    assert.deepEqual(
      log.map((e) => (e.session ? `${e.body} ${e.session.type}` : e.body)),
      ["AdminRequest Begin", "DisplayRequest", "PaymentRequest", "AbortRequest", "AdminRequest End"],
    );
    assert.equal(simulator.terminal("V400m-123456789").session, null);
  });

  it("reports a flow error to the POS when the terminal is unreachable", async () => {
    const outcome = await payAtTable("3", 500, {
      description: "nowhere",
      send: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      },
    });
    assert.equal(outcome.paid, false);
    assert.match(outcome.reason ?? "", /ECONNREFUSED/);
  });
});
