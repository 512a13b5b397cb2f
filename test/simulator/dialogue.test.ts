/**
 * One dialogue per terminal: Busy during a payment, abort with an empty body, transaction status in
 * its three outcomes, declines by amount, pending inputs ended by the next request.
 */
import assert from "node:assert/strict";
import { decodeAdditionalResponse } from "../../protocol/index.js";
import {
  abort,
  confirmation,
  display,
  inner,
  manualSim,
  payment,
  request,
  responseOf,
  sidOf,
  status,
} from "./helpers.js";

describe("simulator dialogues", () => {
  it("answers Busy to other requests while a payment runs, in each request's own response body", async () => {
    const { sim, clock, terminal } = manualSim({ paymentMs: 3000 });
    const pay = payment(10);
    const running = sim.handle(pay);
    const second = await sim.handle(payment(20));
    const shown = await sim.handle(display("Hello"));
    assert.deepEqual(
      [
        responseOf(second).Result,
        responseOf(second).ErrorCondition,
        Object.keys(inner(second))[1] ?? Object.keys(inner(second))[0],
      ].slice(0, 2),
      ["Failure", "Busy"],
    );
    assert.ok("PaymentResponse" in inner(second));
    assert.ok("DisplayResponse" in inner(shown));
    assert.equal(responseOf(shown).ErrorCondition, "Busy");
    assert.match(
      decodeAdditionalResponse(responseOf(shown).AdditionalResponse).message,
      /PaymentRequest is in Progress/,
    );
    await clock.advance(3000);
    assert.equal(responseOf(await running).Result, "Success");
    assert.equal(terminal.timeline().filter((e) => e.screen === "payment").length, 1, "the busy payment never started");
    assert.deepEqual(
      terminal.requests().map((r) => [r.body, r.outcome]),
      [
        ["PaymentRequest", "Success"],
        ["PaymentRequest", "Failure/Busy"],
        ["DisplayRequest", "Failure/Busy"],
      ],
    );
  });

  it("answers an abort with HTTP 200 and an empty body; the aborted payment answers Failure/Aborted", async () => {
    const { sim, clock, terminal, t0 } = manualSim({ paymentMs: 30_000 });
    const pay = payment(42);
    const running = sim.handle(pay);
    await clock.advance(1000);
    const aborted = await sim.handle(abort(sidOf(pay)));
    assert.deepEqual(aborted, { status: 200, body: "" });
    const answer = await running;
    assert.deepEqual([responseOf(answer).Result, responseOf(answer).ErrorCondition], ["Failure", "Aborted"]);
    const result = terminal.timeline().find((e) => e.screen === "result");
    assert.equal(result?.at, t0 + 1000);
    assert.equal(terminal.requests()[1].outcome, "empty");
  });

  it("leaves a payment running when the abort names another ServiceID", async () => {
    const { sim, clock } = manualSim({ paymentMs: 5000 });
    const running = sim.handle(payment(1));
    assert.deepEqual(await sim.handle(abort("OTHER1")), { status: 200, body: "" });
    await clock.advance(5000);
    assert.equal(responseOf(await running).Result, "Success");
  });

  it("reports transaction status as InProgress while running, the repeated response after, NotFound otherwise", async () => {
    const { sim, clock } = manualSim({ paymentMs: 4000 });
    const pay = payment(12.5);
    const running = sim.handle(pay);
    const during = await sim.handle(status(sidOf(pay)));
    assert.deepEqual([responseOf(during).Result, responseOf(during).ErrorCondition], ["Failure", "InProgress"]);
    await clock.advance(4000);
    const original = inner(await running);
    const after = await sim.handle(status(sidOf(pay)));
    const body = inner(after).TransactionStatusResponse;
    assert.equal(body.Response.Result, "Success");
    assert.deepEqual(
      body.RepeatedMessageResponse.RepeatedResponseMessageBody.PaymentResponse,
      original.PaymentResponse,
    );
    assert.deepEqual(body.RepeatedMessageResponse.MessageHeader, original.MessageHeader);
    assert.equal(body.MessageReference.ServiceID, sidOf(pay));
    const unknown = await sim.handle(status("NEVERSENT"));
    assert.deepEqual([responseOf(unknown).Result, responseOf(unknown).ErrorCondition], ["Failure", "NotFound"]);
  });

  it("reports a Busy-rejected payment as NotFound: it was never processed", async () => {
    const { sim, clock } = manualSim({ paymentMs: 2000 });
    const running = sim.handle(payment(1));
    const rejected = payment(2);
    await sim.handle(rejected);
    const answer = await sim.handle(status(sidOf(rejected)));
    assert.equal(responseOf(answer).ErrorCondition, "NotFound");
    await clock.advance(2000);
    await running;
  });

  for (const [amount, condition, reason] of [
    [11.24, "Refusal", "210 Not enough balance"],
    [1.25, "Refusal", "199 Card blocked"],
    [1.26, "Refusal", "228 Card expired"],
    [11.27, "Refusal", "214 Declined online"],
    [21.28, "InvalidCard", "214 Declined online"],
    [101.34, "WrongPIN", "129 Invalid online PIN"],
  ] as const) {
    it(`declines ${amount} EUR (minor digits ${Math.round(amount * 100) % 1000}) with ${condition}`, async () => {
      const { sim, clock } = manualSim();
      const answer = sim.handle(payment(amount));
      await clock.runAll();
      const response = responseOf(await answer);
      assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", condition]);
      assert.equal(decodeAdditionalResponse(response.AdditionalResponse).refusalReason, reason);
    });
  }

  it("approves other amounts with a realistic PaymentResponse, tip included", async () => {
    const { sim, clock } = manualSim();
    const answer = sim.handle(payment(142.5, "EUR", {}, { TipAmount: 14.25 }));
    await clock.runAll();
    const body = inner(await answer).PaymentResponse;
    assert.equal(body.Response.Result, "Success");
    assert.deepEqual(body.PaymentResult.AmountsResp, { Currency: "EUR", AuthorizedAmount: 156.75, TipAmount: 14.25 });
    assert.match(body.POIData.POITransactionID.TransactionID, /^\w+\.\w{16}$/);
    assert.equal(decodeAdditionalResponse(body.Response.AdditionalResponse).authorisedAmountValue, "15675");
    assert.deepEqual(
      body.PaymentReceipt.map((r: { DocumentQualifier: string }) => r.DocumentQualifier),
      ["CashierReceipt", "CustomerReceipt"],
    );
  });

  it("applies the amount rule to minor units, so JPY 1124 (no decimals) ends in 124 too", async () => {
    const { sim, clock } = manualSim();
    const answer = sim.handle(payment(1124, "JPY"));
    await clock.runAll();
    assert.equal(responseOf(await answer).ErrorCondition, "Refusal");
  });

  it("plays scripted payment outcomes in order before the amount rule", async () => {
    const { sim, clock, terminal } = manualSim({ paymentMs: 1000 });
    terminal.payments.next(
      { outcome: "decline", errorCondition: "Refusal", reason: "Not today" },
      "cancel",
      "cardRemoved",
      "approve",
    );
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = sim.handle(payment(11.24));
      await clock.runAll();
      const r = responseOf(await answer);
      results.push(
        `${r.Result}/${r.ErrorCondition ?? ""}/${decodeAdditionalResponse(r.AdditionalResponse).refusalReason ?? ""}`,
      );
    }
    assert.deepEqual(results, [
      "Failure/Refusal/Not today",
      "Failure/Cancel/108 Shopper cancelled tx",
      "Failure/Cancel/card removed",
      "Success//",
      "Failure/Refusal/210 Not enough balance",
    ]);
  });

  it("cancels a payment without an answer at the platform timeout: 150 s on the cloud, 120 s locally", async () => {
    for (const [path, ms] of [
      ["/sync", 150_000],
      ["/nexo", 120_000],
    ] as const) {
      const { sim, clock, terminal, t0 } = manualSim();
      terminal.payments.next("noAnswer");
      const answer = sim.handle(payment(5), { path });
      await clock.advance(ms - 1);
      assert.equal(terminal.screen().screen, "payment");
      await clock.advance(1);
      assert.equal(responseOf(await answer).ErrorCondition, "Communication timeout");
      assert.equal(terminal.screen().at, t0 + ms);
    }
  });

  it("ends a pending input with Failure/Aborted when any other request arrives", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    terminal.shopper.answer("noAnswer");
    const input = sim.handle(confirmation("Tip?", 60));
    await clock.advance(3000);
    const shown = await sim.handle(display("Changed my mind"));
    assert.equal(responseOf(shown).Result, "Success");
    const ended = responseOf(await input);
    assert.deepEqual([ended.Result, ended.ErrorCondition], ["Failure", "Aborted"]);
    assert.match(decodeAdditionalResponse(ended.AdditionalResponse).message, /interrupted by DisplayRequest/);
    assert.equal(terminal.screen().screen, "display");
    assert.equal(terminal.screen().at, t0 + 3000);
  });

  it("aborts a pending input named by an AbortRequest", async () => {
    const { sim, clock, terminal } = manualSim();
    terminal.shopper.answer("noAnswer");
    const req = confirmation("Sign up?", 60);
    const input = sim.handle(req);
    await clock.advance(100);
    assert.deepEqual(await sim.handle(abort(sidOf(req), "Input")), { status: 200, body: "" });
    const ended = responseOf(await input);
    assert.equal(ended.ErrorCondition, "Aborted");
    assert.match(decodeAdditionalResponse(ended.AdditionalResponse).message, /aborted by the POS/);
  });

  it("refuses a ServiceID reused by the same SaleID", async () => {
    const { sim } = manualSim();
    const first = display("one");
    await sim.handle(first);
    const again = await sim.handle(display("two", undefined, { ServiceID: sidOf(first) }));
    assert.deepEqual([responseOf(again).Result, responseOf(again).ErrorCondition], ["Failure", "NotAllowed"]);
    assert.match(decodeAdditionalResponse(responseOf(again).AdditionalResponse).message, /already used/);
  });

  it("prints and refunds", async () => {
    const { sim, clock } = manualSim();
    const printed = await sim.handle(
      request("PrintRequest", {
        PrintOutput: {
          DocumentQualifier: "Document",
          ResponseMode: "PrintEnd",
          OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Hi" }] },
        },
      }),
    );
    assert.deepEqual(inner(printed).PrintResponse, { DocumentQualifier: "Document", Response: { Result: "Success" } });
    const paid = sim.handle(payment(10));
    await clock.runAll();
    const poiTx = inner(await paid).PaymentResponse.POIData.POITransactionID;
    const refund = await sim.handle(
      request("ReversalRequest", {
        OriginalPOITransaction: { POITransactionID: poiTx },
        ReversalReason: "MerchantCancel",
        ReversedAmount: 4,
      }),
    );
    assert.equal(responseOf(refund).Result, "Success");
    assert.equal(inner(refund).ReversalResponse.ReversedAmount, 4);
  });
});
