/**
 * `node --expose-gc --import <this file> ...` writes the process's memory as one JSON line to file
 * descriptor 3 every TERMFLOW_MEMORY_SAMPLE_MS ms, every TERMFLOW_MEMORY_GC_EVERY-th one after a full
 * garbage collection (so what the process keeps is told apart from garbage not yet collected). The
 * soak reads `termflow sim`'s heap this way: /proc only knows its resident memory.
 */
import { writeSync } from "node:fs";

export interface MemorySample {
  /** ms since the epoch */
  at: number;
  /** MB */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** Taken right after a full garbage collection. */
  gc: boolean;
}

const periodMs = Number(process.env.TERMFLOW_MEMORY_SAMPLE_MS);
const gcEvery = Number(process.env.TERMFLOW_MEMORY_GC_EVERY ?? 0);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** One sample now (after a full collection when asked and possible). */
export function sampleMemory(collect: boolean): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect && gc) gc();
  const m = process.memoryUsage();
  return {
    at: Date.now(),
    rss: mb(m.rss),
    heapUsed: mb(m.heapUsed),
    heapTotal: mb(m.heapTotal),
    external: mb(m.external),
    gc: collect && gc !== undefined,
  };
}

if (periodMs > 0) {
  let n = 0;
  const timer = setInterval(() => {
    n++;
    try {
      writeSync(3, `${JSON.stringify(sampleMemory(gcEvery > 0 && n % gcEvery === 0))}\n`);
    } catch (error) {
      // A full pipe skips a sample; fd 3 not open (nobody asked) or closed (the reader went away) stops.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") clearInterval(timer);
    }
  }, periodMs);
  // The sampler never keeps a process alive.
  timer.unref();
}
