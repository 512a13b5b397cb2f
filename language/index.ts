/**
 * The language pipeline in one place:
 *
 *   source --lex/parse (text/) or parseDocument (yaml/)--> AST (ast.ts) --checks/--> checked flow
 *
 * Every stage collects Diagnostics (diagnostic.ts) instead of throwing; a flow with any error is
 * never handed on. `renderDiagnostics` prints them for people, `diagnosticsToJson` for tools.
 */
import type { Flow } from "./ast.js";
import { hasErrors, type Diagnostic } from "./diagnostic.js";
import { parseFlowText } from "./text/parse-text.js";
import { parseFlowYaml } from "./yaml-front-end.js";
import { checkFlow } from "./checks/index.js";

export type Syntax = "flow" | "yaml";

/** `*.flow` is the mini-language; `*.flow.yaml`, `*.yaml` and `*.yml` are YAML. */
export function syntaxOf(file: string): Syntax | undefined {
  if (/\.flow$/i.test(file)) return "flow";
  if (/\.ya?ml$/i.test(file)) return "yaml";
  return undefined;
}

export interface ParseResult {
  /** The AST; present whenever the source was readable enough to build one, even with errors. */
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
}

/** Parses either syntax (chosen from the file name unless given) into the one AST. Never throws. */
export function parseFlow(source: string, file: string, syntax: Syntax = syntaxOf(file) ?? "flow"): ParseResult {
  return syntax === "yaml" ? parseFlowYaml(source, file) : parseFlowText(source, file);
}

export interface LoadResult {
  /** The checked flow: present only when there is no error, so it is safe to run. */
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
}

/** Parse, then check: the whole front end. `flow` is set only when nothing is an error. */
export function loadFlow(source: string, file: string, syntax?: Syntax): LoadResult {
  const parsed = parseFlow(source, file, syntax);
  const diagnostics = [...parsed.diagnostics];
  // Checks run after syntax errors too (on the statements that were read), so one run reports
  // syntax and semantic errors together.
  if (parsed.flow) diagnostics.push(...checkFlow(parsed.flow, { syntaxErrors: parsed.diagnostics }));
  return { flow: hasErrors(diagnostics) ? undefined : parsed.flow, diagnostics: inSourceOrder(diagnostics) };
}

/** Diagnostics of one file in the order a reader meets them (stable: same place, same order as found). */
function inSourceOrder(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.span.start.offset - b.d.span.start.offset || a.i - b.i)
    .map(({ d }) => d);
}

export { checkFlow, type CheckOptions } from "./checks/index.js";
export { LIMITS, mebibytes, sourceTooLarge } from "./limits.js";
export { parseFlowText } from "./text/parse-text.js";
export { parseFlowYaml, printFlowYaml, formatFlowYaml } from "./yaml-front-end.js";
export { printFlowText, printExpression, printTemplate, type KnownValues } from "./text/print-text.js";
export { formatFlowText } from "./text/format-text.js";
export {
  renderDiagnostics,
  diagnosticsToJson,
  toJsonDiagnostic,
  checkSummaryLine,
  type SourceLookup,
} from "./render-diagnostics.js";
export { hasErrors, type Diagnostic, type RelatedInformation, type Severity } from "./diagnostic.js";
export { DIAGNOSTIC_CODES, yamlSyntaxCode, type DiagnosticCode, type YamlSyntaxCode } from "./diagnostic-codes.js";
export { didYouMean, didYouMeanHint } from "./suggest.js";
export {
  captureSpecOf,
  type AcquireCapture,
  type PayCapture,
  type PayResult,
  type PrintCapture,
  type RefundCapture,
} from "./checks/capture-fields.js";
export { analyseFlow, onlyCurrency, type FlowAnalysis } from "./checks/analysis.js";
export { paramType } from "./checks/bindings.js";
export * from "./ast.js";
export * from "./money.js";
export * from "./values/index.js";
export { parseDuration } from "./duration.js";
export { LineIndex } from "./text/positions.js";
export { filesUnder, readSource, fileErrorReason, type ReadResult } from "./files.js";
export { decimalOfNumber, decimalText, type Decimal } from "./decimal.js";
