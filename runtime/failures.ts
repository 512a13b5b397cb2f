/**
 * How a run stops early, and the Diagnostics it reports. Run errors use the same Diagnostic shape as
 * parse errors, pointed at the step's span, so `renderDiagnostics` shows them under the source line.
 */
import type { Span, Diagnostic, DiagnosticCode, RelatedInformation } from "../language/index.js";
import type { RunStatus, StepStatus } from "./result.js";

/** A run diagnostic (`terminal-failure`, `expect-failed`, `transport-timeout`, ...). */
export function runDiagnostic(
  code: DiagnosticCode,
  message: string,
  span: Span,
  details: { hint?: string; severity?: Diagnostic["severity"]; related?: RelatedInformation[] } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: details.severity ?? "error", message, span };
  if (details.hint) d.hint = details.hint;
  if (details.related && details.related.length > 0) d.related = details.related;
  return d;
}

/** Thrown through the step tree to stop the run; sessions on the way send their End. */
export class RunStop extends Error {
  /** The step whose diagnostic this is (parents do not overwrite it). */
  origin?: string;

  constructor(
    readonly status: Exclude<RunStatus, "passed" | "invalid">,
    readonly diagnostic: Diagnostic,
    /**
     * The status of the step that stops the run, when it is not the run's: a payment approved while
     * the run was being cancelled passed, although the run stops as cancelled.
     */
    readonly stepStatus?: StepStatus,
  ) {
    super(diagnostic.message);
    this.name = "RunStop";
  }
}

/** The run's AbortSignal fired while a request was waiting for its answer. */
export class Cancelled extends Error {
  constructor() {
    super("the run was cancelled");
    this.name = "Cancelled";
  }
}
