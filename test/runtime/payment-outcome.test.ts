/**
 * Issue 8 item 1: a payment's outcome is the terminal's, even when the run is cancelled while it is in
 * flight. The abort may be lost or come too late: the run then reports what the payment's answer (or a
 * TransactionStatus request) said, never "cancelled" for a card that was charged, and "unknown" when
 * nobody could say. In-process on a VirtualClock: the payment is 1 s, the run is cancelled at 0.4 s.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { runExit } from "../../cli/exit-codes.js";
import { VirtualClock } from "../../protocol/index.js";
import type { PaymentEvent } from "../../runtime/events.js";
import { runFlow } from "../../runtime/run-flow.js";
import type { RequestTimeouts } from "../../runtime/timeouts.js";
import {
  createSimulator,
  type PaymentOutcomeLike,
  type SimulatedTerminalApi,
  type SimulatorOptions,
} from "../../simulator/index.js";
import { flowOf } from "./support/fake-terminal.js";
import { moneyOf } from "../../language/index.js";

const POIID = "V400m-800000008";
const FLOW = flowOf(`session waiting 5000 id "S" <
  pay 42.50 EUR ref "table-3" as payment
  display "after the payment"
>
`);

interface Setup {
  options?: SimulatorOptions;
  /** Abort requests the terminal never sees (Infinity: all of them). */
  lostAborts?: number;
  outcome?: PaymentOutcomeLike;
  /** Cancel the run this long after it starts. */
  cancelAtMs?: number;
  arrange?: (terminal: SimulatedTerminalApi) => void;
  timeouts?: Partial<RequestTimeouts>;
}

async function cancelDuringPayment(setup: Setup) {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ paymentMs: 1000, ...setup.options, clock });
  const terminal = simulator.terminal(POIID);
  if (setup.lostAborts) terminal.faults.drop({ category: "Abort", processed: false, times: setup.lostAborts });
  if (setup.outcome) terminal.payments.next(setup.outcome);
  setup.arrange?.(terminal);
  const controller = new AbortController();
  clock.setTimeout(() => controller.abort(), setup.cancelAtMs ?? 400);
  const events: string[] = [];
  const payments: PaymentEvent[] = [];
  const result = await runFlow(FLOW, {
    terminal: simulator,
    clock,
    poiid: POIID,
    signal: controller.signal,
    ...(setup.timeouts ? { timeouts: setup.timeouts } : {}),
    on: {
      payment: (e) => {
        payments.push(e);
        events.push(`payment ${e.payment.result}`);
      },
      stepEnd: (e) => events.push(`stepEnd ${e.result.path} ${e.result.status}`),
    },
  });
  const log = terminal
    .requests()
    .map((e) => (e.session ? `${e.body} ${e.session.type} ${e.outcome}` : `${e.body} ${e.outcome}`));
  const pay = result.steps.find((s) => s.kind === "pay")!;
  return { result, log, pay, events, payments, terminal, simulator };
}

const paymentsSent = (log: string[]) => log.filter((line) => line.startsWith("PaymentRequest")).length;

