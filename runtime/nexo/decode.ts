/**
 * Tolerant decoding of whatever a terminal or the cloud sends back (docs/protocol.md "Tolerant decoding"):
 * empty bodies, Reject EventNotifications, unknown fields, numbers as strings, MenuEntryNumber as an
 * array or a number, AdditionalResponse form-encoded or Base64 JSON. Nothing here throws: every odd
 * answer becomes a typed value the runtime can report.
 */
import type {
  AcquireCapture,
  InputKind,
  PayCapture,
  PayResult,
  PrintCapture,
  RefundCapture,
  Value,
} from "../../language/index.js";
import { fromWireAmount, minorUnitDigits, moneyOf, toMinorUnits } from "../../language/index.js";
import type { MessageHeader, ResponseBodyName, Result } from "../../protocol/index.js";
import { decodeAdditionalResponse, decodeBase64Json } from "../../protocol/index.js";

/** A nexo `Response` after normalisation: Result in its canonical case, AdditionalResponse decoded. */
export interface DecodedResponse {
  result: Result;
  errorCondition?: string;
  /** The raw AdditionalResponse text, as sent. */
  additionalResponse?: string;
  /** AdditionalResponse decoded from either encoding; empty when absent or unreadable. */
  additional: Record<string, string>;
}

/** One field of an answer that is not what its request makes it (`runtime/nexo/match.ts` finds them). */
export interface Mismatch {
  /** Where: `MessageHeader.ServiceID`, `PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount`. */
  field: string;
  expected: string;
  /** What the answer has: the value as JSON, or `(missing)`. */
  got: string;
}

/** What an answer turned out to be. */
export type Answer =
  /** A SaleToPOIResponse with a body (`PaymentResponse`, ...). */
  | {
      kind: "response";
      bodyName: string;
      header?: Partial<MessageHeader>;
      /** The body object with every field as sent, unknown ones included. */
      body: Record<string, unknown>;
      response: DecodedResponse;
    }
  /**
   * A nexo answer, but not to the request it came back for: another body, or a header that does not
   * echo the request's (`runtime/nexo/match.ts`). Never read as the request's outcome.
   */
  | {
      kind: "mismatched";
      bodyName?: string;
      header?: Partial<MessageHeader>;
      /** The body and its Response, when it was the body asked for (the header disagreed). */
      body?: Record<string, unknown>;
      response?: DecodedResponse;
      mismatches: Mismatch[];
    }
  /** An empty body: the answer to an AbortRequest (or a display that needs no answer). */
  | { kind: "empty" }
  /** An EventNotification Reject: the cloud or terminal refused the request. */
  | { kind: "rejected"; message: string; details: Record<string, string>; rejectedRequest?: unknown }
  /** Anything else: JSON, but not a nexo answer we can read. */
  | { kind: "malformed"; reason: string };

/**
 * Decodes a parsed answer (or `undefined` for an empty body). `expected` is the body the request asks
 * for: any other is `mismatched`. Without it, the answer's one body is read, whatever its name.
 */
export function decodeAnswer(value: unknown, expected?: ResponseBodyName): Answer {
  if (value === undefined || value === null || value === "") return { kind: "empty" };
  if (typeof value === "string") {
    const parsed = parseJson(value);
    if (parsed === undefined) return { kind: "malformed", reason: `the answer is not JSON: ${preview(value)}` };
    return decodeAnswer(parsed, expected);
  }
  if (!isObject(value))
    return { kind: "malformed", reason: `the answer is not a JSON object: ${preview(JSON.stringify(value))}` };

  const request = value.SaleToPOIRequest;
  if (isObject(request) && isObject(request.EventNotification)) return decodeNotification(request.EventNotification);
  if (typeof value.eventType === "string" && /reject/i.test(value.eventType) && isObject(request)) {
    return decodeNotification(isObject(request.EventNotification) ? request.EventNotification : {});
  }

  const envelope = value.SaleToPOIResponse;
  if (!isObject(envelope)) {
    if (Array.isArray(value.errors))
      return { kind: "malformed", reason: `the terminal reported errors: ${value.errors.map(String).join("; ")}` };
    return { kind: "malformed", reason: `the answer has no SaleToPOIResponse: ${preview(JSON.stringify(value))}` };
  }
  const header = isObject(envelope.MessageHeader) ? (envelope.MessageHeader as Partial<MessageHeader>) : undefined;
  const bodyNames = Object.keys(envelope).filter((k) => k !== "MessageHeader" && isObject(envelope[k]));
  if (bodyNames.length === 0)
    return { kind: "malformed", reason: `the answer has no response body${expected ? ` (expected ${expected})` : ""}` };
  // The body the request asks for, and no other: a DisplayResponse is no answer to a payment.
  if (expected && !bodyNames.includes(expected)) {
    return {
      kind: "mismatched",
      bodyName: bodyNames[0],
      ...(header ? { header } : {}),
      mismatches: [{ field: "SaleToPOIResponse body", expected, got: bodyNames.join(", ") }],
    };
  }
  if (!expected && bodyNames.length > 1)
    return { kind: "malformed", reason: `the answer has ${bodyNames.length} bodies: ${bodyNames.join(", ")}` };
  const bodyName = expected ?? bodyNames[0];
  const body = envelope[bodyName] as Record<string, unknown>;
  const response = responseOf(bodyName, body);
  if (!response) return { kind: "malformed", reason: `${bodyName} has no Response` };
  return { kind: "response", bodyName, ...(header ? { header } : {}), body, response };
}

