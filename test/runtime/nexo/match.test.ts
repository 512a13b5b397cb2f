import assert from "node:assert/strict";
import { decodeAnswer } from "../../../runtime/nexo/decode.js";
import {
  describeMismatches,
  headerMismatches,
  paymentMismatches,
  repeatedPaymentMismatches,
} from "../../../runtime/nexo/match.js";
import { envelope, paymentRequest } from "../../../runtime/nexo/requests.js";
import type { SaleToPOIRequest } from "../../../protocol/index.js";

const PAYMENT = paymentRequest({ transactionId: "table-3", at: 0, currency: "EUR", amount: 4250, tip: 500 });
const SENT = envelope("PaymentRequest", PAYMENT, { saleId: "till-1", poiid: "V400m-1", serviceId: "Abc123" });
const HEADER = { ...SENT.SaleToPOIRequest.MessageHeader, MessageType: "Response" };
const asRequest = SENT as unknown as SaleToPOIRequest;

/** A PaymentResponse body: the reference and amounts given, and a Result. */
const paid = (amount: unknown, reference = "table-3", currency = "EUR", result: unknown = "Success") => ({
  Response: { Result: result },
  SaleData: { SaleTransactionID: { TransactionID: reference, TimeStamp: "2026-01-01T00:00:00Z" } },
  PaymentResult: { AmountsResp: { Currency: currency, AuthorizedAmount: amount } },
});
/** The fields that disagree, as `field=got`. */
const fields = (list: { field: string; got: string }[]) => list.map((m) => `${m.field}=${m.got}`);

