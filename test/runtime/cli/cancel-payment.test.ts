/**
 * Issue 8 item 1 as a user of `termflow run` sees it, over real loopback HTTP: Ctrl-C during a
 * payment whose abort is lost, and the card is approved anyway. The CLI must not say "interrupted,
 * exit 130" for a shopper who paid.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { termflow } from "../../cli/helpers.js";
import { createSimulator } from "../../../simulator/index.js";

const POIID = "V400m-900000009";
const dir = mkdtempSync(join(tmpdir(), "termflow-cancel-"));
const FLOW = join(dir, "table.flow");
writeFileSync(
  FLOW,
  `flow "Table"\nsession waiting 5000 id "till" <\n  pay 42.50 EUR ref "table-3" as payment\n  display "Thanks"\n>\n`,
);

/** `termflow run` against a sim whose aborts are lost; SIGINT 300 ms after the payment arrives. */
async function interruptedRun(extra: string[], lostAborts = 1) {
  const simulator = createSimulator({ paymentMs: 1000 });
  const terminal = simulator.terminal(POIID);
  terminal.faults.drop({ category: "Abort", processed: false, times: lostAborts });
  const server = await simulator.listen({ port: 0 });
  let interrupt: ((signal: string) => void) | undefined;
  const timer = setInterval(() => {
    const payment = terminal.requests().find((e) => e.body === "PaymentRequest");
    if (payment && interrupt) {
      clearInterval(timer);
      setTimeout(() => interrupt?.("SIGINT"), 300);
    }
  }, 10);
  try {
    const r = await termflow(["run", FLOW, "--target", "cloud", "--endpoint", server.url, "--poiid", POIID, ...extra], {
      onInterrupt: (handler) => {
        interrupt = handler as (signal: string) => void;
        return () => {};
      },
    });
    return { code: r.code, out: r.stdout, err: r.stderr, log: terminal.requests(), session: terminal.session };
  } finally {
    clearInterval(timer);
    await server.close();
  }
}

describe("termflow run: Ctrl-C during a payment the card wins", function () {
  this.timeout(20_000);

  it("shows the payment approved, says the shopper has paid, and exits 5 (not 130)", async () => {
    const { code, out, err, log, session } = await interruptedRun([]);
    assert.equal(code, 5, out + err);
    assert.match(out, /✓ pay 42\.50 EUR as payment → approved 42\.50 EUR \(\S+\)/);
    assert.match(
      out,
      /^■ interrupted: the abort came too late: the payment in flight was approved and the session ended/m,
    );
    assert.match(out, /^ {2}! 42\.50 EUR approved \(transaction \S+\) before the run stopped: the shopper has paid/m);
    assert.match(
      err,
      /error\[cancelled-after-payment\]: run cancelled during pay 42\.50 EUR as payment, but the payment was approved/,
    );
    assert.match(err, /do not charge again/);
    assert.deepEqual(
      log.map((e) => `${e.body} ${e.outcome}`),
      ["AdminRequest Success", "PaymentRequest Success", "AbortRequest dropped", "AdminRequest Success"],
    );
    assert.equal(session, null);
  });

  it("with --json, writes a `payment` line with the approval before the step's end, and exits 5", async () => {
    const { code, out } = await interruptedRun(["--json"]);
    assert.equal(code, 5);
    const events = out
      .trimEnd()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { event: string; payment?: Record<string, unknown>; result?: Record<string, unknown> },
      );
    const payment = events.find((e) => e.event === "payment")!.payment!;
    assert.deepEqual(
      [payment.result, payment.amount, payment.currency, payment.reference, payment.via, payment.afterCancel],
      ["approved", { kind: "money", minor: 4250, currency: "EUR" }, "EUR", "table-3", "answer", true],
    );
    const names = events.map((e) => e.event);
    assert.ok(names.indexOf("payment") < names.indexOf("stepEnd"));
    const end = events.find((e) => e.event === "flowEnd")!.result as { status: string; payments: unknown[] };
    assert.equal(end.status, "cancelled");
    assert.deepEqual(end.payments, [payment]);
  });

  it("exits 130 when the abort takes, with the payment shown as cancelled", async () => {
    const { code, out } = await interruptedRun([], 0);
    assert.equal(code, 130);
    assert.match(out, /■ pay 42\.50 EUR as payment → cancelled \(Aborted/);
    assert.match(out, /^■ interrupted: the payment in flight was aborted and the session ended/m);
    assert.doesNotMatch(out, /approved/);
  });
});
