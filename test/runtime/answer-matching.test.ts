/**
 * Issue 8 item 2: every answer is matched to its request (header, body, the payment's reference and
 * amount, the payment a status answer repeats). An answer that belongs to another request is a failed
 * exchange: for a payment, the same recovery as a lost answer (TransactionStatus, never a second
 * payment); for anything else, an `answer-mismatch` error naming the fields and what was expected.
 */
import assert from "node:assert/strict";
import { runExit } from "../../cli/exit-codes.js";
import { termflow } from "../cli/helpers.js";
import { VirtualClock } from "../../protocol/index.js";
import type { PaymentRequest, SaleToPOIRequest } from "../../protocol/index.js";
import { runFlow, type RunOptions } from "../../runtime/run-flow.js";
import { cloudTransport } from "../../runtime/transports/cloud.js";
import { startAdyenMockTerminal } from "./support/adyen-mock-terminal.js";
import { answer, FakeTerminal, flowOf } from "./support/fake-terminal.js";
import { moneyOf } from "../../language/index.js";

const run = (source: string, terminal: FakeTerminal, options: Partial<RunOptions> = {}) =>
  runFlow(flowOf(source), { terminal, clock: new VirtualClock({ auto: true }), seed: 1, ...options });

const headerOf = (request: SaleToPOIRequest) => request.SaleToPOIRequest.MessageHeader;
const paymentOf = (request: SaleToPOIRequest) =>
  (request.SaleToPOIRequest as unknown as { PaymentRequest: PaymentRequest }).PaymentRequest;

/** An approved PaymentResponse body for `request`, with `amount` authorised (default: as asked). */
function approval(request: SaleToPOIRequest, amount?: number) {
  const asked = paymentOf(request).PaymentTransaction.AmountsReq;
  return {
    Response: { Result: "Success" },
    SaleData: paymentOf(request).SaleData,
    POIData: { POITransactionID: { TransactionID: "REAL.1", TimeStamp: "2026-01-01T00:00:00.000Z" } },
    PaymentResult: { AmountsResp: { Currency: asked.Currency, AuthorizedAmount: amount ?? asked.RequestedAmount } },
  };
}

/** The status answer a terminal gives for `payment`, repeating `body` under `header`. */
function repeated(status: SaleToPOIRequest, payment: SaleToPOIRequest, body: unknown, header = headerOf(payment)) {
  return answer(status, "TransactionStatusResponse", {
    Response: { Result: "Success" },
    RepeatedMessageResponse: {
      MessageHeader: { ...header, MessageType: "Response" },
      RepeatedResponseMessageBody: { PaymentResponse: body },
    },
  });
}

const foreign = { ServiceID: "1234567890AB", SaleID: "SALE_ID_42", POIID: "V400m-999999999" };
const paymentsSent = (terminal: FakeTerminal) => terminal.names().filter((n) => n === "PaymentRequest").length;