describe("runtime/nexo/match", () => {
  it("accepts a header that echoes the request's", () => assert.deepEqual(headerMismatches(asRequest, HEADER), []));
  it("names every echoed header field that differs", () =>
    assert.deepEqual(
      fields(
        headerMismatches(asRequest, {
          ...HEADER,
          ServiceID: "1234567890AB",
          SaleID: "SALE_ID_42",
          POIID: "V400m-2",
          MessageCategory: "Admin",
        }),
      ),
      [
        'MessageHeader.ServiceID="1234567890AB"',
        'MessageHeader.SaleID="SALE_ID_42"',
        'MessageHeader.POIID="V400m-2"',
        'MessageHeader.MessageCategory="Admin"',
      ],
    ));
  it("wants MessageType Response when it is given", () =>
    assert.deepEqual(fields(headerMismatches(asRequest, { ...HEADER, MessageType: "Request" })), [
      'MessageHeader.MessageType="Request"',
    ]));
  it("calls a missing header missing", () =>
    assert.deepEqual(fields(headerMismatches(asRequest, undefined)), ["MessageHeader=(missing)"]));
  it("accepts an approval of the requested amount plus the tip", () =>
    assert.deepEqual(paymentMismatches(PAYMENT, paid(47.5), "Success"), []));
  it("accepts the amount sent as a string", () =>
    assert.deepEqual(paymentMismatches(PAYMENT, paid("47.50"), "Success"), []));
  it("refuses an approval of 1.00 for 47.50", () =>
    assert.equal(
      describeMismatches(paymentMismatches(PAYMENT, paid(1), "Success")),
      'PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount is 1, expected "47.5"',
    ));
  it("refuses an approval of more than asked", () =>
    assert.equal(paymentMismatches(PAYMENT, paid(100), "Success").length, 1));
  it("refuses an approval without an authorised amount", () =>
    assert.deepEqual(
      fields(paymentMismatches(PAYMENT, { Response: { Result: "Success" }, SaleData: paid(0).SaleData }, "Success")),
      ["PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount=(missing)"],
    ));
  it("refuses an approval in another currency", () =>
    assert.deepEqual(fields(paymentMismatches(PAYMENT, paid(47.5, "table-3", "USD"), "Success")), [
      'PaymentResponse.PaymentResult.AmountsResp.Currency="USD"',
    ]));
  it("lets a Partial approval authorise less, never more", () => {
    assert.deepEqual(paymentMismatches(PAYMENT, paid(20), "Partial"), []);
    assert.equal(paymentMismatches(PAYMENT, paid(50), "Partial").length, 1);
  });
  it("refuses another payment's SaleTransactionID, even in a decline", () =>
    assert.deepEqual(fields(paymentMismatches(PAYMENT, paid(0, "other-sale"), "Failure")), [
      'PaymentResponse.SaleData.SaleTransactionID.TransactionID="other-sale"',
    ]));
  it("refuses a payment answer whose Result nobody can read (it is no decline)", () => {
    assert.deepEqual(fields(paymentMismatches(PAYMENT, paid(47.5, "table-3", "EUR", "Sucess"), "Failure")), [
      'PaymentResponse.Response.Result="Sucess"',
    ]);
    assert.deepEqual(fields(paymentMismatches(PAYMENT, { SaleData: paid(0).SaleData }, "Failure")), [
      "PaymentResponse.Response.Result=(missing)",
    ]);
  });
  it("does not ask a decline for an amount", () =>
    assert.deepEqual(paymentMismatches(PAYMENT, { Response: { Result: "Failure" } }, "Failure"), []));

  const status = (header: object, body: object, reference?: object) => ({
    Response: { Result: "Success" },
    ...(reference ? { MessageReference: reference } : {}),
    RepeatedMessageResponse: { MessageHeader: header, RepeatedResponseMessageBody: body },
  });
  const approved = { PaymentResponse: paid(47.5) };
  it("accepts a status answer repeating this payment", () =>
    assert.deepEqual(
      repeatedPaymentMismatches(
        SENT,
        status(HEADER, approved, { ServiceID: "Abc123", SaleID: "till-1", MessageCategory: "Payment" }),
      ),
      [],
    ));
  it("refuses a status answer repeating another payment (its header or its MessageReference)", () => {
    assert.deepEqual(fields(repeatedPaymentMismatches(SENT, status({ ...HEADER, ServiceID: "Other1" }, approved))), [
      'RepeatedMessageResponse.MessageHeader.ServiceID="Other1"',
    ]);
    assert.deepEqual(fields(repeatedPaymentMismatches(SENT, status(HEADER, approved, { ServiceID: "Other1" }))), [
      'TransactionStatusResponse.MessageReference.ServiceID="Other1"',
    ]);
  });
  it("refuses a repeated approval of another amount, and a repeated body that is not a payment's", () => {
    const cheap = { PaymentResponse: { ...paid(1), Response: { Result: "success" } } };
    assert.deepEqual(fields(repeatedPaymentMismatches(SENT, status(HEADER, cheap))), [
      "RepeatedMessageResponse.PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount=1",
    ]);
    assert.deepEqual(fields(repeatedPaymentMismatches(SENT, status(HEADER, { ReversalResponse: {} }))), [
      'RepeatedMessageResponse.RepeatedResponseMessageBody="ReversalResponse"',
    ]);
    assert.deepEqual(fields(repeatedPaymentMismatches(SENT, { Response: { Result: "Success" } })), [
      "RepeatedMessageResponse.MessageHeader=(missing)",
      "RepeatedMessageResponse.RepeatedResponseMessageBody=(missing)",
    ]);
  });

  it("decode: takes only the body the request asks for, never another one ending in Response", () => {
    const display = { SaleToPOIResponse: { MessageHeader: HEADER, DisplayResponse: { OutputResult: [] } } };
    const answer = decodeAnswer(display, "PaymentResponse");
    assert.equal(answer.kind, "mismatched");
    assert.equal(
      answer.kind === "mismatched" && describeMismatches(answer.mismatches),
      'SaleToPOIResponse body is DisplayResponse, expected "PaymentResponse"',
    );
    assert.equal(decodeAnswer(display).kind, "response", "without an expected body, the one body there is");
  });
});
