import type { Span } from "./ast.js";
import type { DiagnosticCode } from "./diagnostic-codes.js";

export type { DiagnosticCode } from "./diagnostic-codes.js";

/**
 * The one error shape of termflow. Lexer, parser, YAML, check and run errors all become a Diagnostic
 * and are printed by the one renderer in `render-diagnostics.ts`. Stages collect diagnostics; none
 * throws on bad input.
 */
export interface Diagnostic {
  /** Stable kebab-case code, e.g. `unknown-step`, `nested-session`: one of DIAGNOSTIC_CODES. */
  code: DiagnosticCode;
  severity: Severity;
  /** One line, lower case, no trailing period: `unknown step \`dispaly\``. */
  message: string;
  span: Span;
  /** Printed under the caret: what to do, with a did-you-mean where one fits. */
  hint?: string;
  /** Further places that explain the error (`the outer session starts here`). */
  related?: RelatedInformation[];
}

export type Severity = "error" | "warning";

export interface RelatedInformation {
  message: string;
  span: Span;
}

/** True when any diagnostic is an error: such a flow never runs. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
