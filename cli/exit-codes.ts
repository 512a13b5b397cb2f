import type { SuiteResult } from "../qa/index.js";
import type { RunResult, RunStatus } from "../runtime/index.js";

/** The exit codes of every termflow command: the one table (docs/cli.md lists them; keep both in step). */
export const EXIT = {
  /** Everything passed (warnings allowed). */
  ok: 0,
  /** The flow ran and failed (a terminal failure or an expect); `fmt --check`: files would change. */
  failed: 1,
  /** The flow is invalid, or the command line is (unknown option, missing file). */
  invalid: 2,
  /** Transport or configuration error (terminal unreachable, missing API key). */
  transport: 3,
  /** A payment's outcome is unknown: look it up before charging again (`termflow run`). */
  paymentUnknown: 4,
  /** Interrupted, but a payment of the run was approved, or partly approved: the shopper has paid (`termflow run`). */
  interruptedAfterPayment: 5,
  /** A bug in termflow itself: the message asks for a report. */
  internal: 70,
  /** Interrupted by SIGINT/SIGTERM (128 + 2, as shells report it). */
  interrupted: 130,
} as const;

/** The worse of two exit codes (the codes are ordered by severity), so one bad file fails the run. */
export function worseExit(a: number, b: number): number {
  return Math.max(a, b);
}

/** `termflow run`: the exit code of a run's status. */
export const RUN_EXIT: { readonly [S in RunStatus]: number } = {
  passed: EXIT.ok,
  failed: EXIT.failed,
  invalid: EXIT.invalid,
  error: EXIT.transport,
  cancelled: EXIT.interrupted,
};

/**
 * `termflow run`: the exit code of a run. Money first: an unknown payment outcome, or an approval
 * in a run that was then interrupted, has its own code, so no script reads "error" or "interrupted"
 * as "not paid" and charges again.
 */
export function runExit(result: Pick<RunResult, "status" | "payments">): number {
  if (result.payments.some((p) => p.result === "unknown")) return EXIT.paymentUnknown;
  if (result.status === "cancelled" && result.payments.some((p) => p.result === "approved" || p.result === "partial"))
    return EXIT.interruptedAfterPayment;
  return RUN_EXIT[result.status];
}

/** `termflow test`: interrupted, then the worst scenario status decides. */
export function suiteExit(suite: SuiteResult): number {
  if (suite.interrupted) return EXIT.interrupted;
  if (suite.totals.error > 0) return EXIT.transport;
  if (suite.totals.invalid > 0) return EXIT.invalid;
  if (suite.totals.failed > 0) return EXIT.failed;
  return EXIT.ok;
}