function decodeNotification(notification: Record<string, unknown>): Answer {
  const detailsText = typeof notification.EventDetails === "string" ? notification.EventDetails : "";
  const details = decodeAdditionalResponse(detailsText);
  const rejected = base64JsonOrUndefined(notification.RejectedMessage);
  const event = String(notification.EventToNotify ?? "Reject");
  const message = details.message ?? (detailsText || `${event} notification`);
  return { kind: "rejected", message, details, ...(rejected !== undefined ? { rejectedRequest: rejected } : {}) };
}

/**
 * The Response of a body: `Response` for service bodies, `InputResult.Response` for input, the worst
 * of `OutputResult[].Response` for display (an empty OutputResult counts as success).
 */
function responseOf(bodyName: string, body: Record<string, unknown>): DecodedResponse | undefined {
  if (isObject(body.Response)) return normaliseResponse(body.Response);
  if (bodyName === "InputResponse" && isObject(body.InputResult) && isObject(body.InputResult.Response)) {
    return normaliseResponse(body.InputResult.Response);
  }
  if (bodyName === "DisplayResponse") {
    // The first response that is not a Success, else the first (every display answers one): one
    // pass, no lists in between.
    let first: DecodedResponse | undefined;
    for (const r of asArray(body.OutputResult)) {
      if (!isObject(r) || !isObject(r.Response)) continue;
      const response = normaliseResponse(r.Response);
      if (response.result !== "Success") return response;
      first ??= response;
    }
    return first ?? { result: "Success", additional: {} };
  }
  return undefined;
}

/** Result in canonical case (`success` -> `Success`); an unknown Result counts as Failure. */
export function normaliseResponse(response: Record<string, unknown>): DecodedResponse {
  const raw = String(response.Result ?? "").toLowerCase();
  const result: Result = raw === "success" ? "Success" : raw === "partial" ? "Partial" : "Failure";
  const out: DecodedResponse = { result, additional: {} };
  if (response.ErrorCondition !== undefined && response.ErrorCondition !== null)
    out.errorCondition = String(response.ErrorCondition);
  if (typeof response.AdditionalResponse === "string") {
    out.additionalResponse = response.AdditionalResponse;
    out.additional = decodeAdditionalResponse(response.AdditionalResponse);
  }
  return out;
}

// ---- reading captures out of answers ----------------------------------------------------------

/**
 * How a payment ended. A Failure by its ErrorCondition: Refusal & co. are declines, Cancel/Aborted
 * cancels. Otherwise approved, unless it is a partial approval: nexo's Result `Partial`, or a
 * `Success` of less than was asked (`authorisedMinor` below `askedMinor`, the amount and the tip in
 * minor units). The pay step never takes such a Success as its answer (runtime/nexo/match.ts); a
 * reading that does not match first (`status p`) still never reports it as fully paid.
 */
export function payResultOf(response: DecodedResponse, authorisedMinor?: number, askedMinor?: number): PayResult {
  if (response.result === "Partial") return "partial";
  if (response.result === "Success")
    return authorisedMinor !== undefined && askedMinor !== undefined && authorisedMinor < askedMinor
      ? "partial"
      : "approved";
  const condition = (response.errorCondition ?? "").toLowerCase();
  if (DECLINE_CONDITIONS.has(condition)) return "declined";
  if (CANCEL_CONDITIONS.has(condition)) return "cancelled";
  return "failed";
}

