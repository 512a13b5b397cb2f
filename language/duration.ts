/** Durations: a bare integer is milliseconds; `ms` and `s` suffixes are allowed (`5s`, `250ms`). */

export const DURATION_PATTERN = /^([0-9]+)(ms|s)?$/;

/** `5s` -> 5000, `250ms` -> 250, `5000` -> 5000; undefined when malformed or unsafe. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
