// Small statistics for benchmark samples: medians, ranges, and how to print them.

/** The median of a list of numbers (the mean of the two middle ones for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, n }` of a list of numbers. */
export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** A duration in milliseconds for a table: `1.23 s`, `45.6 ms`, `789 us`. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(ms >= 0.01 ? 1 : 2)} us`;
}

/** A value in its unit: milliseconds as durations, anything else as a number and its unit. */
export function formatValue(value, unit) {
  if (unit === "ms") return formatMs(value);
  if (!Number.isFinite(value)) return "n/a";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** `12.3 ms [11.9-14.0]`: the median and the range of a summary. */
export function formatSummary(s, unit = "ms") {
  if (unit !== "ms") return `${formatValue(s.median, unit)} [${formatValue(s.min, unit)}-${formatValue(s.max, unit)}]`;
  return `${formatMs(s.median)} [${formatMs(s.min)}-${formatMs(s.max)}]`;
}

/** A ratio as `0.123x`, three significant figures below 1. */
export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return "n/a";
  return ratio >= 10 ? `${ratio.toFixed(1)}x` : ratio >= 1 ? `${ratio.toFixed(2)}x` : `${ratio.toPrecision(3)}x`;
}
