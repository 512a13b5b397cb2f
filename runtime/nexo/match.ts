/**
 * Is this answer the answer to this request? A terminal echoes the request's MessageHeader (docs/protocol.md
 * "Envelope"), a PaymentResponse copies the SaleData and the amount asked for, and a TransactionStatus
 * answer repeats the response of the payment it was asked about. An answer that disagrees belongs to
 * another request (mixed up on the way, forged, or canned by a mock terminal) and must not be taken
 * as this one's outcome. Each check lists what disagrees, for a diagnostic that says what was expected.
 */
import { fromWireAmount, toWireAmount } from "../../language/index.js";
import type { MessageHeader, PaymentRequest, Result, SaleToPOIRequest } from "../../protocol/index.js";
import { isObject, normaliseResponse, type Mismatch } from "./decode.js";

export type { Mismatch };

/** The header fields an answer must echo, and which must say Response. */
const ECHOED = ["ServiceID", "SaleID", "POIID", "MessageCategory"] as const;

/** The answer's MessageHeader against the request's (undefined header: missing altogether). */
export function headerMismatches(request: SaleToPOIRequest, header: unknown, prefix = "MessageHeader"): Mismatch[] {
  const sent = request.SaleToPOIRequest.MessageHeader;
  if (!isObject(header)) return [{ field: prefix, expected: "the request's header, echoed", got: "(missing)" }];
  return echoMismatches(sent, header, prefix);
}

/** `answer[field]` against `expected[field]` for the echoed fields, and MessageType Response when given. */
function echoMismatches(expected: Partial<MessageHeader>, answer: Record<string, unknown>, prefix: string): Mismatch[] {
  const out: Mismatch[] = [];
  for (const field of ECHOED) {
    const want = expected[field];
    if (want !== undefined && answer[field] !== want) out.push(mismatch(`${prefix}.${field}`, want, answer[field]));
  }
  if (answer.MessageType !== undefined && answer.MessageType !== "Response")
    out.push(mismatch(`${prefix}.MessageType`, "Response", answer.MessageType));
  return out;
}

/**
 * A PaymentResponse body against its PaymentRequest: the SaleTransactionID it copies, and for an
 * approval the currency and the authorised amount. The spec's AuthorizedAmount is "the amount
 * requested by the Sale" (the requested amount plus the tip): a `Success` authorises exactly that.
 * Less, but more than nothing, is a partial approval and needs Result `Partial` (read as `partial`,
 * never as paid in full). termflow never asks for partial authorisation (no AllowPartialAuthorisation
 * tender option), so a `Success` of another amount is contradictory, as canned answers are (Adyen's
 * mock terminal approves 1.00 of anything): not taken, it is settled by TransactionStatus.
 */
