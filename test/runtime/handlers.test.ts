/**
 * Failure handlers (`on declined retry 1 { ... }`, `on cancelled use false`, `on timeout { status
 * p }`) on the in-process simulator: what runs, what is sent, and the guarantees that hold whatever
 * a handler does: a payment is sent again only after a known decline or failure, never when its
 * outcome is unknown nor after its time limit, and a session sends exactly one End even when a
 * handler fails or the run is cancelled inside one.
 */
import assert from "node:assert/strict";
import { VirtualClock } from "../../protocol/index.js";
import { runFlow, type RunOptions } from "../../runtime/run-flow.js";
import type { RunResult } from "../../runtime/result.js";
import { createSimulator, type SimulatedTerminalApi } from "../../simulator/index.js";
import { flowOf } from "./support/fake-terminal.js";

const POIID = "V400m-130000013";

async function run(
  source: string,
  arrange: (terminal: SimulatedTerminalApi) => void = () => {},
  options: Partial<RunOptions> = {},
) {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock });
  const terminal = simulator.terminal(POIID);
  arrange(terminal);
  const result = await runFlow(flowOf(source), { terminal: simulator, clock, poiid: POIID, ...options });
  const sent = (body: string) => terminal.requests().filter((e) => e.body === body).length;
  const ends = terminal.requests().filter((e) => e.session?.type === "End").length;
  return { result, terminal, sent, ends, clock };
}

/** `path status [handled] [attempt]` of every step, in the order they started. */
const steps = (result: RunResult): string[] =>
  result.steps.map((s) =>
    [s.path, s.kind, s.status, s.handled ? `on ${s.handled}` : "", s.attempt ? `try ${s.attempt}` : ""]
      .filter(Boolean)
      .join(" "),
  );

const why = (result: RunResult): string => result.diagnostics.map((d) => `${d.code}: ${d.message}`).join("; ");

