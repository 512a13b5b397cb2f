// Reports calls that cannot work: an unknown function (`splt(...)`, with a did-you-mean), the wrong
// number of arguments, and `number(...)` of a text that is not a number.
import type { DiagnosticCode } from "../diagnostic.js";
import type { Flow } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report } from "./report.js";

const CODES = new Set<DiagnosticCode>(["unknown-function", "wrong-arguments", "not-a-number"]);

export function reportFunctionCalls(_flow: Flow, report: Report, analysis: FlowAnalysis): void {
  reportProblems(analysis, report, CODES);
}
