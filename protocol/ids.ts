/**
 * Identifiers the runtime makes up: ServiceIDs (1-10 alphanumerics, unique per POIID within 48 h),
 * our transaction references and waiting-screen session ids. Random by default; from a seed when
 * output must be reproducible (golden `--dry-run` files, tests).
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ID_LENGTH = 10;
// Enough to make a repeat within one process impossible in practice, bounded for long-lived POS apps.
const REMEMBERED_PER_POIID = 10_000;

/** Where a run gets its identifiers from. */
export interface IdSource {
  /** A fresh ServiceID for a request to `poiid`: never one this source already gave for that POIID. */
  serviceId(poiid: string): string;
  /** A SaleTransactionID.TransactionID for a payment without `ref`. */
  transactionId(): string;
  /** A session Id for a `session` block without `id`. */
  sessionId(): string;
}

export interface IdSourceOptions {
  /**
   * Makes every id a function of the seed and the order of calls. For reproducible output only: two
   * seeded runs against one real terminal within 48 h would reuse ServiceIDs, which it refuses.
   */
  seed?: number | string;
}

/** 10 alphanumerics from a random or seeded stream. */
export function createIdSource(options: IdSourceOptions = {}): IdSource {
  const next = options.seed === undefined ? randomIndex : seededIndex(options.seed);
  // One string an id (appending a character at a time made ten).
  const codes = new Array<number>(ID_LENGTH);
  const make = (): string => {
    for (let i = 0; i < ID_LENGTH; i++) codes[i] = ALPHABET.charCodeAt(next());
    return String.fromCharCode(...codes);
  };
  const used = new Map<string, Set<string>>();
  return {
    serviceId(poiid) {
      let seen = used.get(poiid);
      if (!seen) {
        seen = new Set();
        used.set(poiid, seen);
      }
      let id = make();
      while (seen.has(id)) id = make();
      if (seen.size >= REMEMBERED_PER_POIID) seen.delete(seen.values().next().value as string);
      seen.add(id);
      return id;
    },
    transactionId: make,
    sessionId: make,
  };
}

/** True for a valid ServiceID as docs/protocol.md defines it. */
export function isServiceId(value: string): boolean {
  return /^[A-Za-z0-9]{1,10}$/.test(value);
}

// Rejection sampling keeps the 62 characters equally likely.
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomIndex(): number {
  for (;;) {
    if (poolAt >= pool.length) {
      pool = randomBytes(256);
      poolAt = 0;
    }
    const byte = pool[poolAt++];
    if (byte < 248) return byte % ALPHABET.length;
  }
}

/** mulberry32 on a 32-bit hash of the seed: tiny, fast and stable across Node versions. */
function seededIndex(seed: number | string): () => number {
  let state = hashSeed(String(seed));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(value * ALPHABET.length);
  };
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
