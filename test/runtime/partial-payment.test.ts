/**
 * A partial approval (the card covers only part of what was asked: Result Partial, AuthorizedAmount
 * below the amount and tip) is never reported as paid in full, nor as not paid: the capture and the
 * run's `payments` say `partial` with what was paid, the step fails unless the flow checks the
 * capture itself, and `termflow run` says what was paid and what is not.
 */
import assert from "node:assert/strict";
import { runExit } from "../../cli/exit-codes.js";
import { formatCapture } from "../../cli/reporters/format.js";
import { runSummaryLine } from "../../cli/reporters/step-list.js";
import { renderTimeline } from "../../cli/reporters/timeline.js";
import { moneyOf } from "../../language/index.js";
import { VirtualClock, type PaymentRequest, type SaleToPOIRequest } from "../../protocol/index.js";
import type { RunResult } from "../../runtime/result.js";
import { runFlow } from "../../runtime/run-flow.js";
import { createSimulator, type PaymentOutcomeLike } from "../../simulator/index.js";
import { specErrors } from "../support/terminal-api-spec.js";
import { answer, FakeTerminal, flowOf } from "./support/fake-terminal.js";

const POIID = "V400m-123456789";

/** Runs `source` on the simulator with these payment outcomes scripted, in order. */
async function onSimulator(source: string, ...outcomes: PaymentOutcomeLike[]) {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock });
  const terminal = simulator.terminal(POIID);
  if (outcomes.length) terminal.payments.next(...outcomes);
  const result = await runFlow(flowOf(source), { terminal: simulator, clock, poiid: POIID });
  const answers = terminal
    .requests()
    .filter((e) => e.body === "PaymentRequest")
    .map((e) => e.response as { SaleToPOIResponse: { PaymentResponse: Record<string, unknown> } });
  return { result, answers, timeline: terminal.timeline() };
}

/** The wire amounts of every PaymentRequest a fake terminal got. */
function asked(terminal: FakeTerminal): number[] {
  return terminal.requests.flatMap((r) => {
    const p = (r.SaleToPOIRequest as { PaymentRequest?: PaymentRequest }).PaymentRequest;
    return p ? [p.PaymentTransaction.AmountsReq.RequestedAmount] : [];
  });
}

/** A PaymentResponse body for `request` with this Result and AuthorizedAmount. */
function approval(request: SaleToPOIRequest, Result: string, AuthorizedAmount: number) {
  const p = (request.SaleToPOIRequest as unknown as { PaymentRequest: PaymentRequest }).PaymentRequest;
  return {
    Response: { Result },
    SaleData: p.SaleData,
    POIData: { POITransactionID: { TransactionID: "PART.1", TimeStamp: "2026-01-01T00:00:00.000Z" } },
    PaymentResult: { AmountsResp: { Currency: p.PaymentTransaction.AmountsReq.Currency, AuthorizedAmount } },
  };
}

const partial30: PaymentOutcomeLike = { outcome: "partial", authorised: "30.00" };

