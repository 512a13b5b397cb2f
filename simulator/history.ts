/**
 * What a simulator keeps, bounded by bytes: one budget shared by every terminal, oldest first out.
 * Each terminal keeps its things in lists (request log, timeline, remembered transactions and
 * ServiceIDs); every item also stands in its budget's queue, in the order it was kept, so the
 * oldest item of the whole simulator goes first when the budget is full, in O(1).
 */
import Denque from "denque";

/** One kept thing: its size, counted in its budget until it goes. */
export interface Kept {
  bytes: number;
  /** The list that keeps it (set when kept: only then is it counted). */
  list?: KeptList<Kept>;
  /** Forgotten (the budget was full) or dropped (its list was cleared): no longer counted. */
  gone?: boolean;
}

/** The bytes a simulator may keep, and the queue of everything it keeps, oldest first. */
export class ByteBudget {
  private queue = new Denque<Kept>();
  private used = 0;
  /** Items still queued although dropped; the queue is compacted when they are many. */
  private husks = 0;

  constructor(readonly limit: number) {}

  get usedBytes(): number {
    return this.used;
  }

  keep(item: Kept): void {
    this.queue.push(item);
    this.used += item.bytes;
    this.trim();
  }

  /** `item` got bigger (a request's answer arrived). */
  grow(item: Kept, bytes: number): void {
    if (item.list === undefined || item.gone) return;
    item.bytes += bytes;
    this.used += bytes;
    this.trim();
  }

  /** Its list let `item` go: it is no longer counted. */
  drop(item: Kept): void {
    if (item.gone) return;
    item.gone = true;
    this.used -= item.bytes;
    this.husks++;
    if (this.husks > 1024 && this.husks * 2 > this.queue.length) {
      this.queue = new Denque(this.queue.toArray().filter((item) => !item.gone));
      this.husks = 0;
    }
  }

  private trim(): void {
    while (this.used > this.limit) {
      const oldest = this.queue.shift();
      if (!oldest) return;
      if (oldest.gone) {
        this.husks--;
        continue;
      }
      oldest.gone = true;
      this.used -= oldest.bytes;
      oldest.list?.forgetOldest(oldest);
    }
  }
}

/** One terminal's list of one kind of thing, oldest first, counted in a budget. */
export class KeptList<T extends Kept> {
  private readonly items = new Denque<T>();

  constructor(
    private readonly budget: ByteBudget,
    /** Told of each item the budget forgets (to drop it from an index too). */
    private readonly onForget: (item: T) => void = () => {},
  ) {}

  get length(): number {
    return this.items.length;
  }

  add(item: T): void {
    item.list = this as unknown as KeptList<Kept>;
    this.items.push(item);
    this.budget.keep(item);
  }

  grow(item: T, bytes: number): void {
    this.budget.grow(item, bytes);
  }

  /** The budget forgets `item`, the oldest of this list (lists and budget keep the same order). */
  forgetOldest(item: Kept): void {
    if (this.items.peekFront() === item) this.items.shift();
    this.onForget(item as T);
  }

  toArray(): T[] {
    return this.items.toArray();
  }

  clear(): void {
    for (const item of this.items.toArray()) this.budget.drop(item);
    this.items.clear();
  }
}

/**
 * What a string costs in memory: V8 stores a string one byte a character when every character is
 * Latin-1, else two. Buffer.byteLength equals the length exactly when every character is ASCII.
 */
export function stringBytes(text: string): number {
  return isOneByteText(text) ? text.length : text.length * 2;
}

/** True when `text` is ASCII: its UTF-8 is one byte a character (what stringBytes counts as one byte). */
export function isOneByteText(text: string): boolean {
  return Buffer.byteLength(text) === text.length;
}

/** A fixed cost for an object and its small fields (numbers, short names), besides its strings. */
export const OBJECT_BYTES = 160;

/** The bytes of a small JSON-like value: its strings, and a fixed cost per object (depth-limited). */
export function valueBytes(value: unknown, depth = 4): number {
  if (typeof value === "string") return stringBytes(value);
  if (typeof value !== "object" || value === null || depth === 0) return 8;
  let total = OBJECT_BYTES;
  if (Array.isArray(value)) for (const v of value) total += valueBytes(v, depth - 1);
  else for (const key in value) total += valueBytes((value as Record<string, unknown>)[key], depth - 1);
  return total;
}
