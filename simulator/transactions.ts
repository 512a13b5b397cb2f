/**
 * What a terminal remembers of its payments and reversals (48 hours), so a TransactionStatusRequest
 * can answer InProgress, the repeated response, or NotFound.
 */
import type { MessageReference } from "../protocol/index.js";

type Json = Record<string, unknown>;

const MEMORY_MS = 48 * 3600_000;
const MAX_REMEMBERED = 10_000;

export interface Transaction {
  category: "Payment" | "Reversal";
  saleId: string;
  serviceId?: string;
  startedAt: number;
  running: boolean;
  /** `{MessageHeader, PaymentResponse|ReversalResponse}` once done. */
  response?: Json;
  poiTransactionId?: string;
  approved?: boolean;
}

/** The status of a referenced transaction, as a TransactionStatusResponse body or a failure. */
export type StatusLookup =
  | { kind: "found"; body: Json }
  | { kind: "failure"; errorCondition: "NotFound" | "InProgress"; message: string };

export class TransactionBook {
  private transactions: Transaction[] = [];

  constructor(private readonly now: () => number) {}

  remember(tx: Transaction): void {
    const now = this.now();
    this.transactions = this.transactions.filter((t) => t.running || now - t.startedAt < MEMORY_MS);
    this.transactions.push(tx);
    while (this.transactions.length > MAX_REMEMBERED) {
      const oldestDone = this.transactions.findIndex((t) => !t.running);
      if (oldestDone < 0) break;
      this.transactions.splice(oldestDone, 1);
    }
  }

  /** The payment with this POITransactionID, if this terminal made it. */
  payment(poiTransactionId: string | undefined): Transaction | undefined {
    return this.transactions.find((t) => t.category === "Payment" && t.poiTransactionId === poiTransactionId);
  }

  clear(): void {
    this.transactions = [];
  }

  /** Looks up `ref` (SaleID defaults to the asking request's; no ServiceID = the last transaction). */
  status(ref: MessageReference, askingSaleId: string, poiid: string): StatusLookup {
    const saleId = ref.SaleID ?? askingSaleId;
    const category = ref.MessageCategory;
    const candidates = this.transactions.filter((t) => category === undefined || t.category === category);
    const tx =
      ref.ServiceID === undefined
        ? candidates[candidates.length - 1]
        : candidates.find((t) => t.serviceId === ref.ServiceID && t.saleId === saleId);
    const what =
      ref.ServiceID === undefined ? "the last transaction" : `ServiceID ${ref.ServiceID} of SaleID ${saleId}`;
    if (!tx || this.now() - tx.startedAt >= MEMORY_MS) {
      return {
        kind: "failure",
        errorCondition: "NotFound",
        message: `No ${category ?? "Payment or Reversal"} transaction found for ${what}`,
      };
    }
    if (tx.running)
      return {
        kind: "failure",
        errorCondition: "InProgress",
        message: `The transaction for ${what} is in progress; ask again later`,
      };
    const { MessageHeader: originalHeader, ...originalBody } = tx.response!;
    return {
      kind: "found",
      body: {
        Response: { Result: "Success" },
        MessageReference: {
          MessageCategory: tx.category,
          SaleID: tx.saleId,
          ...(tx.serviceId !== undefined ? { ServiceID: tx.serviceId } : {}),
          POIID: poiid,
        },
        RepeatedMessageResponse: { MessageHeader: originalHeader, RepeatedResponseMessageBody: originalBody },
      },
    };
  }
}
