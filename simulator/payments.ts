/**
 * Payment outcomes and the PaymentResponse a terminal sends for each: Adyen test-terminal declines by
 * the amount's last three minor digits, realistic approved responses (POITransactionID, AmountsResp,
 * receipt lines) and the failures a shopper, the POS or the platform can cause.
 */
import { encodeAdditionalResponse } from "../protocol/index.js";
import type { ErrorCondition, PaymentReceipt, PaymentRequest, PaymentResponse, Response } from "../protocol/index.js";
import { formatMinorUnits, fromWireAmount, toMinorUnits, toWireAmount } from "../language/index.js";
import type { CardBrand, PaymentOutcome } from "./types.js";

/**
 * What a payment screen asks the shopper to pay, from wire amounts: `25.00 EUR`, or with a tip the
 * total the card is charged with the tip named, `27.50 EUR (incl. tip 2.50 EUR)`. A terminal shows
 * the total it will authorise (the tip is not asked for separately), and the tip shown in it lets a
 * tester see the POS's TipAmount arrived. A wire amount that fits no currency is shown as sent.
 */
export function askedToPay(amount: number, tip: number | undefined, currency: string): string {
  const requested = fromWireAmount(amount, currency);
  const tipMinor = tip === undefined ? 0 : fromWireAmount(tip, currency);
  if (requested === undefined || tipMinor === undefined)
    return `${amount} ${currency}${tip ? ` (incl. tip ${tip} ${currency})` : ""}`;
  const text = (minor: number) => `${formatMinorUnits(minor, currency)} ${currency}`;
  return tipMinor ? `${text(requested + tipMinor)} (incl. tip ${text(tipMinor)})` : text(requested);
}

/** Platform timeouts: a payment without a result is cancelled after this long. */
export const PLATFORM_TIMEOUT_MS = { local: 120_000, cloud: 150_000 } as const;

interface Decline {
  errorCondition: ErrorCondition;
  /** AdditionalResponse `message`, as the V400m sends it. */
  message: string;
  /** AdditionalResponse `refusalReason`: the acquirer's code and text, as the V400m sends it. */
  refusalReason: string;
}

/**
 * Adyen test terminals decline by the last three digits of the amount in minor units. The texts are
 * the ones a V400m sends (docs/simulator.md, "Declines by amount", says where each comes from).
 */
export const DECLINES_BY_MINOR_DIGITS: Readonly<Record<number, Decline>> = {
  124: { errorCondition: "Refusal", message: "NOT_ENOUGH_BALANCE", refusalReason: "210 Not enough balance" },
  125: { errorCondition: "Refusal", message: "BLOCK_CARD", refusalReason: "199 Card blocked" },
  126: { errorCondition: "Refusal", message: "CARD_EXPIRED", refusalReason: "228 Card expired" },
  127: { errorCondition: "Refusal", message: "INVALID_AMOUNT", refusalReason: "214 Declined online" },
  128: { errorCondition: "InvalidCard", message: "INVALID_CARD", refusalReason: "214 Declined online" },
  134: { errorCondition: "WrongPIN", message: "INVALID_PIN", refusalReason: "129 Invalid online PIN" },
};

/**
 * A terminal's own form encoding: `message=BLOCK_CARD&refusalReason=199%20Card%20blocked`, spaces as
 * `%20` (URLSearchParams would write `+`, which a terminal never sends in a decline).
 */
function terminalEncoded(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}

/** The amounts of a (validated) PaymentRequest in minor units. */
export interface PaymentAmounts {
  currency: string;
  requested: number;
  tip: number;
  cashBack: number;
}

export function amountsOf(request: PaymentRequest): PaymentAmounts {
  const a = request.PaymentTransaction.AmountsReq;
  const minor = (v: number | undefined) => (v === undefined ? 0 : (fromWireAmount(v, a.Currency) ?? 0));
  return {
    currency: a.Currency,
    requested: minor(a.RequestedAmount),
    tip: minor(a.TipAmount),
    cashBack: minor(a.CashBackAmount),
  };
}

