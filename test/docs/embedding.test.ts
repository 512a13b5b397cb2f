/**
 * docs/embedding.md's POS-plugin example is test/docs/pos-plugin.ts, verbatim: this test keeps the
 * two equal and runs the example (approved, declined, interrupted, on the simulator).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { moneyOf } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator, type SimulatorOptions } from "../../simulator/index.js";
import { fromRoot } from "../support/paths.js";
import { demo, payAtTable } from "./pos-plugin.js";

const doc = readFileSync(fromRoot("docs", "embedding.md"), "utf8");
const POIID = "V400m-123456789";

function simulated(options: SimulatorOptions = {}) {
  const clock = new VirtualClock({ auto: true });
  return { clock, simulator: createSimulator({ ...options, clock }) };
}

/** The terminal's log: `PaymentRequest Success`, `AdminRequest End` (outcomes of payments only). */
function requestsOf(simulator: ReturnType<typeof createSimulator>): string[] {
  return simulator
    .terminal(POIID)
    .requests()
    .map((e) =>
      e.session ? `${e.body} ${e.session.type}` : e.body === "AbortRequest" ? e.body : `${e.body} ${e.outcome}`,
    )
    .map((line) => line.replace(/^(DisplayRequest) .*/, "$1"));
}

/** The POITransactionID the terminal gave its approved payment. */
function approvedTransactionId(simulator: ReturnType<typeof createSimulator>): string {
  const entry = simulator
    .terminal(POIID)
    .requests()
    .find((e) => e.body === "PaymentRequest")!;
  const response = entry.response as {
    SaleToPOIResponse: { PaymentResponse: { POIData: { POITransactionID: { TransactionID: string } } } };
  };
  return response.SaleToPOIResponse.PaymentResponse.POIData.POITransactionID.TransactionID;
}

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
    assert.equal(approved.outcome, "paid");
    assert.match(approved.outcome === "paid" ? approved.transactionId : "", /^\w+\.\w+$/);
    assert.deepEqual(declined, { outcome: "not paid", reason: "declined: 210 Not enough balance" });
    assert.ok(doc.includes(`{ outcome: "not paid", reason: "declined: 210 Not enough balance" }`));
  });

  it("reports an interrupted payment and leaves no session open on the terminal", async () => {
    const { simulator, clock } = simulated();
    const controller = new AbortController();
    const outcome = await payAtTable("3", moneyOf(1999, "EUR"), simulator, {
      clock,
      signal: controller.signal,
      on: { request: (e) => e.name === "PaymentRequest" && setImmediate(() => controller.abort()) },
    });
    assert.deepEqual(outcome, { outcome: "not paid", reason: "interrupted" });
    assert.deepEqual(requestsOf(simulator), [
      "AdminRequest Begin",
      "DisplayRequest",
      "PaymentRequest Failure/Aborted",
      "AbortRequest",
      "AdminRequest End",
    ]);
    assert.equal(simulator.terminal(POIID).session, null);
  });

  // Issue 8 item 1: the abort is lost, the shopper's card is approved during the grace period.
  it("answers paid when the payment was approved before the abort took effect", async () => {
    const { simulator, clock } = simulated({ paymentMs: 1000 });
    simulator.terminal(POIID).faults.drop({ category: "Abort", processed: false });
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 3400);
    const outcome = await payAtTable("3", moneyOf(4250, "EUR"), simulator, { clock, signal: controller.signal });
    assert.deepEqual(outcome, { outcome: "paid", transactionId: approvedTransactionId(simulator) });
    assert.deepEqual(requestsOf(simulator), [
      "AdminRequest Begin",
      "DisplayRequest",
      "PaymentRequest Success",
      "AbortRequest",
      "AdminRequest End",
    ]);
    assert.equal(simulator.terminal(POIID).session, null);
  });

  it("answers paid when an approval outlives the grace period and every abort is lost (settled by status)", async () => {
    const { simulator, clock } = simulated({ paymentMs: 20_000 });
    simulator.terminal(POIID).faults.drop({ category: "Abort", processed: false, times: Infinity });
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 3400);
    const outcome = await payAtTable("3", moneyOf(4250, "EUR"), simulator, { clock, signal: controller.signal });
    assert.deepEqual(outcome, { outcome: "paid", transactionId: approvedTransactionId(simulator) });
    const log = requestsOf(simulator);
    assert.equal(log.filter((e) => e.startsWith("PaymentRequest")).length, 1, "never a second payment");
    assert.equal(log.at(-2), "TransactionStatusRequest Success");
    assert.equal(log.at(-1), "AdminRequest End", "the End waits for the payment to be settled, and is not Busy");
    assert.equal(simulator.terminal(POIID).session, null);
  });

  it("answers unknown, never not paid, when the terminal cannot say what became of the payment", async () => {
    const { simulator, clock } = simulated({ paymentMs: 3_600_000 });
    const terminal = simulator.terminal(POIID);
    terminal.faults.drop({ category: "Abort", processed: false, times: Infinity });
    terminal.faults.http500({ category: "TransactionStatus", times: Infinity });
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 3400);
    const outcome = await payAtTable("3", moneyOf(4250, "EUR"), simulator, { clock, signal: controller.signal });
    const payment = terminal.requests().find((e) => e.body === "PaymentRequest")!;
    assert.equal(outcome.outcome, "unknown");
    assert.equal(outcome.outcome === "unknown" && outcome.serviceId, payment.serviceId);
    assert.match(outcome.outcome === "unknown" ? outcome.reason : "", /the outcome of the payment is unknown/);
  });
  it("reports a flow error to the POS when the terminal is unreachable", async () => {
    const outcome = await payAtTable("3", moneyOf(500, "EUR"), {
      description: "nowhere",
      send: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      },
    });
    assert.equal(outcome.outcome, "not paid");
    assert.match(outcome.outcome === "not paid" ? outcome.reason : "", /ECONNREFUSED/);
  });

  it("pays the basket total the POS passes, on the wire in the currency's own decimals", async () => {
    const { simulator, clock } = simulated();
    const outcome = await payAtTable("5", moneyOf(1250, "KWD"), simulator, { clock });
    assert.equal(outcome.outcome, "paid");
    const entry = simulator
      .terminal(POIID)
      .requests()
      .find((e) => e.body === "PaymentRequest")!;
    const request = entry.request as {
      SaleToPOIRequest: { PaymentRequest: { PaymentTransaction: { AmountsReq: Record<string, unknown> } } };
    };
    assert.deepEqual(request.SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq, {
      Currency: "KWD",
      RequestedAmount: 1.25,
    });
  });

  it("answers partly paid, with what was paid and what is left, when the card covers only part of the bill", async () => {
    const { simulator, clock } = simulated();
    simulator.terminal(POIID).payments.next({ outcome: "partial", authorised: "30.00" });
    const outcome = await payAtTable("9", moneyOf(4250, "EUR"), simulator, { clock });
    assert.equal(outcome.outcome, "partly paid");
    if (outcome.outcome !== "partly paid") return;
    assert.deepEqual([outcome.paid, outcome.unpaid], [moneyOf(3000, "EUR"), moneyOf(1250, "EUR")]);
    assert.match(outcome.transactionId, /^\w+\.\w+$/);
  });

  it("sends nothing for a total that is not money of a known currency", async () => {
    const { simulator, clock } = simulated();
    const outcome = await payAtTable("5", moneyOf(1250, "XXX"), simulator, { clock });
    assert.deepEqual(outcome, { outcome: "not paid", reason: "`bill` is in an unknown currency `XXX`" });
    assert.deepEqual(simulator.terminal(POIID).requests(), []);
  });
});