describe("runtime: a partial approval", () => {
  it("fails the step the flow does not check, saying what was paid and what is not; the payment is `partial`, exit 1", async () => {
    const { result, answers, timeline } = await onSimulator(`pay 50.00 EUR as p\ndisplay "Thank you"\n`, partial30);
    assert.equal(result.status, "failed");
    const [d] = result.diagnostics;
    assert.equal(d.code, "payment-partial");
    assert.match(
      d.message,
      /^pay 50\.00 EUR as p: partly approved: 30\.00 EUR of 50\.00 EUR \(transaction \S+\); 20\.00 EUR is not paid$/,
    );
    assert.match(d.hint ?? "", /the shopper has paid 30\.00 EUR: never charge the whole amount again/);
    assert.deepEqual(
      [result.payments[0].result, result.payments[0].amount, result.payments[0].requestedAmount],
      ["partial", moneyOf(3000, "EUR"), moneyOf(5000, "EUR")],
    );
    assert.equal((result.captures.p as { result: string }).result, "partial");
    assert.ok(!result.steps.some((s) => s.kind === "display"), "nothing runs after it");
    assert.equal(runExit(result), 1);
    // What the simulator answered is a valid Terminal API message: Result Partial, 30 authorised.
    const response = answers[0];
    assert.deepEqual(specErrors(response, "TerminalAPIResponse"), []);
    const body = response.SaleToPOIResponse.PaymentResponse as {
      Response: { Result: string };
      PaymentResult: { AmountsResp: Record<string, unknown> };
    };
    assert.equal(body.Response.Result, "Partial");
    assert.deepEqual(body.PaymentResult.AmountsResp, { Currency: "EUR", AuthorizedAmount: 30 });
    // The terminal's screen says so too, as `termflow run` lists it.
    assert.match(renderTimeline("Screens", timeline, 0, false), /result {4}Partial 30\.00 EUR of 50\.00 EUR$/m);
  });

  it("is left to a flow that checks `p.result`: it takes the rest with a second payment and passes", async () => {
    const { result } = await onSimulator(
      `param total: money = 50.00 EUR
pay total as p
if p.result == "partial" {
  pay total - p.amount as rest
  expect rest.result == "approved" and p.amount + rest.amount == total
}
`,
      partial30,
    );
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(
      result.payments.map((p) => [p.result, p.amount.minor]),
      [
        ["partial", 3000],
        ["approved", 2000],
      ],
    );
    assert.deepEqual(
      result.warnings.map((w) => [w.code, w.severity]),
      [["payment-partial", "warning"]],
    );
    const step = result.steps.find((s) => s.kind === "pay")!;
    assert.equal(step.status, "passed");
    assert.equal(formatCapture(step.capture!.value), `partly approved 30.00 EUR (${result.payments[0].transactionId})`);
  });

  it("covers the bill before the tip", async () => {
    const { result } = await onSimulator(`pay 40.00 EUR tip 4.00 EUR as p\nexpect p.result == "partial"\n`, {
      outcome: "partial",
      authorised: "42.00",
    });
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    const p = result.captures.p as { amount: unknown; tip: unknown };
    assert.deepEqual([p.amount, p.tip], [moneyOf(4200, "EUR"), moneyOf(200, "EUR")]);
  });

  it("is an approval when it covers everything asked, and a decline when it covers nothing", async () => {
    const full = await onSimulator(`pay 30.00 EUR as p\nexpect p.result == "approved"\n`, partial30);
    assert.equal(full.result.status, "passed", JSON.stringify(full.result.diagnostics));
    const none = await onSimulator(`pay 30.00 EUR as p\nexpect p.result == "declined"\n`, {
      outcome: "partial",
      authorised: "0.00",
    });
    assert.equal(none.result.status, "passed", JSON.stringify(none.result.diagnostics));
    assert.equal((none.result.captures.p as { declineReason: string }).declineReason, "210 Not enough balance");
  });

  it("can be refunded, up to what it authorised", async () => {
    const { result } = await onSimulator(
      `pay 50.00 EUR as p\nif p.result == "partial" {\n  refund p as r\n  expect r.result == "approved" and r.amount == 30.00 EUR\n}\n`,
      partial30,
    );
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
  });

  it("is read from any terminal's Result Partial, and from a TransactionStatus that repeats one", async () => {
    const direct = new FakeTerminal().once("PaymentRequest", (request) =>
      answer(request, "PaymentResponse", approval(request, "Partial", 12.5)),
    );
    const first = await runFlow(flowOf(`pay 42.50 EUR as p\nexpect p.result == "partial"\n`), {
      terminal: direct,
      clock: new VirtualClock({ auto: true }),
    });
    assert.equal(first.status, "passed", JSON.stringify(first.diagnostics));
    assert.deepEqual(first.payments[0].amount, moneyOf(1250, "EUR"));

    // The answer is lost; the status request repeats a partial approval.
    const lost = new FakeTerminal()
      .once("PaymentRequest", () => {
        throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      })
      .once("TransactionStatusRequest", (status) => {
        const payment = lost.requests[0];
        return answer(status, "TransactionStatusResponse", {
          Response: { Result: "Success" },
          RepeatedMessageResponse: {
            MessageHeader: { ...payment.SaleToPOIRequest.MessageHeader, MessageType: "Response" },
            RepeatedResponseMessageBody: { PaymentResponse: approval(payment, "Partial", 12.5) },
          },
        });
      });
    const second = await runFlow(flowOf(`pay 42.50 EUR as p\n`), {
      terminal: lost,
      clock: new VirtualClock({ auto: true }),
    });
    assert.deepEqual(
      [second.status, second.diagnostics[0]?.code, second.payments[0].result, second.payments[0].via],
      ["failed", "payment-partial", "partial", "status"],
    );
    assert.deepEqual(asked(lost), [42.5], "never a second payment");
  });

  it("is not taken from a Partial that authorises the whole amount, nor from a Success of less: the status settles it", async () => {
    for (const [Result, amount] of [
      ["Partial", 42.5],
      ["Success", 12.5],
    ] as const) {
      const terminal = new FakeTerminal().once("PaymentRequest", (request) =>
        answer(request, "PaymentResponse", approval(request, Result, amount)),
      );
      for (let i = 0; i < 5; i++)
        terminal.once("TransactionStatusRequest", (status) => {
          const payment = terminal.requests[0];
          return answer(status, "TransactionStatusResponse", {
            Response: { Result: "Success" },
            RepeatedMessageResponse: {
              MessageHeader: { ...payment.SaleToPOIRequest.MessageHeader, MessageType: "Response" },
              RepeatedResponseMessageBody: { PaymentResponse: approval(payment, Result, amount) },
            },
          });
        });
      const result = await runFlow(flowOf(`pay 42.50 EUR as p\n`), {
        terminal,
        clock: new VirtualClock({ auto: true }),
      });
      assert.equal(result.payments[0].result, "unknown", `${Result} ${amount}`);
      assert.match(result.diagnostics[0].message, /AuthorizedAmount is/);
      assert.equal(runExit(result), 4);
    }
  });

  it("`status p` reads a repeated partial approval as partial", async () => {
    const { result } = await onSimulator(
      `pay 50.00 EUR as p\nif p.result == "partial" {\n  status p as s\n  expect s.result == "partial" and s.amount == 30.00 EUR\n}\n`,
      partial30,
    );
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
  });

  it("ends `termflow run` saying what the shopper paid, and exits 5 when the run was interrupted after it", async () => {
    const { result } = await onSimulator(`pay 50.00 EUR as p\n`, partial30);
    const summary = runSummaryLine(result, false);
    assert.match(summary, /^✗ failed: pay 50\.00 EUR as p: partly approved: 30\.00 EUR of 50\.00 EUR/);
    assert.match(
      summary,
      new RegExp(
        String.raw`\n {2}! 30\.00 EUR of 50\.00 EUR approved \(transaction \S+\): the shopper has ` +
          String.raw`paid 30\.00 EUR, 20\.00 EUR is not paid; never charge the whole amount again\n$`,
      ),
    );
    const interrupted: RunResult = { ...result, status: "cancelled" };
    assert.equal(runExit(interrupted), 5);
  });
});
