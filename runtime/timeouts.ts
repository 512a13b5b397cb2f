/**
 * How long the runtime waits for each kind of answer. A request that outlives its timeout is not
 * assumed failed: a lost payment answer is followed by TransactionStatus requests, never a resend.
 */

export interface RequestTimeouts {
  /** Session Begin/End. */
  admin: number;
  /** A DisplayRequest, plus the step's minimum display time. */
  display: number;
  /** An input without `within`: the terminal's own limit is unknown, so wait generously. */
  input: number;
  /** Added to an input's `within` (MaxInputTime): the shopper's limit, then the answer's trip. */
  inputMargin: number;
  /** A payment: above the platform's own 150 s (cloud) / 120 s (local) cancellation. */
  payment: number;
  /** One TransactionStatusRequest. */
  status: number;
  /** One AbortRequest (its answer is an empty body). */
  abort: number;
  /** After an abort, how long the aborted request may take to answer `Aborted` before we move on. */
  abortGrace: number;
  /** How long to keep asking TransactionStatus about a lost payment before reporting it unknown. */
  statusRecovery: number;
  /** Pauses between TransactionStatus requests while InProgress; the last one repeats. */
  statusBackoff: readonly number[];
  /**
   * Pauses before sending a session's End again, only when it provably never reached the terminal
   * (connection refused, no such host, TLS failed); one retry per pause.
   */
  endRetryPauses: readonly number[];
}

/** Safe defaults: every limit is above what the terminal or the platform allows itself. */
export const DEFAULT_TIMEOUTS: RequestTimeouts = {
  admin: 30_000,
  display: 30_000,
  input: 300_000,
  inputMargin: 30_000,
  payment: 180_000,
  status: 30_000,
  abort: 15_000,
  abortGrace: 5_000,
  statusRecovery: 300_000,
  statusBackoff: [1_000, 2_000, 4_000, 8_000, 15_000],
  endRetryPauses: [1_000, 2_000, 4_000],
};

/** Defaults with the caller's overrides. */
export function resolveTimeouts(overrides: Partial<RequestTimeouts> = {}): RequestTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...overrides };
}

/** The pause before status request number `attempt` (0-based). */
export function backoffFor(timeouts: RequestTimeouts, attempt: number): number {
  const steps = timeouts.statusBackoff.length > 0 ? timeouts.statusBackoff : DEFAULT_TIMEOUTS.statusBackoff;
  return steps[Math.min(attempt, steps.length - 1)];
}