describe("runtime: a payment cancelled in flight is reported as the terminal settled it", () => {
  it("the abort took: cancelled run, cancelled step, capture `cancelled` (Aborted), exit 130", async () => {
    const { result, pay, log, terminal } = await cancelDuringPayment({});
    assert.equal(result.status, "cancelled");
    assert.equal(result.diagnostics[0].code, "cancelled");
    assert.equal(pay.status, "cancelled");
    assert.deepEqual(
      [pay.capture?.value && (pay.capture.value as { result: string }).result, pay.answer?.errorCondition],
      ["cancelled", "Aborted"],
    );
    assert.deepEqual(log, [
      "AdminRequest Begin Success",
      "PaymentRequest Failure/Aborted",
      "AbortRequest empty",
      "AdminRequest End Success",
    ]);
    assert.equal(terminal.session, null);
    assert.equal(runExit(result), 130);
  });

  it("the abort was lost and the card was approved in the grace period: the step passed, the capture is approved, exit 5", async () => {
    const { result, pay, log, events, payments, terminal } = await cancelDuringPayment({ lostAborts: 1 });
    assert.equal(result.status, "cancelled");
    const [d] = result.diagnostics;
    assert.equal(d.code, "cancelled-after-payment");
    assert.match(
      d.message,
      /^run cancelled during pay 42\.50 EUR as payment, but the payment was approved before the abort took effect \(transaction \S+\)$/,
    );
    assert.match(d.hint ?? "", /do not charge again/);
    assert.equal(pay.status, "passed");
    const approved = terminalPayment(terminal);
    assert.deepEqual(result.captures.payment, {
      result: "approved",
      transactionId: approved,
      amount: moneyOf(4250, "EUR"),
      tip: moneyOf(0, "EUR"),
      currency: "EUR",
      declineReason: "",
      errorCondition: "",
    });
    assert.deepEqual(
      payments.map((e) => e.payment),
      result.payments,
    );
    assert.deepEqual(
      { ...result.payments[0], serviceId: "" },
      {
        result: "approved",
        transactionId: approved,
        amount: moneyOf(4250, "EUR"),
        tip: moneyOf(0, "EUR"),
        currency: "EUR",
        declineReason: "",
        errorCondition: "",
        path: "1.1",
        serviceId: "",
        reference: "table-3",
        requestedAmount: moneyOf(4250, "EUR"),
        via: "answer",
        afterCancel: true,
      },
    );
    assert.deepEqual(events, ["payment approved", "stepEnd 1.1 passed", "stepEnd 1 cancelled"]);
    assert.deepEqual(log, [
      "AdminRequest Begin Success",
      "PaymentRequest Success",
      "AbortRequest dropped",
      "AdminRequest End Success",
    ]);
    assert.ok(!result.steps.some((s) => s.label.startsWith("display")), "no step after the cancel");
    assert.equal(terminal.session, null);
    assert.equal(runExit(result), 5);
  });

  it("the abort was lost and the card was declined in the grace period: the step failed, capture declined, exit 130", async () => {
    const { result, pay, terminal } = await cancelDuringPayment({
      lostAborts: 1,
      outcome: { outcome: "decline", reason: "210 Not enough balance" },
    });
    assert.equal(result.status, "cancelled");
    assert.equal(result.diagnostics[0].code, "cancelled");
    assert.match(result.diagnostics[0].message, /the payment was declined \(Refusal\) before the abort took effect/);
    assert.equal(pay.status, "failed");
    assert.equal((result.captures.payment as { result: string }).result, "declined");
    assert.equal(result.payments[0].declineReason, "210 Not enough balance");
    assert.equal(terminal.session, null);
    assert.equal(runExit(result), 130);
  });

  it("the payment outlives the grace period and every abort is lost: settled by status before the End, approved", async () => {
    const { result, pay, log, terminal } = await cancelDuringPayment({
      options: { paymentMs: 20_000 },
      lostAborts: Infinity,
    });
    assert.equal(result.diagnostics[0].code, "cancelled-after-payment");
    assert.equal(pay.status, "passed");
    assert.equal(result.payments[0].via, "status");
    assert.equal(result.payments[0].transactionId, terminalPayment(terminal));
    assert.equal(paymentsSent(log), 1, "never a second payment");
    assert.ok(log.filter((l) => l === "TransactionStatusRequest Failure/InProgress").length >= 2);
    assert.ok(
      log.filter((l) => l === "AbortRequest dropped").length >= 3,
      "the abort is repeated after each InProgress",
    );
    assert.deepEqual(
      log.slice(-2),
      ["TransactionStatusRequest Success", "AdminRequest End Success"],
      "the End is not Busy",
    );
    assert.equal(terminal.session, null);
  });

  it("the payment outlives the grace period and the repeated abort takes: cancelled, settled by status", async () => {
    const { result, pay, log, terminal } = await cancelDuringPayment({ options: { paymentMs: 20_000 }, lostAborts: 1 });
    assert.equal(result.status, "cancelled");
    assert.equal(pay.status, "cancelled");
    assert.deepEqual([result.payments[0].result, result.payments[0].via], ["cancelled", "status"]);
    assert.deepEqual(log, [
      "AdminRequest Begin Success",
      "PaymentRequest Failure/Aborted",
      "AbortRequest dropped",
      "TransactionStatusRequest Failure/InProgress",
      "AbortRequest empty",
      "TransactionStatusRequest Success",
      "AdminRequest End Success",
    ]);
    assert.equal(terminal.session, null);
  });

  it("nobody can say (aborts and status requests lost): `unknown`, an error naming the ServiceID, exit 4, never `cancelled`", async () => {
    const { result, pay, log, terminal } = await cancelDuringPayment({
      options: { paymentMs: 3_600_000 },
      lostAborts: Infinity,
      arrange: (t) => t.faults.http500({ category: "TransactionStatus", times: Infinity }),
    });
    assert.equal(result.status, "error");
    const [d, end] = result.diagnostics;
    assert.equal(d.code, "payment-outcome-unknown");
    assert.match(d.message, /the run was cancelled and the outcome of the payment is unknown/);
    const serviceId = terminal.requests().find((e) => e.body === "PaymentRequest")!.serviceId!;
    assert.equal(result.payments[0].serviceId, serviceId);
    assert.match(d.hint ?? "", new RegExp(`ServiceID ${serviceId} \\(reference "table-3"\\)`));
    assert.deepEqual([pay.status, (result.captures.payment as { result: string }).result], ["failed", "unknown"]);
    assert.equal(result.payments[0].via, "none");
    assert.equal(paymentsSent(log), 1);
    // Still running on the terminal: the End finds it busy, and says so.
    assert.equal(end.code, "session-end-failed");
    assert.match(end.message, /Busy/);
    assert.equal(runExit(result), 4);
  });

  it("a cancel while a lost answer is being recovered does not cut the recovery short", async () => {
    // The answer is an hour late: the run stops waiting at 0.5 s and asks for the status (InProgress
    // until 1 s); the cancel comes at 0.7 s, between two status requests, and its aborts are lost.
    const { result, pay, log } = await cancelDuringPayment({
      cancelAtMs: 700,
      lostAborts: Infinity,
      timeouts: { payment: 500 },
      arrange: (t) => t.faults.delay(3_600_000, { category: "PaymentRequest" }),
    });
    assert.equal(result.diagnostics[0].code, "cancelled-after-payment");
    assert.equal(pay.status, "passed");
    assert.deepEqual(
      [result.payments[0].result, result.payments[0].via, result.payments[0].afterCancel],
      ["approved", "status", true],
    );
    assert.equal(paymentsSent(log), 1);
    assert.ok(log.includes("AbortRequest dropped"), "the cancel still sent an abort");
    assert.equal(log.at(-1), "AdminRequest End Success");
  });

  it("records a decline the flow does not inspect in `payments` and the capture, though the step fails", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    const result = await runFlow(flowOf(`pay 1.24 EUR as payment\n`), { terminal: simulator, clock, poiid: POIID });
    assert.equal(result.status, "failed");
    assert.equal((result.captures.payment as { result: string }).result, "declined");
    assert.deepEqual([result.payments[0].result, result.payments[0].afterCancel], ["declined", false]);
  });
});