/** The outcome when nothing was scripted: a decline by amount, else approved. */
export function outcomeByAmount(amounts: PaymentAmounts): PaymentOutcome {
  const decline = DECLINES_BY_MINOR_DIGITS[amounts.requested % 1000];
  return decline
    ? { outcome: "decline", errorCondition: decline.errorCondition, reason: decline.refusalReason }
    : { outcome: "approve" };
}

/** An unreferenced refund: PaymentData.PaymentType Refund. */
export function isRefund(request: PaymentRequest): boolean {
  return request.PaymentData?.PaymentType === "Refund";
}

/** A pre-authorisation: `authorisationType=PreAuth` in SaleToAcquirerData. */
function isPreAuth(request: PaymentRequest): boolean {
  const data = request.SaleData.SaleToAcquirerData;
  return typeof data === "string" && /(^|&)authorisationType=PreAuth(&|$)/.test(data);
}

/** How a payment ended, ready to become a PaymentResponse. */
export type PaymentEnd = PaymentOutcome | { outcome: "aborted" };

/** A payment end with a partial approval's amount read: what the answer is written from. */
type Ended = Exclude<PaymentEnd, { outcome: "partial" }> | { outcome: "partial"; minor: number; brand?: CardBrand };

/**
 * A scripted partial approval in the payment's currency: less than asked is a partial approval of
 * that much; as much as asked or more is an approval; nothing, or an amount the currency cannot
 * hold, is a decline (the card had nothing to give).
 */
function readPartial(end: PaymentEnd, amounts: PaymentAmounts): Ended {
  if (end.outcome !== "partial") return end;
  const minor = toMinorUnits(end.authorised.trim(), amounts.currency);
  const brand = end.brand ? { brand: end.brand } : {};
  if (minor === undefined || minor <= 0) {
    const balance = DECLINES_BY_MINOR_DIGITS[124];
    return { outcome: "decline", errorCondition: balance.errorCondition, reason: balance.refusalReason, ...brand };
  }
  if (minor >= amounts.requested + amounts.tip) return { outcome: "approve", ...brand };
  return { outcome: "partial", minor, ...brand };
}

export interface PaymentContext {
  request: PaymentRequest;
  amounts: PaymentAmounts;
  poiid: string;
  /** Clock time of completion, ms. */
  now: number;
  /** A counter unique per terminal, for references. */
  sequence: number;
  /** The card presented; default `mc`. */
  brand?: CardBrand;
}

interface Card {
  brand: CardBrand;
  maskedPan: string;
  summary: string;
  country: string;
}

/** The test cards a shopper can present, one per brand (Adyen's test card number ranges). */
export const CARDS: Readonly<Record<CardBrand, Card>> = {
  mc: { brand: "mc", maskedPan: "541333 **** 9999", summary: "9999", country: "826" },
  visa: { brand: "visa", maskedPan: "411111 **** 1111", summary: "1111", country: "528" },
  amex: { brand: "amex", maskedPan: "370000 ***** 0002", summary: "0002", country: "840" },
  maestro: { brand: "maestro", maskedPan: "679999 **** 0019", summary: "0019", country: "826" },
};

/** PaymentInstrumentData of a card read contactless, as payment and card acquisition answers carry it. */
export function cardInstrument(card: Card, token?: { TokenRequestedType: string; TokenValue: string }) {
  return {
    PaymentInstrumentType: "Card",
    CardData: {
      PaymentBrand: card.brand,
      MaskedPan: card.maskedPan,
      EntryMode: ["Contactless"],
      CardCountryCode: card.country,
      ...(token ? { PaymentToken: token } : {}),
    },
  };
}

