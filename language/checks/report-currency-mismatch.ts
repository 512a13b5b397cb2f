// Reports amounts of different currencies that meet: `12.50 EUR + 1.00 USD`, a comparison of a EUR
// amount with a USD one, a tip in another currency than its payment.
import type { DiagnosticCode } from "../diagnostic.js";
import type { Flow } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report } from "./report.js";

const CODES = new Set<DiagnosticCode>(["currency-mismatch"]);

export function reportCurrencyMismatch(_flow: Flow, report: Report, analysis: FlowAnalysis): void {
  reportProblems(analysis, report, CODES);
}