describe("runtime: answers are matched to their requests", () => {
  it("does not take a PaymentResponse with another ServiceID, SaleID and POIID: it asks the status and reports that", async () => {
    let payment: SaleToPOIRequest | undefined;
    const terminal = new FakeTerminal()
      .once("PaymentRequest", (request) => {
        payment = request;
        return {
          SaleToPOIResponse: {
            MessageHeader: { ...headerOf(request), ...foreign, MessageType: "Response" },
            PaymentResponse: approval(request),
          },
        };
      })
      .once("TransactionStatusRequest", (request) =>
        answer(request, "TransactionStatusResponse", { Response: { Result: "Failure", ErrorCondition: "NotFound" } }),
      );
    const result = await run(`pay 42.50 EUR as payment\nexpect payment.result == "failed"\n`, terminal);
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(
      [result.payments[0].result, result.payments[0].errorCondition, result.payments[0].via],
      ["failed", "NotFound", "status"],
    );
    assert.deepEqual(terminal.names(), ["PaymentRequest", "TransactionStatusRequest"], "never a second payment");
    const sent = result.messages.find((m) => m.direction === "response")!;
    assert.equal(sent.name, "PaymentResponse (mismatched)");
    assert.ok(payment);
  });

  it("does not approve 1.00 EUR for a 42.50 EUR request: the answer is lost, the status settles it", async () => {
    const terminal = new FakeTerminal()
      .once("PaymentRequest", (request) => answer(request, "PaymentResponse", approval(request, 1.0)))
      .once("TransactionStatusRequest", (request) =>
        repeated(request, terminal.requests[0], approval(terminal.requests[0])),
      );
    const result = await run(`pay 42.50 EUR as payment\n`, terminal);
    assert.equal(result.status, "passed");
    assert.deepEqual([result.payments[0].amount, result.payments[0].via], [moneyOf(4250, "EUR"), "status"]);
    assert.equal(paymentsSent(terminal), 1);
  });

  it("does not read a payment answer whose Result is garbled as a failure: the status settles it", async () => {
    const terminal = new FakeTerminal()
      .once("PaymentRequest", (request) =>
        answer(request, "PaymentResponse", { ...approval(request), Response: { Result: "Sucess" } }),
      )
      .once("TransactionStatusRequest", (request) =>
        repeated(request, terminal.requests[0], approval(terminal.requests[0])),
      );
    const result = await run(`pay 42.50 EUR as payment\n`, terminal);
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual([result.payments[0].result, result.payments[0].via], ["approved", "status"]);
  });

  it("reports unknown, naming the fields, when the status answers disagree too (3 of them)", async () => {
    const terminal = new FakeTerminal().once("PaymentRequest", (request) =>
      answer(request, "PaymentResponse", approval(request, 1.0)),
    );
    for (let i = 0; i < 5; i++)
      terminal.once("TransactionStatusRequest", (request) =>
        repeated(request, terminal.requests[0], approval(terminal.requests[0], 1.0)),
      );
    const result = await run(`pay 42.50 EUR as payment\n`, terminal);
    assert.equal(result.status, "error");
    const [d] = result.diagnostics;
    assert.equal(d.code, "payment-outcome-unknown");
    assert.match(
      d.message,
      new RegExp(
        String.raw`the answer was not to this payment: PaymentResponse\.PaymentResult\.AmountsResp\.AuthorizedAmount ` +
          String.raw`is 1, expected "42\.5"; then status answer 3 was not to this payment: ` +
          String.raw`RepeatedMessageResponse\.PaymentResponse\.PaymentResult\.AmountsResp\.AuthorizedAmount is 1, expected "42\.5"`,
      ),
    );
    assert.equal(terminal.names().filter((n) => n === "TransactionStatusRequest").length, 3);
    assert.equal((result.captures.payment as { result: string }).result, "unknown");
    assert.equal(runExit(result), 4);
  });

  it("does not take a status answer repeating another payment as this one's outcome", async () => {
    const terminal = new FakeTerminal().once("PaymentRequest", () => {
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    });
    const other = (status: SaleToPOIRequest) => {
      const mine = terminal.requests[0];
      return repeated(status, mine, approval(mine), { ...headerOf(mine), ServiceID: "OTHERPAY01" });
    };
    terminal
      .once("TransactionStatusRequest", other)
      .once("TransactionStatusRequest", (request) =>
        answer(request, "TransactionStatusResponse", { Response: { Result: "Failure", ErrorCondition: "InProgress" } }),
      )
      .once("TransactionStatusRequest", (request) =>
        repeated(request, terminal.requests[0], {
          ...approval(terminal.requests[0]),
          Response: {
            Result: "Failure",
            ErrorCondition: "Refusal",
            AdditionalResponse: "refusalReason=210%20Not%20enough%20balance",
          },
        }),
      );
    const result = await run(`pay 42.50 EUR as payment\nexpect payment.result == "declined"\n`, terminal);
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(
      [result.payments[0].result, result.payments[0].declineReason],
      ["declined", "210 Not enough balance"],
    );
    assert.equal(paymentsSent(terminal), 1);
  });

  it("fails a display answered with another body (a Busy PaymentResponse, as Adyen's mock sends), naming it", async () => {
    const terminal = new FakeTerminal().once("DisplayRequest", (request) =>
      answer(request, "PaymentResponse", { Response: { Result: "Failure", ErrorCondition: "Busy" } }),
    );
    const result = await run(`session waiting 5000 id "S" <\n  display "Hello"\n>\n`, terminal);
    assert.equal(result.status, "error");
    const [d] = result.diagnostics;
    assert.equal(d.code, "answer-mismatch");
    assert.equal(
      d.message,
      'display "Hello": the answer is not the answer to this request: SaleToPOIResponse body is PaymentResponse, expected "DisplayResponse"',
    );
    assert.match(d.hint ?? "", /SALE_ID_42/);
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"], "the session is still ended");
  });

  it("fails an input whose answer echoes another ServiceID, and does not read the shopper's answer from it", async () => {
    const terminal = new FakeTerminal().once("InputRequest", (_request, _options, cooperative) =>
      Promise.resolve(cooperative()).then((good) => {
        const message = good as { SaleToPOIResponse: { MessageHeader: Record<string, unknown> } };
        message.SaleToPOIResponse.MessageHeader.ServiceID = "ELSEWHERE1";
        return message;
      }),
    );
    const result = await run(`input confirm "Tip?" as tip\n`, terminal);
    assert.equal(result.status, "error");
    assert.match(result.diagnostics[0].message, /MessageHeader\.ServiceID is "ELSEWHERE1", expected "\w+"/);
    assert.equal(result.captures.tip, undefined);
  });

  it("fails an answer without a MessageHeader", async () => {
    const terminal = new FakeTerminal().once("DisplayRequest", () => ({
      SaleToPOIResponse: { DisplayResponse: { OutputResult: [{ Response: { Result: "Success" } }] } },
    }));
    const result = await run(`display "x"\n`, terminal);
    assert.equal(result.diagnostics[0].code, "answer-mismatch");
    assert.match(result.diagnostics[0].message, /MessageHeader is \(missing\)/);
  });
});

