import assert from "node:assert/strict";
import fc from "fast-check";
import {
  chosenMenuEntries,
  decodeAnswer,
  readInput,
  readPayment,
  readTransactionStatus,
} from "../../../runtime/nexo/decode.js";
import { moneyOf, type InputKind } from "../../../language/index.js";
import { decodeAdditionalResponse } from "../../../protocol/index.js";

const header = {
  MessageClass: "Service",
  MessageCategory: "Payment",
  MessageType: "Response",
  SaleID: "POS",
  POIID: "P-1",
  ServiceID: "X",
};

function response(body: string, content: unknown): unknown {
  return { SaleToPOIResponse: { MessageHeader: header, [body]: content } };
}

describe("runtime/nexo/decode", () => {
  it("reads an empty body as the abort's empty answer", () => {
    assert.deepEqual(decodeAnswer(undefined), { kind: "empty" });
    assert.deepEqual(decodeAnswer(""), { kind: "empty" });
  });

  it("reads a Reject EventNotification with its message and the Base64 RejectedMessage", () => {
    const original = { SaleToPOIRequest: { MessageHeader: header, PaymentRequest: {} } };
    const answer = decodeAnswer({
      SaleToPOIRequest: {
        EventNotification: {
          EventToNotify: "Reject",
          EventDetails: "message=Did+not+receive+a+response+from+the+POI.",
          RejectedMessage: Buffer.from(JSON.stringify(original)).toString("base64"),
          TimeStamp: "2020-03-31T10:28:39.515Z",
        },
        MessageHeader: { ...header, MessageClass: "Event", MessageCategory: "Event", MessageType: "Notification" },
      },
    });
    assert.equal(answer.kind, "rejected");
    if (answer.kind !== "rejected") return;
    assert.equal(answer.message, "Did not receive a response from the POI.");
    assert.deepEqual(answer.rejectedRequest, original);
  });

  it("reads the eventType REJECT variant and an unreadable RejectedMessage without crashing", () => {
    const answer = decodeAnswer({
      eventType: "REJECT",
      SaleToPOIRequest: { EventNotification: { EventToNotify: "Reject", RejectedMessage: "%%%" } },
    });
    assert.equal(answer.kind, "rejected");
  });

  it("keeps unknown fields and normalises the Result's case", () => {
    const answer = decodeAnswer(
      response("AdminResponse", { Response: { Result: "success" }, Extra: { x: 1 } }),
      "AdminResponse",
    );
    assert.equal(answer.kind, "response");
    if (answer.kind !== "response") return;
    assert.equal(answer.response.result, "Success");
    assert.deepEqual(answer.body.Extra, { x: 1 });
  });

  it("finds the Response of input and display answers, and tolerates a display without results", () => {
    const input = decodeAnswer(
      response("InputResponse", { InputResult: { Response: { Result: "Failure", ErrorCondition: "Cancel" } } }),
    );
    assert.equal(input.kind === "response" && input.response.errorCondition, "Cancel");
    const display = decodeAnswer(response("DisplayResponse", { OutputResult: [] }));
    assert.equal(display.kind === "response" && display.response.result, "Success");
    const failed = decodeAnswer(
      response("DisplayResponse", { OutputResult: { Response: { Result: "Failure", ErrorCondition: "DeviceOut" } } }),
    );
    assert.equal(failed.kind === "response" && failed.response.errorCondition, "DeviceOut");
  });

  it("calls anything else malformed, with a reason", () => {
    for (const odd of [
      "ok",
      "[1,2]",
      42,
      { hello: 1 },
      { SaleToPOIResponse: { MessageHeader: header } },
      { errors: ["crypto error (3)"] },
      response("PaymentResponse", {}),
    ]) {
      const answer = decodeAnswer(odd);
      assert.equal(answer.kind, "malformed", JSON.stringify(odd));
      assert.ok(answer.kind === "malformed" && answer.reason.length > 0);
    }
  });

  it("never throws, whatever JSON arrives", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        decodeAnswer(value);
        decodeAnswer({ SaleToPOIResponse: { PaymentResponse: value } });
        decodeAnswer({ SaleToPOIRequest: { EventNotification: value } });
      }),
      { numRuns: 300 },
    );
  });

  it("reads an approved payment, with amounts sent as strings", () => {
    const answer = decodeAnswer(
      response("PaymentResponse", {
        Response: { Result: "Success", AdditionalResponse: "pspReference=X" },
        SaleData: { SaleTransactionID: { TransactionID: "t", TimeStamp: "2026-01-01T00:00:00Z" } },
        POIData: {
          POITransactionID: { TransactionID: "CmI6001.VP57", TimeStamp: "2026-01-01T00:00:01Z" },
          POIReconciliationID: "1000",
        },
        PaymentResult: { AmountsResp: { Currency: "KWD", AuthorizedAmount: "1.25" } },
      }),
    );
    assert.ok(answer.kind === "response");
    assert.deepEqual(readPayment(answer.body, answer.response, "KWD"), {
      result: "approved",
      transactionId: "CmI6001.VP57",
      amount: moneyOf(1250, "KWD"),
      tip: moneyOf(0, "KWD"),
      currency: "KWD",
      declineReason: "",
      errorCondition: "",
    });
  });

  it("reads a partial approval as partial, never approved: Result Partial, or an approval of less than asked", () => {
    const read = (Result: string, AuthorizedAmount: number, asked?: number) => {
      const answer = decodeAnswer(
        response("PaymentResponse", {
          Response: { Result },
          PaymentResult: { AmountsResp: { Currency: "EUR", AuthorizedAmount, TipAmount: 1 } },
        }),
      );
      assert.ok(answer.kind === "response");
      const p = readPayment(answer.body, answer.response, "EUR", asked);
      return [p.result, p.amount.minor, p.tip.minor];
    };
    assert.deepEqual(read("Partial", 30, 5000), ["partial", 3000, 100]);
    assert.deepEqual(read("partial", 30), ["partial", 3000, 100]);
    assert.deepEqual(read("Success", 30, 5000), ["partial", 3000, 100]);
    assert.deepEqual(read("Success", 50, 5000), ["approved", 5000, 100]);
  });

  it("sorts payment failures into declined, cancelled and failed", () => {
    const fail = (ErrorCondition: string, AdditionalResponse = "") =>
      readPayment(
        {},
        { result: "Failure", errorCondition: ErrorCondition, additional: decodeAdditionalResponse(AdditionalResponse) },
        "EUR",
      );
    assert.deepEqual(fail("Refusal", "refusalReason=210+Not+enough+balance"), {
      result: "declined",
      transactionId: "",
      amount: moneyOf(0, "EUR"),
      tip: moneyOf(0, "EUR"),
      currency: "EUR",
      declineReason: "210 Not enough balance",
      errorCondition: "Refusal",
    });
    assert.equal(fail("WrongPIN").result, "declined");
    assert.equal(fail("Cancel").result, "cancelled");
    assert.equal(fail("Aborted").result, "cancelled");
    assert.equal(fail("Busy").result, "failed");
    assert.equal(fail("Communication timeout").result, "failed");
  });

  it("reads the three outcomes of a transaction status answer", () => {
    const done = readTransactionStatus(
      {
        Response: { Result: "Success" },
        RepeatedMessageResponse: {
          MessageHeader: header,
          RepeatedResponseMessageBody: {
            PaymentResponse: { Response: { Result: "Success" }, POIData: { POITransactionID: { TransactionID: "T" } } },
          },
        },
      },
      { result: "Success", additional: {} },
    );
    assert.equal(done.kind, "done");
    assert.equal(done.kind === "done" && done.bodyName, "PaymentResponse");
    assert.deepEqual(readTransactionStatus({}, { result: "Failure", errorCondition: "InProgress", additional: {} }), {
      kind: "in-progress",
    });
    assert.deepEqual(readTransactionStatus({}, { result: "Failure", errorCondition: "NotFound", additional: {} }), {
      kind: "not-found",
    });
  });

  const body = (input: Record<string, unknown>) => ({
    InputResult: { Response: { Result: "Success" }, Input: input },
  });
  /** The value read, or `unreadable: <reason>`. */
  const read = (kind: InputKind, input: Record<string, unknown>, options = {}): unknown => {
    const r = readInput(kind, body(input), options);
    return r.ok ? r.value : `unreadable: ${r.reason}`;
  };

  it("reads every input kind's answer, tolerating numbers for digits", () => {
    assert.equal(read("confirm", { ConfirmedFlag: true }), true);
    assert.equal(read("signature", { ConfirmedFlag: "true" }), true);
    assert.equal(read("digits", { DigitInput: "0012" }), "0012");
    assert.equal(read("digits", { DigitInput: 12 }), "12");
    assert.equal(read("phone", { DigitInput: "0612345678" }), "0612345678");
    assert.equal(read("phone", { DigitInput: "+31 6 12345678" }), "+31 6 12345678");
    assert.equal(read("text", { TextInput: "Ada" }), "Ada");
    assert.deepEqual(read("amount", { DigitInput: "12.50" }, { currency: "EUR" }), moneyOf(1250, "EUR"));
    assert.deepEqual(read("amount", { DigitInput: "12,5" }, { currency: "EUR" }), moneyOf(1250, "EUR"));
    assert.deepEqual(read("amount", { DigitInput: 3 }, { currency: "JPY" }), moneyOf(3, "JPY"));
    assert.deepEqual(read("amount", { DigitInput: "10.00" }, { currency: "JPY" }), moneyOf(10, "JPY"));
    assert.equal(read("menu", { MenuEntryNumber: [0, 1] }, { entries: ["Good", "Bad"] }), "Bad");
    assert.equal(read("menu", { MenuEntryNumber: 1 }, { entries: ["Good", "Bad"] }), "Good");
  });

  it("reads strictly: an answer that is not what the step asked for is a reason, never a default", () => {
    const eur = { currency: "EUR" };
    assert.equal(read("amount", { DigitInput: "1.255" }, eur), 'unreadable: "1.255" has 3 decimals, but EUR has 2');
    assert.equal(read("amount", { DigitInput: "abc" }, eur), 'unreadable: "abc" is not an amount');
    assert.equal(read("amount", { DigitInput: "-3.00" }, eur), 'unreadable: "-3.00" is negative');
    assert.equal(read("amount", {}, eur), "unreadable: has no DigitInput");
    assert.equal(read("digits", { DigitInput: "12a" }), 'unreadable: "12a" is not digits');
    assert.equal(read("phone", { DigitInput: "call me" }), 'unreadable: "call me" is not a phone number');
    assert.equal(
      read("menu", { MenuEntryNumber: [3] }, { entries: ["Good", "Bad"] }),
      "unreadable: chose [3], which is not an entry of the menu of 2",
    );
    assert.equal(read("menu", {}, { entries: ["Good", "Bad"] }), "unreadable: chose no menu entry");
    assert.equal(read("confirm", {}), "unreadable: has no ConfirmedFlag");
    assert.equal(
      read("confirm", { ConfirmedFlag: "maybe" }),
      'unreadable: has ConfirmedFlag "maybe", which is not true or false',
    );
  });

  it("reads MenuEntryNumber as a 0/1 mask or as 1-based numbers", () => {
    assert.deepEqual(chosenMenuEntries([0, 1], 2), [1], "mask seen on real terminals");
    assert.deepEqual(chosenMenuEntries([0, 0, 1], 3), [2]);
    assert.deepEqual(chosenMenuEntries([3], 4), [2], "1-based entry number");
    assert.deepEqual(chosenMenuEntries(2, 4), [1], "a lone number");
    assert.deepEqual(chosenMenuEntries(["2"], 4), [1], "a number sent as a string");
    assert.deepEqual(chosenMenuEntries([9], 4), undefined, "out of range");
    assert.deepEqual(chosenMenuEntries([0], 4), undefined, "0 is no entry number");
    assert.deepEqual(chosenMenuEntries(undefined, 4), []);
  });
});