export function paymentMismatches(
  request: PaymentRequest,
  body: Record<string, unknown>,
  result: Result,
  prefix = "PaymentResponse",
): Mismatch[] {
  const out: Mismatch[] = [];
  // An outcome nobody can read is no outcome: "failed" would tell the till the shopper did not pay.
  const said = isObject(body.Response) ? body.Response.Result : undefined;
  if (typeof said !== "string" || !/^(success|failure|partial)$/i.test(said))
    out.push(mismatch(`${prefix}.Response.Result`, "Success, Failure or Partial", said));
  const sentId = request.SaleData.SaleTransactionID.TransactionID;
  const saleData = isObject(body.SaleData) ? body.SaleData : {};
  const saleTx = isObject(saleData.SaleTransactionID) ? saleData.SaleTransactionID : {};
  if (saleTx.TransactionID !== undefined && saleTx.TransactionID !== sentId)
    out.push(mismatch(`${prefix}.SaleData.SaleTransactionID.TransactionID`, sentId, saleTx.TransactionID));
  if (result !== "Success" && result !== "Partial") return out;

  const asked = request.PaymentTransaction.AmountsReq;
  const currency = asked.Currency;
  const paymentResult = isObject(body.PaymentResult) ? body.PaymentResult : {};
  const amounts = isObject(paymentResult.AmountsResp) ? paymentResult.AmountsResp : {};
  const where = `${prefix}.PaymentResult.AmountsResp`;
  if (amounts.Currency !== undefined && amounts.Currency !== currency)
    out.push(mismatch(`${where}.Currency`, currency, amounts.Currency));
  const minor = (v: unknown) =>
    typeof v === "number" || typeof v === "string" ? fromWireAmount(v, currency) : undefined;
  const expected = (minor(asked.RequestedAmount) ?? 0) + (minor(asked.TipAmount) ?? 0);
  const authorised = minor(amounts.AuthorizedAmount);
  const wire = (m: number) => String(toWireAmount(m, currency));
  if (authorised === undefined)
    out.push(mismatch(`${where}.AuthorizedAmount`, wire(expected), amounts.AuthorizedAmount));
  else if (result === "Success" ? authorised !== expected : authorised >= expected || authorised <= 0)
    out.push(
      mismatch(
        `${where}.AuthorizedAmount`,
        result === "Success" ? wire(expected) : `less than ${wire(expected)} (a partial approval)`,
        amounts.AuthorizedAmount,
      ),
    );
  return out;
}

/**
 * A TransactionStatusResponse that says Success, against the payment it was asked about: its
 * MessageReference (when given) and the repeated message's header name that payment, the repeated
 * body is a PaymentResponse, and that PaymentResponse matches the PaymentRequest.
 */
export function repeatedPaymentMismatches(
  payment: SaleToPOIRequest<"PaymentRequest">,
  body: Record<string, unknown>,
): Mismatch[] {
  const sent = payment.SaleToPOIRequest.MessageHeader;
  const out: Mismatch[] = [];
  const reference = body.MessageReference;
  if (isObject(reference)) {
    for (const field of ["ServiceID", "SaleID"] as const) {
      if (reference[field] !== undefined && reference[field] !== sent[field])
        out.push(mismatch(`TransactionStatusResponse.MessageReference.${field}`, sent[field] ?? "", reference[field]));
    }
    if (reference.MessageCategory !== undefined && reference.MessageCategory !== "Payment")
      out.push(
        mismatch("TransactionStatusResponse.MessageReference.MessageCategory", "Payment", reference.MessageCategory),
      );
  }
  const repeated = isObject(body.RepeatedMessageResponse) ? body.RepeatedMessageResponse : {};
  const prefix = "RepeatedMessageResponse";
  if (!isObject(repeated.MessageHeader))
    out.push({ field: `${prefix}.MessageHeader`, expected: "the payment's header", got: "(missing)" });
  else out.push(...echoMismatches(sent, repeated.MessageHeader, `${prefix}.MessageHeader`));
  const bodies = isObject(repeated.RepeatedResponseMessageBody) ? repeated.RepeatedResponseMessageBody : {};
  const inner = bodies.PaymentResponse;
  if (!isObject(inner)) {
    const names = Object.keys(bodies);
    out.push(
      mismatch(`${prefix}.RepeatedResponseMessageBody`, "PaymentResponse", names.length ? names.join(", ") : undefined),
    );
    return out;
  }
  const result = isObject(inner.Response) ? normaliseResponse(inner.Response).result : "Failure";
  out.push(...paymentMismatches(payment.SaleToPOIRequest.PaymentRequest, inner, result, `${prefix}.PaymentResponse`));
  return out;
}

/** `MessageHeader.ServiceID is "1234567890AB", expected "Xk3fP0aQ2c"; ...` */
export function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.field} is ${m.got}, expected ${JSON.stringify(m.expected)}`).join("; ");
}

function mismatch(field: string, expected: string, got: unknown): Mismatch {
  return { field, expected, got: got === undefined || got === null ? "(missing)" : JSON.stringify(got) };
}
