/**
 * Card acquisition as a terminal answers it: the card read before the amount is final (brand,
 * masked PAN, the card's alias and, when the POS asks for one, the shopper's token), held until a
 * PaymentRequest continues it (PaymentData.CardAcquisitionReference) or an EnableServiceRequest
 * AbortTransaction releases it.
 */
import { encodeAdditionalResponse, type CardAcquisitionRequest } from "../protocol/index.js";
import { CARDS, cardInstrument } from "./payments.js";
import { failure, failureBody } from "./replies.js";
import type { CardBrand } from "./types.js";

type Json = Record<string, unknown>;

/** The card a terminal holds after an acquisition, until a payment continues it or it is released. */
export interface HeldCard {
  /** The acquisition's POITransactionID.TransactionID: what the payment must refer to. */
  poiTransactionId: string;
  brand: CardBrand;
}

/** How an acquisition ended. */
export type AcquisitionEnd =
  | { outcome: "read"; brand: CardBrand }
  | { outcome: "cancel" }
  | { outcome: "aborted" }
  | { outcome: "noAnswer" };

/** The same card gives the same alias, as a terminal's alias is stable per card (loyalty). */
export function aliasOf(brand: CardBrand): string {
  return `A${CARDS[brand].maskedPan.replace(/[^0-9]/g, "")}${brand.length}`;
}

/** A shopper token of one card, stable like its alias. */
function tokenOf(brand: CardBrand): string {
  return `TK${CARDS[brand].summary}${brand.toUpperCase()}`;
}

/** The CardAcquisitionResponse body of an acquisition that ended this way, and the card now held. */
export function acquisitionResponse(
  end: AcquisitionEnd,
  request: CardAcquisitionRequest,
  now: number,
  id: string,
): { body: Json; held?: HeldCard } {
  const timeStamp = new Date(now).toISOString();
  if (end.outcome !== "read") {
    const response =
      end.outcome === "cancel"
        ? failure("Cancel", { message: "CANCELLED", refusalReason: "108 Shopper cancelled tx" })
        : end.outcome === "aborted"
          ? failure("Aborted", { message: "104 Merchant cancelled tx" })
          : failure("Communication timeout", { message: "Communication timeout" });
    return { body: failureBody("CardAcquisitionRequest", request as unknown as Json, response, now) };
  }
  const card = CARDS[end.brand];
  const tokenType = request.SaleData.TokenRequestedType;
  const body: Json = {
    Response: {
      Result: "Success",
      AdditionalResponse: encodeAdditionalResponse({
        alias: aliasOf(end.brand),
        aliasType: "Default",
        cardType: card.brand,
        paymentMethod: card.brand,
        cardSummary: card.summary,
        ...(tokenType ? { tokenValue: tokenOf(end.brand), shopperReference: `shopper-${card.summary}` } : {}),
      }),
    },
    SaleData: { SaleTransactionID: request.SaleData.SaleTransactionID },
    POIData: { POITransactionID: { TransactionID: id, TimeStamp: timeStamp } },
    PaymentBrand: [card.brand],
    PaymentInstrumentData: cardInstrument(
      card,
      tokenType ? { TokenRequestedType: tokenType, TokenValue: tokenOf(end.brand) } : undefined,
    ),
  };
  return { body, held: { poiTransactionId: id, brand: end.brand } };
}
