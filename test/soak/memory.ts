/**
 * Memory over a soak, from samples taken every second (every tenth after a full garbage collection):
 * start, peak and end, and the slope over the second half of the run, when whatever fills up at
 * first (the simulator's history budget, the JIT, connection pools) has filled, while the load still
 * runs. Flat means the heap that survives a collection does not keep growing.
 */
import type { MemorySample } from "../support/memory-sampler.js";

export interface MemoryFigures {
  samples: number;
  /** MB: resident memory, from every sample. */
  rss: { start: number; peak: number; end: number; slopePerMin: number };
  /** MB: heap used after a full collection (every sample when none was taken after one). */
  heap: { start: number; peak: number; end: number; slopePerMin: number };
}

/** Least-squares slope of `y` over time, in MB a minute. */
export function slopePerMinute(points: Array<{ at: number; y: number }>): number {
  if (points.length < 3) return 0;
  const t0 = points[0].at;
  const xs = points.map((p) => (p.at - t0) / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < points.length; i++) {
    num += (xs[i] - mx) * (points[i].y - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : Math.round((num / den) * 100) / 100;
}

function figures(points: Array<{ at: number; y: number }>, window: { from: number; to: number }) {
  if (points.length === 0) return { start: 0, peak: 0, end: 0, slopePerMin: 0 };
  return {
    start: points[0].y,
    peak: Math.max(...points.map((p) => p.y)),
    end: points[points.length - 1].y,
    slopePerMin: slopePerMinute(points.filter((p) => p.at >= window.from && p.at <= window.to)),
  };
}

/** Start, peak, end of the samples; the slope over `window` (ms since the epoch), default the second half. */
export function memoryFigures(samples: readonly MemorySample[], window?: { from: number; to: number }): MemoryFigures {
  const collected = samples.filter((s) => s.gc);
  const heapOf = collected.length >= 3 ? collected : samples;
  const first = samples[0]?.at ?? 0;
  const last = samples.at(-1)?.at ?? 0;
  const w = window ?? { from: first + (last - first) / 2, to: last };
  return {
    samples: samples.length,
    rss: figures(
      samples.map((s) => ({ at: s.at, y: s.rss })),
      w,
    ),
    heap: figures(
      heapOf.map((s) => ({ at: s.at, y: s.heapUsed })),
      w,
    ),
  };
}
