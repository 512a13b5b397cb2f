/** Durations: a bare integer is milliseconds; `ms` and `s` suffixes are allowed (`5s`, `250ms`). */

export const DURATION_PATTERN = /^([0-9]+)(ms|s)?$/;

/** `5s` -> 5000, `250ms` -> 250, `5000` -> 5000; undefined when malformed or unsafe. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

export interface DurationBound {
  /** For messages: `a waiting-screen timeout`. */
  what: string;
  minMs: number;
  maxMs: number;
  /** The wire field is in seconds (MaxInputTime, MinimumDisplayTime). */
  wholeSeconds: boolean;
  /** Printed when the duration is zero: how to get what zero would mean. */
  zeroHint: string;
}

/** The bounds of each place a duration is written (documented in docs/language.md and docs/diagnostics.md). */
export const DURATION_BOUNDS = {
  waitingScreen: {
    what: "a waiting-screen timeout",
    minMs: 1,
    maxMs: 600_000,
    wholeSeconds: false,
    zeroHint: "leave a request type out of the session to give it no waiting screen",
  },
  within: {
    what: "an input time limit (`within`)",
    minMs: 1_000,
    maxMs: 600_000,
    wholeSeconds: true,
    zeroHint: "leave `within` out to use the terminal's own time limit",
  },
  displayFor: {
    what: "a display time (`for`)",
    minMs: 1_000,
    maxMs: 600_000,
    wholeSeconds: true,
    zeroHint: "leave `for` out to show the text without a minimum time",
  },
  payWithin: {
    what: "a payment time limit (`within`)",
    minMs: 1_000,
    // The platform itself cancels a payment after 120 s (local) or 150 s (cloud).
    maxMs: 150_000,
    wholeSeconds: false,
    zeroHint: "leave `within` out to wait as long as the terminal takes",
  },
  acquireWithin: {
    what: "a card acquisition time limit (`within`)",
    minMs: 1_000,
    maxMs: 600_000,
    wholeSeconds: false,
    zeroHint: "leave `within` out to wait as long as the terminal takes",
  },
  wait: {
    what: "a `wait`",
    minMs: 1,
    maxMs: 3_600_000,
    wholeSeconds: false,
    zeroHint: "remove the `wait` step",
  },
} as const satisfies Record<string, DurationBound>;

/** 600000 -> `600s`, 1500 -> `1500ms`: how bounds are written in messages. */
export function formatMs(ms: number): string {
  return ms % 1000 === 0 && ms !== 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * What to write instead of a malformed duration (`5m` -> `300s`, `1.5s` -> `1500ms`). With the
 * bound of the place it is written, a rewrite the place would refuse (`wait 2h` is 7200s, a wait
 * lasts at most 3600s) says so instead of suggesting it.
 */
export function durationHint(text: string, bound?: DurationBound): string {
  const m = /^([0-9]+)(?:\.([0-9]+))?(ms|s|m|min|h)?$/.exec(text);
  if (m && (m[3] === "m" || m[3] === "min" || m[3] === "h") && !m[2]) {
    const seconds = Number(m[1]) * (m[3] === "h" ? 3600 : 60);
    if (bound && seconds * 1000 > bound.maxMs) {
      return `durations are milliseconds, \`ms\` or \`s\`: \`${text}\` would be \`${seconds}s\`, but ${bound.what} is at most ${formatMs(bound.maxMs)}`;
    }
    return `durations are milliseconds, \`ms\` or \`s\`: write \`${seconds}s\``;
  }
  if (m && m[2] !== undefined && (m[3] === "s" || m[3] === undefined)) {
    const ms = Number(`${m[1]}.${m[2]}`) * (m[3] === "s" ? 1000 : 1);
    if (Number.isInteger(ms)) return `durations are whole numbers: write \`${ms}ms\``;
  }
  return "write milliseconds (`5000`) or use `ms` or `s` (`250ms`, `5s`)";
}
