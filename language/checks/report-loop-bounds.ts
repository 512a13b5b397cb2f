// Reports loops that are not bounded: `for` over anything but a split or a range, and counts of
// shares, range items or repeats that are not whole numbers or exceed MAX_LOOP_ITERATIONS.
import type { DiagnosticCode } from "../diagnostic.js";
import type { Flow } from "../ast.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report } from "./report.js";

const CODES = new Set<DiagnosticCode>(["unbounded-loop", "loop-too-long", "bad-loop-count"]);

export function reportLoopBounds(_flow: Flow, report: Report, analysis: FlowAnalysis): void {
  reportProblems(analysis, report, CODES);
}
