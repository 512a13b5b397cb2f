/** The one way a check pass reports: `report.error(...)` / `report.warning(...)`, collected by checkFlow. */
import type { Flow, SessionStep, Span, Step } from "../ast.js";
import type { Diagnostic, DiagnosticCode, RelatedInformation } from "../diagnostic.js";
import type { FlowAnalysis } from "./analysis.js";

export interface ReportDetails {
  /** What to do, printed under the caret. */
  hint?: string;
  related?: RelatedInformation[];
}

export interface Report {
  error(code: DiagnosticCode, message: string, span: Span, details?: ReportDetails): void;
  warning(code: DiagnosticCode, message: string, span: Span, details?: ReportDetails): void;
}

/**
 * A semantic check: reads the (possibly partial) AST, and the analysis checkFlow made of it once,
 * and reports; never changes either. A check that looks at the steps one at a time returns a
 * StepVisitor instead of walking them itself: checkFlow walks the steps once for all such checks,
 * so that a large flow is read from memory once rather than once a check.
 */
export type CheckPass =
  | ((flow: Flow, report: Report, analysis: FlowAnalysis) => void)
  | ((flow: Flow, report: Report, analysis: FlowAnalysis) => StepVisitor);

/** What a check does at each step of checkFlow's one walk (`walkSteps` order), and after the last. */
export interface StepVisitor {
  step(step: Step, sessions: readonly SessionStep[]): void;
  end?(): void;
}

/** Reports the problems the analysis found with one of `codes`, as errors. */
export function reportProblems(analysis: FlowAnalysis, report: Report, codes: ReadonlySet<DiagnosticCode>): void {
  for (const p of analysis.problems) {
    if (codes.has(p.code)) report.error(p.code, p.message, p.span, p.hint === undefined ? {} : { hint: p.hint });
  }
}

/** A Report that appends to `into`, leaving out empty optional fields so diagnostics stay small. */
export function collectInto(into: Diagnostic[]): Report {
  const add =
    (severity: Diagnostic["severity"]) =>
    (code: DiagnosticCode, message: string, span: Span, details: ReportDetails = {}): void => {
      const d: Diagnostic = { code, severity, message, span };
      if (details.hint) d.hint = details.hint;
      if (details.related && details.related.length > 0) d.related = details.related;
      into.push(d);
    };
  return { error: add("error"), warning: add("warning") };
}
