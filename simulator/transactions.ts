/**
 * What a terminal remembers of its payments and reversals (48 hours, as long as the simulator's
 * memory budget holds them: the oldest go first), so a TransactionStatusRequest can answer
 * InProgress, the repeated response, or NotFound. Lookups go through indexes, never a scan.
 */
import type { MessageReference } from "../protocol/index.js";
import { type ByteBudget, KeptList, type Kept, OBJECT_BYTES, stringBytes } from "./history.js";

type Json = Record<string, unknown>;

const MEMORY_MS = 48 * 3600_000;

export interface Transaction {
  category: "Payment" | "Reversal";
  saleId: string;
  serviceId?: string;
  startedAt: number;
  poiTransactionId?: string;
  approved?: boolean;
  /** An approved payment: its currency, what was authorised and what reversals gave back (minor units). */
  currency?: string;
  authorisedMinor?: number;
  refundedMinor?: number;
}

/** A finished transaction: its whole answer as sent (`{"SaleToPOIResponse": ...}`), as text. */
interface Done extends Kept {
  tx: Transaction;
  answer: string;
}

/** The status of a referenced transaction, as a TransactionStatusResponse body or a failure. */
export type StatusLookup =
  | { kind: "found"; body: Json }
  | { kind: "failure"; errorCondition: "NotFound" | "InProgress"; message: string };

const serviceKey = (category: string, saleId: string, serviceId: string) =>
  `${category}\u0000${saleId}\u0000${serviceId}`;

export class TransactionBook {
  /** The payment in progress (one dialogue at a time: at most one). */
  private running: Transaction | undefined;
  private readonly done: KeptList<Done>;
  private readonly byService = new Map<string, Done>();
  private readonly byPoiTransactionId = new Map<string, Done>();
  /** The newest finished transaction of each category, and of either ("any"). */
  private readonly newest = new Map<string, Done>();

  constructor(
    private readonly now: () => number,
    budget: ByteBudget,
  ) {
    this.done = new KeptList(budget, (d) => this.unindex(d));
  }

  /** A payment starts: a status request finds it InProgress. */
  start(tx: Transaction): void {
    this.running = tx;
  }

  /** A transaction ends with `answer`, the text of the whole response message it was answered. */
  finish(tx: Transaction, answer: string): void {
    if (this.running === tx) this.running = undefined;
    const done: Done = { tx, answer, bytes: stringBytes(answer) + OBJECT_BYTES * 2 };
    if (tx.serviceId !== undefined) this.byService.set(serviceKey(tx.category, tx.saleId, tx.serviceId), done);
    if (tx.poiTransactionId !== undefined) this.byPoiTransactionId.set(tx.poiTransactionId, done);
    this.newest.set(tx.category, done);
    this.newest.set("any", done);
    this.done.add(done);
  }

  /** The payment with this POITransactionID, if this terminal made it and still remembers it. */
  payment(poiTransactionId: string | undefined): Transaction | undefined {
    const done = poiTransactionId === undefined ? undefined : this.byPoiTransactionId.get(poiTransactionId);
    return done?.tx.category === "Payment" ? done.tx : undefined;
  }

  clear(): void {
    this.running = undefined;
    this.done.clear();
    this.byService.clear();
    this.byPoiTransactionId.clear();
    this.newest.clear();
  }

  /** Looks up `ref` (SaleID defaults to the asking request's; no ServiceID = the last transaction). */
  status(ref: MessageReference, askingSaleId: string, poiid: string): StatusLookup {
    const saleId = ref.SaleID ?? askingSaleId;
    const category = ref.MessageCategory;
    const found = this.find(category, saleId, ref.ServiceID);
    const what =
      ref.ServiceID === undefined ? "the last transaction" : `ServiceID ${ref.ServiceID} of SaleID ${saleId}`;
    const tx = found === undefined ? undefined : "answer" in found ? found.tx : found;
    if (!tx || this.now() - tx.startedAt >= MEMORY_MS) {
      return {
        kind: "failure",
        errorCondition: "NotFound",
        message: `No ${category ?? "Payment or Reversal"} transaction found for ${what}`,
      };
    }
    if (!found || !("answer" in found))
      return {
        kind: "failure",
        errorCondition: "InProgress",
        message: `The transaction for ${what} is in progress; ask again later`,
      };
    const response = (JSON.parse(found.answer) as { SaleToPOIResponse: Json }).SaleToPOIResponse;
    const { MessageHeader: originalHeader, ...originalBody } = response;
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

  /** The newest transaction that matches: the running one, else a finished one. */
  private find(
    category: string | undefined,
    saleId: string,
    serviceId: string | undefined,
  ): Transaction | Done | undefined {
    const fits = (tx: Transaction) =>
      (category === undefined || tx.category === category) &&
      (serviceId === undefined || (tx.serviceId === serviceId && tx.saleId === saleId));
    if (this.running && fits(this.running)) return this.running;
    if (serviceId === undefined) return this.newest.get(category ?? "any");
    const [payment, reversal] = (["Payment", "Reversal"] as const).map((c) =>
      category === undefined || category === c ? this.byService.get(serviceKey(c, saleId, serviceId)) : undefined,
    );
    if (payment && reversal) return payment.tx.startedAt > reversal.tx.startedAt ? payment : reversal;
    return payment ?? reversal;
  }

  /** The budget forgot `done`, the oldest: no index may point at it any more. */
  private unindex(done: Done): void {
    const { tx } = done;
    for (const key of [tx.category, "any"]) if (this.newest.get(key) === done) this.newest.delete(key);
    if (tx.serviceId !== undefined) {
      const key = serviceKey(tx.category, tx.saleId, tx.serviceId);
      if (this.byService.get(key) === done) this.byService.delete(key);
    }
    if (tx.poiTransactionId !== undefined && this.byPoiTransactionId.get(tx.poiTransactionId) === done)
      this.byPoiTransactionId.delete(tx.poiTransactionId);
  }
}
