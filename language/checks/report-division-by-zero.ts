// Reports a division by a number or amount known to be zero (`total / 0`).
import type { DiagnosticCode } from "../diagnostic.js";
import type { Flow } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report } from "./report.js";

const CODES = new Set<DiagnosticCode>(["division-by-zero"]);

export function reportDivisionByZero(_flow: Flow, report: Report, analysis: FlowAnalysis): void {
  reportProblems(analysis, report, CODES);
}