/** A PSP-reference-like 16-character id, stable for a terminal, time and sequence. */
function pspReference(ctx: PaymentContext): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let seed = BigInt(ctx.now) * 1000n + BigInt(ctx.sequence);
  for (const ch of ctx.poiid) seed = (seed * 31n + BigInt(ch.charCodeAt(0))) % 2n ** 80n;
  let out = "";
  for (let i = 0; i < 16; i++) {
    out += alphabet[Number(seed % 32n)];
    seed = seed / 32n + BigInt(i * 7919);
  }
  return out;
}

function failure(errorCondition: ErrorCondition, fields: Record<string, string>): Response {
  return { Result: "Failure", ErrorCondition: errorCondition, AdditionalResponse: encodeAdditionalResponse(fields) };
}

function responseFor(end: Ended, ctx: PaymentContext, psp: string): Response {
  const card = CARDS[ctx.brand ?? "mc"];
  switch (end.outcome) {
    case "approve":
    case "partial": {
      const total = end.outcome === "partial" ? end.minor : ctx.amounts.requested + ctx.amounts.tip;
      return {
        // nexo's Result for an approval of less than asked; AuthorizedAmount says how much.
        Result: end.outcome === "partial" ? "Partial" : "Success",
        AdditionalResponse: encodeAdditionalResponse({
          tid: ctx.poiid.split("-")[1] ?? ctx.poiid,
          // A refund is a REFUND, as a terminal reports it; anything else sells goods or services.
          transactionType: isRefund(ctx.request) ? "REFUND" : "GOODS_SERVICES",
          ...(isPreAuth(ctx.request) ? { authorisationType: "PreAuth" } : {}),
          pspReference: psp,
          authCode: "123456",
          cardType: card.brand,
          paymentMethod: card.brand,
          cardSummary: card.summary,
          posEntryMode: "CLESS_CHIP",
          authorisedAmountValue: total,
          authorisedAmountCurrency: ctx.amounts.currency,
          "posadditionalamounts.originalAmountValue": ctx.amounts.requested,
          "posadditionalamounts.originalAmountCurrency": ctx.amounts.currency,
          merchantReference: ctx.request.SaleData.SaleTransactionID.TransactionID,
        }),
      };
    }
    case "decline": {
      const errorCondition = end.errorCondition ?? "Refusal";
      const known = Object.values(DECLINES_BY_MINOR_DIGITS).find(
        (d) => d.refusalReason === end.reason && d.errorCondition === errorCondition,
      );
      // Exactly the two fields a V400m sends with a decline, in its order.
      return {
        Result: "Failure",
        ErrorCondition: errorCondition,
        AdditionalResponse: terminalEncoded({
          message: known?.message ?? "DECLINED",
          refusalReason: end.reason ?? "Refused",
        }),
      };
    }
    case "cancel":
      return failure("Cancel", { message: "CANCELLED", refusalReason: "108 Shopper cancelled tx" });
    case "cardRemoved":
      return failure("Cancel", { message: "CANCELLED", refusalReason: "card removed" });
    case "aborted":
      return failure("Aborted", { message: "104 Merchant cancelled tx", refusalReason: "104 Merchant cancelled tx" });
    case "noAnswer":
      // Adyen documents this value although the spec's ErrorCondition enum does not list it.
      return failure("Communication timeout", {
        message: "Communication timeout",
        refusalReason: "Processing timeout",
      });
  }
}

function receiptLine(name: string, value: string, key: string): { Text: string } {
  return { Text: encodeAdditionalResponse({ name, value, key }) };
}

