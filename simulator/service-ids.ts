/**
 * The ServiceIDs a terminal has seen, per SaleID, for 48 hours (as long as the simulator's memory
 * budget holds them: the oldest go first). A claim is one map lookup, whatever the number seen.
 */
import { type ByteBudget, isOneByteText, KeptList, type Kept, OBJECT_BYTES } from "./history.js";

const MEMORY_MS = 48 * 3600_000;

interface Seen extends Kept {
  saleId: string;
  serviceId: string;
  at: number;
}

export class ServiceIdMemory {
  /**
   * SaleID, then ServiceID: both strings are the request's own, so a claim makes no key of its own
   * (a joined key cost a string, and its hash, a request).
   */
  private readonly seen = new Map<string, Map<string, Seen>>();
  private readonly list: KeptList<Seen>;

  constructor(budget: ByteBudget) {
    this.list = new KeptList(budget, (s) => {
      const bySale = this.seen.get(s.saleId);
      if (bySale?.get(s.serviceId) !== s) return;
      bySale.delete(s.serviceId);
      if (bySale.size === 0) this.seen.delete(s.saleId);
    });
  }

  /** True when the pair is fresh (and now taken); false when seen within 48 hours. */
  claim(saleId: string, serviceId: string, now: number): boolean {
    let bySale = this.seen.get(saleId);
    const before = bySale?.get(serviceId);
    if (before !== undefined && now - before.at < MEMORY_MS) return false;
    if (bySale === undefined) {
      bySale = new Map();
      this.seen.set(saleId, bySale);
    }
    // Counted as the pair joined by one character, as it was kept before (the budget's figures stay the same).
    const length = saleId.length + 1 + serviceId.length;
    const bytes = (isOneByteText(saleId) && isOneByteText(serviceId) ? length : length * 2) + OBJECT_BYTES;
    const seen: Seen = { saleId, serviceId, at: now, bytes };
    bySale.set(serviceId, seen);
    this.list.add(seen);
    return true;
  }

  clear(): void {
    this.list.clear();
    this.seen.clear();
  }
}
