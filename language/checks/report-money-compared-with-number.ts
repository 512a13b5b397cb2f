// Reports an amount compared with a bare number (`payment.amount == 1250`): amounts have a
// currency, and captures no longer hold minor units; the hint writes the amount out (`12.50 EUR`).
import type { DiagnosticCode } from "../diagnostic.js";
import type { Flow } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report } from "./report.js";

const CODES = new Set<DiagnosticCode>(["money-compared-with-number"]);

export function reportMoneyComparedWithNumber(_flow: Flow, report: Report, analysis: FlowAnalysis): void {
  reportProblems(analysis, report, CODES);
}