const DECLINE_CONDITIONS = new Set(["refusal", "wrongpin", "invalidcard", "paymentrestriction"]);
const CANCEL_CONDITIONS = new Set(["cancel", "aborted"]);

/**
 * The capture of `pay ... as name` from a PaymentResponse body (or the one inside a status answer).
 * `askedMinor`: the amount asked for, tip included, in minor units of `requestedCurrency`; an
 * approval of less is `partial`.
 */
export function readPayment(
  body: Record<string, unknown>,
  response: DecodedResponse,
  requestedCurrency: string,
  askedMinor?: number,
): PayCapture {
  const poiData = isObject(body.POIData) ? body.POIData : {};
  const poiTransaction = isObject(poiData.POITransactionID) ? poiData.POITransactionID : {};
  const paymentResult = isObject(body.PaymentResult) ? body.PaymentResult : {};
  const amounts = isObject(paymentResult.AmountsResp) ? paymentResult.AmountsResp : {};
  const currency =
    typeof amounts.Currency === "string" && amounts.Currency !== "" ? amounts.Currency : requestedCurrency;
  const minor = (value: unknown): number | undefined =>
    typeof value === "number" || typeof value === "string" ? fromWireAmount(value, currency) : undefined;
  const authorised = minor(amounts.AuthorizedAmount);
  const result = payResultOf(response, authorised, currency === requestedCurrency ? askedMinor : undefined);
  const paid = result === "approved" || result === "partial";
  return {
    result,
    transactionId: typeof poiTransaction.TransactionID === "string" ? poiTransaction.TransactionID : "",
    amount: moneyOf(paid ? (authorised ?? 0) : 0, currency),
    tip: moneyOf(paid ? (minor(amounts.TipAmount) ?? 0) : 0, currency),
    currency,
    declineReason: paid ? "" : (response.additional.refusalReason ?? response.additional.message ?? ""),
    errorCondition: response.result === "Failure" ? (response.errorCondition ?? "") : "",
  };
}

/** What a TransactionStatusResponse says about the request it was asked about. */
export type StatusOutcome =
  | { kind: "done"; bodyName: string; body: Record<string, unknown>; response: DecodedResponse }
  | { kind: "in-progress" }
  | { kind: "not-found" }
  | { kind: "failed"; response: DecodedResponse };

/** Reads a TransactionStatusResponse: the repeated original answer, InProgress, NotFound or another failure. */
export function readTransactionStatus(body: Record<string, unknown>, response: DecodedResponse): StatusOutcome {
  if (response.result !== "Failure") {
    const repeated = isObject(body.RepeatedMessageResponse) ? body.RepeatedMessageResponse : {};
    const bodies = isObject(repeated.RepeatedResponseMessageBody) ? repeated.RepeatedResponseMessageBody : {};
    const name = Object.keys(bodies).find((k) => isObject(bodies[k]));
    if (name) {
      const inner = bodies[name] as Record<string, unknown>;
      const innerResponse = isObject(inner.Response) ? normaliseResponse(inner.Response) : undefined;
      if (innerResponse) return { kind: "done", bodyName: name, body: inner, response: innerResponse };
    }
    return {
      kind: "failed",
      response: {
        result: "Failure",
        errorCondition: "MessageFormat",
        additional: { message: "status answer without the repeated response" },
      },
    };
  }
  const condition = (response.errorCondition ?? "").toLowerCase();
  if (condition === "inprogress") return { kind: "in-progress" };
  if (condition === "notfound") return { kind: "not-found" };
  return { kind: "failed", response };
}

/** The POITransactionID of an answer (a payment's, an acquisition's): what a refund or payment refers to. */
export function poiTransactionOf(
  body: Record<string, unknown>,
): { TransactionID: string; TimeStamp: string } | undefined {
  const poiData = isObject(body.POIData) ? body.POIData : {};
  const id = isObject(poiData.POITransactionID) ? poiData.POITransactionID : {};
  return typeof id.TransactionID === "string" && typeof id.TimeStamp === "string"
    ? { TransactionID: id.TransactionID, TimeStamp: id.TimeStamp }
    : undefined;
}

/**
 * The capture of `refund ... as r`: from a ReversalResponse (ReversedAmount, or the payment's
 * amount for a full refund: `fullMinor`) or the PaymentResponse of an unreferenced refund.
 */
