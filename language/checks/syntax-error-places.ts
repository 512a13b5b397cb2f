/**
 * Check diagnostics that only repeat a syntax error: a condition cut short by a stray `=` is not
 * also "not a boolean", a session whose only step did not parse is not also "empty". The parse's
 * errors are handed to checkFlow explicitly (`loadFlow` does), so a check answers the same for the
 * same flow and errors, whoever built the AST.
 */
import type { Diagnostic } from "../diagnostic.js";

/** Codes of check diagnostics that a syntax error on one of their lines makes follow-on noise. */
const FOLLOW_ON_CODES = new Set(["condition-not-boolean", "empty-session", "menu-empty", "type-mismatch"]);
/**
 * Codes that any syntax error in the file makes doubtful: a param "never used" may be used by a
 * statement that could not be read.
 */
const FILE_FOLLOW_ON_CODES = new Set(["unused-param"]);

/** Drops the check diagnostics that only repeat a syntax error reported on the same lines. */
export function withoutFollowOnNoise(
  diagnostics: Diagnostic[],
  syntaxErrors: readonly Diagnostic[] | undefined,
): Diagnostic[] {
  const lines = (syntaxErrors ?? [])
    .filter((e) => e.severity === "error" && typeof e.span?.start?.line === "number")
    .map((e) => e.span.start.line)
    .sort((a, b) => a - b);
  if (lines.length === 0) return diagnostics;
  return diagnostics.filter(
    (d) => !FILE_FOLLOW_ON_CODES.has(d.code) && !(FOLLOW_ON_CODES.has(d.code) && anyLineWithin(lines, d)),
  );
}

/** True when a syntax error starts on a line the check diagnostic's span covers. */
function anyLineWithin(sortedLines: readonly number[], d: Diagnostic): boolean {
  const from = d.span?.start?.line;
  const to = d.span?.end?.line ?? from;
  if (typeof from !== "number" || typeof to !== "number") return false;
  let low = 0;
  let high = sortedLines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sortedLines[mid] < from) low = mid + 1;
    else high = mid;
  }
  return low < sortedLines.length && sortedLines[low] <= to;
}