describe("runtime: failure handlers", () => {
  describe("a declined payment shows the reason and tries once more", () => {
    const FLOW = `pay 20.00 EUR as p
  on declined retry 1 {
    display "Declined: \${p.declineReason}. Please try again"
  }
expect p.result == "approved"
`;

    it("declined, then approved: two PaymentRequests, the reason shown between them, the run passes", async () => {
      const { result, sent, terminal } = await run(FLOW, (t) =>
        t.payments.next({ outcome: "decline", reason: "210 Not enough balance" }, "approve"),
      );
      assert.equal(result.status, "passed", why(result));
      assert.equal(sent("PaymentRequest"), 2);
      assert.deepEqual(steps(result), [
        "1 pay passed on declined",
        "1.declined.1 display passed",
        "1@2 pay passed try 2",
        "2 expect passed",
      ]);
      assert.equal((result.captures.p as { result: string }).result, "approved");
      assert.deepEqual(
        result.payments.map((p) => p.result),
        ["declined", "approved"],
      );
      assert.ok(
        terminal
          .timeline()
          .some((e) => e.screen === "display" && e.text === "Declined: 210 Not enough balance. Please try again"),
      );
      assert.equal(result.steps[0].diagnostic?.severity, "warning");
      assert.equal(result.steps[0].diagnostic?.code, "payment-declined");
    });

    it("declined twice: the retry is spent, the handler takes the second decline too, the flow decides", async () => {
      const { result, sent } = await run(FLOW, (t) => t.payments.next("decline", "decline", "approve"));
      assert.equal(sent("PaymentRequest"), 2, "retry 1 means at most one more payment");
      assert.deepEqual(steps(result), [
        "1 pay passed on declined",
        "1.declined.1 display passed",
        "1@2 pay passed on declined try 2",
        "1@2.declined.1 display passed",
        "2 expect failed",
      ]);
      assert.equal(result.status, "failed");
      assert.equal(result.diagnostics[0].code, "expect-failed");
    });

    it("an outcome no handler names is not handled: a cancelled payment is not retried", async () => {
      const { result, sent } = await run(FLOW, (t) => t.payments.next("cancel"));
      assert.equal(sent("PaymentRequest"), 1);
      assert.deepEqual(steps(result), ["1 pay passed", "2 expect failed"]);
      const bare = await run("pay 20.00 EUR as p\n  on declined retry 1\n", (t) => t.payments.next("cancel"));
      assert.equal(bare.result.status, "failed");
      assert.equal(bare.result.diagnostics[0].code, "payment-cancelled");
    });

    it("`on failure` takes what the handlers before it do not", async () => {
      const { result, sent } = await run(
        `pay 20.00 EUR as p
  on declined retry 1
  on failure { display "Payment \${p.result}" }
`,
        (t) => t.payments.next("cancel"),
      );
      assert.equal(result.status, "passed", why(result));
      assert.equal(sent("PaymentRequest"), 1);
      assert.deepEqual(steps(result), ["1 pay passed on cancelled", "1.failure.1 display passed"]);
    });
  });

  describe("a cancelled input falls back to a default", () => {
    it("`use` gives the capture its value, the flow goes on with it", async () => {
      const { result } = await run(
        `input confirm "Receipt?" as receipt
  on cancelled use false
input amount "Tip?" in EUR as tip
  on cancelled use 0.00 EUR { display "No tip, thanks" }
display "\${receipt} \${tip}"
`,
        (t) => t.shopper.answer("cancel", "cancel"),
      );
      assert.equal(result.status, "passed", why(result));
      assert.equal(result.captures.receipt, false);
      assert.deepEqual(result.captures.tip, { kind: "money", minor: 0, currency: "EUR" });
      assert.deepEqual(steps(result), [
        "1 input passed on cancelled",
        "2 input passed on cancelled",
        "2.cancelled.1 display passed",
        "3 display passed",
      ]);
      assert.deepEqual(result.steps[0].capture, { name: "receipt", value: false });
    });

    it("an input that times out is `timeout`, not `cancelled`", async () => {
      const { result } = await run(
        `input confirm "Receipt?" within 5s as receipt
  on cancelled use false
  on timeout use true
`,
        (t) => t.shopper.answer("noAnswer"),
      );
      assert.equal(result.status, "passed", why(result));
      assert.equal(result.steps[0].handled, "timeout");
      assert.equal(result.captures.receipt, true);
    });

    it("an input retried: the shopper is asked again", async () => {
      const { result, sent } = await run(
        `input digits "Table?" as table
  on cancelled retry 2
`,
        (t) => t.shopper.answer("cancel", "cancel", { digits: "12" }),
      );
      assert.equal(result.status, "passed", why(result));
      assert.equal(sent("InputRequest"), 3);
      assert.equal(result.captures.table, "12");
    });
  });

  describe("a payment that timed out is checked with a status request, never paid again", () => {
    it("`on timeout { status p }`: one PaymentRequest, the abort, the runtime's status, then the handler's", async () => {
      const { result, terminal } = await run(
        `pay 10.00 EUR within 10s as p
  on timeout {
    status p as s
    display "Payment \${s.result}"
  }
`,
        (t) => t.payments.next("noAnswer"),
      );
      assert.equal(result.status, "passed", why(result));
      assert.deepEqual(
        terminal.requests().map((e) => e.body),
        ["PaymentRequest", "AbortRequest", "TransactionStatusRequest", "TransactionStatusRequest", "DisplayRequest"],
      );
      assert.equal(result.steps[0].handled, "timeout");
      assert.equal(result.steps[0].diagnostic?.code, "payment-time-limit");
      assert.equal((result.captures.s as { result: string }).result, "cancelled");
    });

    it("`on failure retry` does not retry a payment that timed out: retry-refused, one PaymentRequest", async () => {
      const { result, sent } = await run(
        `pay 10.00 EUR within 10s as p
  on failure retry 1 { display "never shown" }
`,
        (t) => t.payments.next("noAnswer", "approve"),
      );
      assert.equal(sent("PaymentRequest"), 1);
      assert.equal(sent("DisplayRequest"), 0, "the handler does not run when its retry is refused");
      assert.equal(result.status, "failed");
      assert.equal(result.diagnostics[0].code, "retry-refused");
      assert.match(result.diagnostics[0].message, /not tried again: the POS gave up on it/);
      assert.equal(result.steps[0].status, "failed");
    });

    it("an unknown outcome reaches no handler: the run stops, the payment is never resent", async () => {
      const { result, sent } = await run(
        `pay 10.00 EUR as p
  on failure retry 3 { display "never shown" }
`,
        (t) => {
          t.faults.drop({ category: "Payment" });
          t.faults.inject({ kind: "http500" }, { times: 100 });
        },
        { timeouts: { status: 500, statusRecovery: 3_000 } },
      );
      assert.equal(sent("PaymentRequest"), 1);
      assert.equal(sent("DisplayRequest"), 0);
      assert.equal(result.status, "error");
      assert.equal(result.diagnostics[0].code, "payment-outcome-unknown");
    });
  });

  describe("the End guarantee holds inside handlers", () => {
    const FLOW = `session waiting 5s <
  pay 20.00 EUR as p
    on declined retry 1 {
      input confirm "Try again?" within 30s as again
      expect again == true
    }
>
`;

    it("a handler that fails: the run fails, exactly one End, no session left open", async () => {
      const { result, ends, terminal, sent } = await run(FLOW, (t) => {
        t.payments.next("decline");
        t.shopper.answer({ confirm: false });
      });
      assert.equal(result.status, "failed");
      assert.equal(result.diagnostics[0].code, "expect-failed");
      assert.equal(sent("PaymentRequest"), 1);
      assert.equal(ends, 1);
      assert.equal(terminal.session, null);
      assert.equal(result.messages.filter((m) => m.direction === "request").at(-1)?.name, "AdminRequest");
    });

    it("a run cancelled inside a handler: cancelled, no retry, exactly one End", async () => {
      const controller = new AbortController();
      const { result, ends, terminal, sent } = await run(
        FLOW,
        (t) => {
          t.payments.next("decline");
          t.shopper.answer({ noAnswer: true });
        },
        {
          signal: controller.signal,
          on: { stepStart: (e) => e.path === "1.1.declined.1" && controller.abort() },
        },
      );
      assert.equal(result.status, "cancelled", why(result));
      assert.equal(sent("PaymentRequest"), 1, "no retry after the cancel");
      assert.equal(ends, 1);
      assert.equal(terminal.session, null);
    });
  });

  it("a handler's step may have handlers of its own", async () => {
    const { result, sent } = await run(
      `pay 20.00 EUR as p
  on declined {
    input confirm "Another card?" as again
      on cancelled use false
    if again {
      pay 20.00 EUR as second
    }
  }
`,
      (t) => {
        t.payments.next("decline", "approve");
        t.shopper.answer("cancel");
      },
    );
    assert.equal(result.status, "passed", why(result));
    assert.equal(sent("PaymentRequest"), 1);
    assert.deepEqual(steps(result), [
      "1 pay passed on declined",
      "1.declined.1 input passed on cancelled",
      "1.declined.2 if passed",
    ]);
  });
});