describe("runtime against Adyen's mock terminal (canned answers, over HTTP)", function () {
  this.timeout(20_000);

  it("termflow run says the answers are not to its requests, reports the payment unknown and exits 4", async () => {
    const mock = await startAdyenMockTerminal();
    try {
      const {
        code,
        stdout: out,
        stderr: err,
      } = await termflow(["run", "flows/plain-payment.flow", "--target", "cloud", "--endpoint", mock.url]);
      assert.equal(code, 4, out + err);
      assert.match(out, /✗ pay 12\.50 EUR as payment → unknown/);
      assert.match(
        err,
        /error\[payment-outcome-unknown\]: pay 12\.50 EUR as payment: the outcome of the payment is unknown/,
      );
      for (const expected of [
        /MessageHeader\.ServiceID is "1234567890AB", expected "\w{10}"/,
        /MessageHeader\.SaleID is "SALE_ID_42", expected "termflow"/,
        /PaymentResponse\.SaleData\.SaleTransactionID\.TransactionID is "21f1268f-9126-4bce-b127-9c2d5ffa024e", expected "order-1001"/,
        /PaymentResponse\.PaymentResult\.AmountsResp\.AuthorizedAmount is 1, expected "12\.5"/,
        /status answer 3 was not to this payment/,
      ])
        assert.match(err, expected);
      assert.match(err, /Adyen's mock answers every request with ServiceID 1234567890AB and SaleID SALE_ID_42/);
      assert.doesNotMatch(out, /approved/);
      assert.deepEqual(mock.requests, [
        "PaymentRequest",
        "TransactionStatusRequest",
        "TransactionStatusRequest",
        "TransactionStatusRequest",
      ]);
    } finally {
      await mock.close();
    }
  });

  it("the runtime refuses a session the mock cannot begin (HTTP 404) and sends no End", async () => {
    const mock = await startAdyenMockTerminal();
    const transport = cloudTransport({ endpoint: mock.url });
    try {
      const result = await runFlow(flowOf(`session waiting 5000 id "S" <\n  pay 12.50 EUR\n>\n`), {
        terminal: transport,
      });
      assert.equal(result.status, "error");
      assert.equal(result.diagnostics[0].code, "transport-http");
      assert.deepEqual(mock.requests, ["AdminRequest"]);
      assert.deepEqual(result.payments, []);
    } finally {
      await transport.close?.();
      await mock.close();
    }
  });
});
