/**
 * The ServiceIDs a terminal has seen, per SaleID, for 48 hours (as long as the simulator's memory
 * budget holds them: the oldest go first). A claim is one map lookup, whatever the number seen.
 */
import { type ByteBudget, KeptList, type Kept, OBJECT_BYTES, stringBytes } from "./history.js";

const MEMORY_MS = 48 * 3600_000;

interface Seen extends Kept {
  key: string;
  at: number;
}

export class ServiceIdMemory {
  private readonly seen = new Map<string, Seen>();
  private readonly list: KeptList<Seen>;

  constructor(budget: ByteBudget) {
    this.list = new KeptList(budget, (s) => {
      if (this.seen.get(s.key) === s) this.seen.delete(s.key);
    });
  }

  /** True when the pair is fresh (and now taken); false when seen within 48 hours. */
  claim(saleId: string, serviceId: string, now: number): boolean {
    const key = `${saleId}\u0000${serviceId}`;
    const before = this.seen.get(key);
    if (before !== undefined && now - before.at < MEMORY_MS) return false;
    const seen: Seen = { key, at: now, bytes: stringBytes(key) + OBJECT_BYTES };
    this.seen.set(key, seen);
    this.list.add(seen);
    return true;
  }

  clear(): void {
    this.list.clear();
    this.seen.clear();
  }
}