export function readRefund(
  body: Record<string, unknown>,
  response: DecodedResponse,
  currency: string,
  fullMinor: number,
): RefundCapture {
  const approved = response.result !== "Failure";
  const paymentResult = isObject(body.PaymentResult) ? body.PaymentResult : {};
  const amounts = isObject(paymentResult.AmountsResp) ? paymentResult.AmountsResp : {};
  const wire = body.ReversedAmount ?? amounts.AuthorizedAmount;
  const minor =
    typeof wire === "number" || typeof wire === "string" ? (fromWireAmount(wire, currency) ?? fullMinor) : fullMinor;
  return {
    result: approved ? "approved" : response.errorCondition ? "refused" : "failed",
    transactionId: poiTransactionOf(body)?.TransactionID ?? "",
    amount: moneyOf(approved ? minor : 0, currency),
    errorCondition: approved ? "" : (response.errorCondition ?? ""),
    reason: approved ? "" : (response.additional.message ?? response.additional.refusalReason ?? ""),
  };
}

/** The capture of `acquire card as card` from a CardAcquisitionResponse. */
export function readAcquisition(body: Record<string, unknown>, response: DecodedResponse): AcquireCapture {
  const instrument = isObject(body.PaymentInstrumentData) ? body.PaymentInstrumentData : {};
  const card = isObject(instrument.CardData) ? instrument.CardData : {};
  const token = isObject(card.PaymentToken) ? card.PaymentToken : {};
  const brands = Array.isArray(body.PaymentBrand) ? body.PaymentBrand : [];
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  const condition = (response.errorCondition ?? "").toLowerCase();
  const result =
    response.result !== "Failure"
      ? "acquired"
      : CANCEL_CONDITIONS.has(condition)
        ? condition === "aborted"
          ? "timeout"
          : "cancelled"
        : "failed";
  const a = response.additional;
  return {
    result,
    brand: text(card.PaymentBrand) || text(brands[0]) || (a.cardType ?? ""),
    maskedPan: text(card.MaskedPan),
    alias: a.alias ?? "",
    token: text(token.TokenValue) || (a.tokenValue ?? ""),
    shopperReference: a.shopperReference ?? "",
  };
}

/** The capture of `print ... as r`. */
export function readPrint(response: DecodedResponse): PrintCapture {
  return response.result === "Failure"
    ? { result: "failed", errorCondition: response.errorCondition ?? "" }
    : { result: "printed", errorCondition: "" };
}

/** The shopper's answer read as the capture of its kind, or why it cannot be. */
export type InputReading = { ok: true; value: Value } | { ok: false; reason: string; hint?: string };

/**
 * The shopper's answer to an input, as the capture of its kind (capture-fields.ts), read strictly:
 * an answer that is not what the step asked for (`abc` or `1.255` for an amount in EUR, a menu
 * number the menu does not have, a confirmation without its ConfirmedFlag) is a reason to fail the
 * step, never a default value.
 */
export function readInput(
  kind: InputKind,
  body: Record<string, unknown>,
  options: { entries?: readonly string[]; currency?: string } = {},
): InputReading {
  const result = isObject(body.InputResult) ? body.InputResult : {};
  const input = isObject(result.Input) ? result.Input : {};
  switch (kind) {
    case "confirm":
    case "signature":
      return readConfirmation(input.ConfirmedFlag);
    case "digits": {
      const text = scalarText(input.DigitInput) ?? scalarText(input.TextInput);
      if (text === undefined) return { ok: false, reason: "has no DigitInput" };
      return /^[0-9]+$/.test(text)
        ? { ok: true, value: text }
        : { ok: false, reason: `${JSON.stringify(text)} is not digits`, hint: "a digits input answers 0-9 only" };
    }
    case "phone": {
      const text = scalarText(input.DigitInput) ?? scalarText(input.TextInput);
      if (text === undefined) return { ok: false, reason: "has no DigitInput" };
      return /^\+?[0-9][0-9 ]*$/.test(text)
        ? { ok: true, value: text }
        : {
            ok: false,
            reason: `${JSON.stringify(text)} is not a phone number`,
            hint: "a phone number is digits, with an optional leading `+`",
          };
    }
    case "text": {
      const text = scalarText(input.TextInput) ?? scalarText(input.DigitInput);
      return text === undefined ? { ok: false, reason: "has no TextInput" } : { ok: true, value: text };
    }
    case "amount":
      return readAmount(scalarText(input.DigitInput) ?? scalarText(input.TextInput), options.currency);
    case "menu":
      return readMenu(input.MenuEntryNumber, options.entries ?? []);
  }
}

