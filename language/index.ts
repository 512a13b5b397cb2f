/**
 * The language pipeline in one place:
 *
 *   source --lex/parse (text/) or parseDocument (yaml/)--> AST (ast.ts) --checks/--> checked flow
 *
 * Every stage collects Diagnostics (diagnostic.ts) instead of throwing; a flow with any error is
 * never handed on. `renderDiagnostics` prints them for people, `diagnosticsToJson` for tools.
 */
export {
  syntaxOf,
  parseFlow,
  loadFlow,
  type Syntax,
  type ParseResult,
  type LoadResult,
  type LoadOptions,
} from "./load-flow.js";
export {
  checkWithCalledFlows,
  noCalledFlows,
  type CalledFlows,
} from "./calls/program.js";

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
export type { CalledFlow, CallResolver } from "./checks/capture-fields.js";
export { paramType } from "./checks/bindings.js";
export { forEachReferenceIn, forEachReferenceInTemplate } from "./checks/walk.js";
export * from "./ast.js";
export * from "./money.js";
export * from "./values/index.js";
export { parseDuration } from "./duration.js";
export { LineIndex } from "./text/positions.js";
export {
  filesUnder,
  readSource,
  fileErrorReason,
  flowFilesIn,
  resolveCallPath,
  type FlowFiles,
  type ReadResult,
} from "./files.js";
export { decimalOfNumber, decimalText, type Decimal } from "./decimal.js";
