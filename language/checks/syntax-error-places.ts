/**
 * Where the parser already reported errors in a flow, so the checks can stay quiet about what is
 * only a consequence of them (a condition cut short by a stray `=`, a session emptied because its
 * only step did not parse). Kept beside the AST in a WeakMap, not in it: the AST stays plain data
 * and both front ends record into it without the pipeline having to pass the diagnostics along.
 */
import type { Flow } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";

const places = new WeakMap<Flow, readonly Diagnostic[]>();

/** Codes of check diagnostics that a syntax error on one of their lines makes follow-on noise. */
const FOLLOW_ON_CODES = new Set(["condition-not-boolean", "empty-session", "menu-empty"]);

/** Remembers the parse errors of `flow`; the front ends call this before handing the flow on. */
export function recordSyntaxErrors(flow: Flow | undefined, diagnostics: readonly Diagnostic[]): void {
  if (flow)
    places.set(
      flow,
      diagnostics.filter((d) => d.severity === "error"),
    );
}

/** Drops the check diagnostics that only repeat a syntax error reported on the same lines. */
export function withoutFollowOnNoise(flow: Flow, diagnostics: Diagnostic[]): Diagnostic[] {
  const errors = places.get(flow);
  if (!errors || errors.length === 0) return diagnostics;
  return diagnostics.filter((d) => !(FOLLOW_ON_CODES.has(d.code) && errors.some((e) => onLinesOf(e, d))));
}

/** True when the syntax error starts on a line the check diagnostic's span covers. */
function onLinesOf(error: Diagnostic, d: Diagnostic): boolean {
  const line = error.span?.start?.line;
  const from = d.span?.start?.line;
  const to = d.span?.end?.line ?? from;
  return typeof line === "number" && typeof from === "number" && typeof to === "number" && line >= from && line <= to;
}