function readConfirmation(flag: unknown): InputReading {
  // Tolerant decoding reads the flag as JSON allows it to come (a boolean, or `"true"` as text); nothing else.
  if (typeof flag === "boolean") return { ok: true, value: flag };
  if (typeof flag === "string" && /^(true|false)$/i.test(flag.trim())) {
    return { ok: true, value: flag.trim().toLowerCase() === "true" };
  }
  return flag === undefined || flag === null
    ? { ok: false, reason: "has no ConfirmedFlag", hint: "a confirmation answers true or false in Input.ConfirmedFlag" }
    : { ok: false, reason: `has ConfirmedFlag ${JSON.stringify(flag)}, which is not true or false` };
}

/** `12.50` (or `12,50`) in `currency`, exactly: no sign, no more decimals than the currency has. */
function readAmount(text: string | undefined, currency: string | undefined): InputReading {
  if (text === undefined) return { ok: false, reason: "has no DigitInput" };
  if (currency === undefined || minorUnitDigits(currency) === undefined) {
    return { ok: false, reason: "cannot be read: the input has no currency", hint: "write `in EUR` after the prompt" };
  }
  const trimmed = text.trim();
  const shown = JSON.stringify(text);
  if (/^-/.test(trimmed)) {
    return { ok: false, reason: `${shown} is negative`, hint: "an amount the shopper enters is zero or more" };
  }
  const cleaned = trimmed.replace(",", ".");
  if (!/^[0-9]+(?:\.[0-9]+)?$/.test(cleaned)) {
    return {
      ok: false,
      reason: `${shown} is not an amount`,
      hint: `an amount is digits with an optional decimal point: \`12.50\``,
    };
  }
  const digits = minorUnitDigits(currency) ?? 2;
  // Leading zeros and zeros beyond the currency's decimals change nothing (`10.00` is 10 JPY).
  const [whole, fraction = ""] = cleaned.replace(/^0+(?=[0-9])/, "").split(".");
  const exact = /^0*$/.test(fraction.slice(digits)) ? fraction.slice(0, digits) : fraction;
  const minor = toMinorUnits(exact === "" ? whole : `${whole}.${exact}`, currency);
  if (minor === undefined) {
    const decimals = cleaned.split(".")[1]?.length ?? 0;
    return decimals > digits
      ? {
          ok: false,
          reason: `${shown} has ${decimals} decimals, but ${currency} has ${digits}`,
          hint: `${currency} amounts have at most ${digits} decimal${digits === 1 ? "" : "s"}`,
        }
      : { ok: false, reason: `${shown} is too large` };
  }
  return { ok: true, value: moneyOf(minor, currency) };
}

/** The chosen entries' texts; a number the menu does not have, or no choice at all, cannot be read. */
function readMenu(value: unknown, entries: readonly string[]): InputReading {
  const chosen = chosenMenuEntries(value, entries.length);
  if (chosen === undefined) {
    return {
      ok: false,
      reason: `chose ${JSON.stringify(value)}, which is not an entry of the menu of ${entries.length}`,
      hint: `a menu answer is an entry number from 1 to ${entries.length} (MenuEntryNumber)`,
    };
  }
  if (chosen.length === 0) return { ok: false, reason: "chose no menu entry", hint: "MenuEntryNumber is missing" };
  return { ok: true, value: chosen.map((i) => entries[i]).join(", ") };
}

/**
 * The 0-based indexes of the chosen menu entries. Terminals send either a per-entry 0/1 mask
 * (`[0, 1]`: the second entry, seen on real devices) or 1-based entry numbers (`[2]`, `2`, the
 * spec's reading). An array as long as the menu holding only 0s and 1s is read as a mask.
 * undefined when a number is not an entry of the menu (or not a whole number).
 */
export function chosenMenuEntries(value: unknown, entryCount: number): number[] | undefined {
  const raw = asArray(value);
  const numbers = raw.map((v) =>
    typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN,
  );
  if (numbers.some((n) => !Number.isInteger(n))) return undefined;
  if (numbers.length === 0) return [];
  const isMask = numbers.length === entryCount && entryCount > 1 && numbers.every((n) => n === 0 || n === 1);
  if (isMask) return numbers.flatMap((n, i) => (n === 1 ? [i] : []));
  if (numbers.some((n) => n < 1 || n > entryCount)) return undefined;
  return numbers.map((n) => n - 1);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

// ---- small JSON helpers ------------------------------------------------------------------------

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function base64JsonOrUndefined(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  const decoded = decodeBase64Json(value);
  return decoded.ok ? decoded.value : undefined;
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine || "(blank)";
}