/** The receipts of a payment whose card was read; `authorisedMinor` when approved (in full or in part). */
function receipts(ctx: PaymentContext, psp: string, authorisedMinor: number | undefined): PaymentReceipt[] {
  const card = CARDS[ctx.brand ?? "mc"];
  const when = new Date(ctx.now);
  const date = `${String(when.getUTCDate()).padStart(2, "0")}/${String(when.getUTCMonth() + 1).padStart(2, "0")}/${String(when.getUTCFullYear()).slice(2)}`;
  const time = when.toISOString().slice(11, 19);
  const approved = authorisedMinor !== undefined;
  const total = formatMinorUnits(authorisedMinor ?? ctx.amounts.requested + ctx.amounts.tip, ctx.amounts.currency);
  const lines = (copy: string) => [
    receiptLine("", "termflow simulator", "header1"),
    receiptLine("Date", date, "txdate"),
    receiptLine("Time", time, "txtime"),
    receiptLine("Card", `**** **** **** ${card.summary}`, "pan"),
    receiptLine("PAN seq.", "01", "panSeq"),
    receiptLine("Terminal", ctx.poiid, "tid"),
    receiptLine("Tx. Ref", psp, "txRef"),
    receiptLine("Total", `${ctx.amounts.currency} ${total}`, "totalAmount"),
    receiptLine("", approved ? "APPROVED" : "DECLINED", "approved"),
    receiptLine("", copy, "copy"),
  ];
  return [
    {
      DocumentQualifier: "CashierReceipt",
      RequiredSignatureFlag: false,
      OutputContent: { OutputFormat: "Text", OutputText: lines("Merchant copy") },
    },
    {
      DocumentQualifier: "CustomerReceipt",
      RequiredSignatureFlag: false,
      OutputContent: { OutputFormat: "Text", OutputText: lines("Cardholder copy") },
    },
  ];
}

/** The PaymentResponse body for a payment that ended this way. */
export function paymentResponse(scripted: PaymentEnd, ctx: PaymentContext): PaymentResponse {
  const end = readPartial(scripted, ctx.amounts);
  const psp = pspReference(ctx);
  const timeStamp = new Date(ctx.now).toISOString();
  const approved = end.outcome === "approve" || end.outcome === "partial";
  const cardRead = approved || end.outcome === "decline";
  const authorisedMinor =
    end.outcome === "partial" ? end.minor : approved ? ctx.amounts.requested + ctx.amounts.tip : undefined;
  const { SaleTransactionID, SaleReferenceID } = ctx.request.SaleData;
  const body: PaymentResponse = {
    Response: responseFor(end, ctx, psp),
    SaleData: { SaleTransactionID, ...(SaleReferenceID !== undefined ? { SaleReferenceID } : {}) },
    POIData: { POITransactionID: { TransactionID: `${psp.slice(0, 4)}${ctx.now}.${psp}`, TimeStamp: timeStamp } },
  };
  if (approved) {
    // Real terminals send POIReconciliationID as a string although the spec says integer.
    body.POIData.POIReconciliationID = "1000";
  }
  if (cardRead) {
    const card = CARDS[ctx.brand ?? "mc"];
    const c = ctx.amounts.currency;
    body.PaymentResult = {
      // The answer repeats the PaymentType asked for (Refund), Normal when none was.
      PaymentType:
        typeof ctx.request.PaymentData?.PaymentType === "string" ? ctx.request.PaymentData.PaymentType : "Normal",
      PaymentInstrumentData: cardInstrument(card),
      OnlineFlag: true,
      CustomerLanguage: "en",
    };
    if (authorisedMinor !== undefined) {
      // A partial approval covers the bill first: the tip is what it authorised beyond the bill.
      const tip = Math.min(ctx.amounts.tip, Math.max(0, authorisedMinor - ctx.amounts.requested));
      body.PaymentResult.AmountsResp = {
        Currency: c,
        AuthorizedAmount: toWireAmount(authorisedMinor, c),
        ...(tip ? { TipAmount: toWireAmount(tip, c) } : {}),
        ...(ctx.amounts.cashBack ? { CashBackAmount: toWireAmount(ctx.amounts.cashBack, c) } : {}),
      };
      body.PaymentResult.PaymentAcquirerData = {
        AcquirerPOIID: ctx.poiid,
        AcquirerTransactionID: { TransactionID: psp, TimeStamp: timeStamp },
        ApprovalCode: "123456",
        MerchantID: "TestMerchantAccount",
      };
    }
    body.PaymentReceipt = receipts(ctx, psp, authorisedMinor);
  }
  return body;
}