/** The outcome a terminal log entry shows, as a capture's `result`. */
function loggedResult(outcome: string | undefined): string {
  if (outcome === "Success") return "approved";
  if (outcome === "Partial") return "partial";
  if (outcome === "Failure/Aborted" || outcome === "Failure/Cancel") return "cancelled";
  if (/^Failure\/(Refusal|WrongPIN|InvalidCard)$/.test(outcome ?? "")) return "declined";
  return `unexpected ${outcome}`;
}

describe("runtime: cancelled payments, property", () => {
  it("reports every payment as the terminal's log has it, whenever the cancel comes and whichever aborts are lost", async () => {
    let trials = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          cancelAtMs: fc.integer({ min: 0, max: 30_000 }),
          paymentMs: fc.integer({ min: 1, max: 25_000 }),
          lostAborts: fc.constantFrom(0, 1, 2, Infinity),
          outcome: fc.constantFrom<PaymentOutcomeLike>("approve", "decline", "cancel", {
            outcome: "partial",
            authorised: "30.00",
          }),
        }),
        async ({ cancelAtMs, paymentMs, lostAborts, outcome }) => {
          trials++;
          const { result, log, terminal } = await cancelDuringPayment({
            options: { paymentMs },
            lostAborts,
            outcome,
            cancelAtMs,
          });
          const sent = terminal.requests().filter((e) => e.body === "PaymentRequest");
          assert.equal(sent.length, 1, "one payment");
          assert.equal(result.payments.length, 1);
          assert.equal(result.payments[0].result, loggedResult(sent[0].outcome), log.join("\n"));
          assert.equal(terminal.session, null, "no session left open");
          assert.equal(log.filter((l) => l.startsWith("AdminRequest End")).length, 1, "one End");
          // Money moved: never reported as a plain interrupt.
          if (result.payments[0].result === "approved" || result.payments[0].result === "partial")
            assert.notEqual(runExit(result), 130);
        },
      ),
      { numRuns: 150 },
    );
    assert.equal(trials, 150);
  });
});

/** The POITransactionID of the payment the terminal approved. */
function terminalPayment(terminal: { requests(): { body: string; response?: unknown }[] }): string {
  const response = terminal.requests().find((e) => e.body === "PaymentRequest")!.response as {
    SaleToPOIResponse: { PaymentResponse: { POIData: { POITransactionID: { TransactionID: string } } } };
  };
  return response.SaleToPOIResponse.PaymentResponse.POIData.POITransactionID.TransactionID;
}
