/**
 * The semantic checks: a table of small passes (Peggy style), each one file `report-*.ts` exporting
 * `(flow, report) => void`. They read the AST only; after syntax errors the AST lacks the
 * statements that could not be read, but every node it has is whole (see language/ast.ts). They
 * never throw: a pass that crashes becomes one `internal-error` diagnostic, not a stack trace.
 */
import type { Flow } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import type { FlowAnalysis } from "./analysis.js";
import { collectInto, type CheckPass } from "./report.js";
import { withoutFollowOnNoise } from "./syntax-error-places.js";
import { analyseFlow } from "./analysis.js";
import { reportAcquisitions } from "./report-acquisitions.js";
import { reportAmountPrecision } from "./report-amount-precision.js";
import { reportAmountRange } from "./report-amount-range.js";
import { reportCallArguments } from "./report-call-arguments.js";
import type { CallResolver } from "./capture-fields.js";
import { reportCurrencyMismatch } from "./report-currency-mismatch.js";
import { reportDivisionByZero } from "./report-division-by-zero.js";
import { reportDuplicateSessionId } from "./report-duplicate-session-id.js";
import { reportDurationRange } from "./report-duration-range.js";
import { reportEmptySession } from "./report-empty-session.js";
import { reportExpressionTypes } from "./report-expression-types.js";
import { reportFunctionCalls } from "./report-function-calls.js";
import { reportInputCurrency } from "./report-input-currency.js";
import { reportLoopBounds } from "./report-loop-bounds.js";
import { reportMenuEntries } from "./report-menu-entries.js";
import { reportMoneyComparedWithNumber } from "./report-money-compared-with-number.js";
import { reportNestedSession } from "./report-nested-session.js";
import { reportPaymentReferences } from "./report-payment-references.js";
import { reportParamTypes } from "./report-param-types.js";
import { reportUndefinedName } from "./report-undefined-name.js";
import { reportUnknownCurrency } from "./report-unknown-currency.js";
import { reportUnmatchedWaiting } from "./report-unmatched-waiting.js";
import { reportUnusedParam } from "./report-unused-param.js";

/** Every check, in the order their diagnostics are reported for the same position. */
export const CHECK_PASSES: readonly CheckPass[] = [
  reportNestedSession,
  reportDuplicateSessionId,
  reportEmptySession,
  reportUnmatchedWaiting,
  reportUndefinedName,
  reportUnusedParam,
  reportParamTypes,
  reportExpressionTypes,
  reportMoneyComparedWithNumber,
  reportCurrencyMismatch,
  reportFunctionCalls,
  reportDivisionByZero,
  reportLoopBounds,
  reportDurationRange,
  reportUnknownCurrency,
  reportAmountPrecision,
  reportAmountRange,
  reportInputCurrency,
  reportMenuEntries,
  reportPaymentReferences,
  reportAcquisitions,
  reportCallArguments,
];

export interface CheckOptions {
  /**
   * The errors found while parsing the flow (`parseFlow`'s diagnostics): checks stay quiet about
   * what one of them already explains. Without them the flow is checked as if it parsed cleanly.
   */
  syntaxErrors?: readonly Diagnostic[];
  /** The passes to run; every check by default. */
  passes?: readonly CheckPass[];
  /**
   * What the flow's `call` steps run (the program loader's, language/calls/): their captures are
   * typed and their params checked. Without it a call's captures are of unknown type.
   */
  calls?: CallResolver;
}

/**
 * Runs every check on a flow (one read from a file with syntax errors too); diagnostics come sorted
 * by position. The answer depends on the flow and the options only. Never throws.
 */
export function checkFlow(flow: Flow, options: CheckOptions = {}): Diagnostic[] {
  return checkAndAnalyse(flow, options).diagnostics;
}

/** checkFlow, and the analysis it made (undefined when the analysis itself failed). */
export function checkAndAnalyse(
  flow: Flow,
  options: CheckOptions = {},
): { diagnostics: Diagnostic[]; analysis: FlowAnalysis | undefined } {
  const passes = options.passes ?? CHECK_PASSES;
  const diagnostics: Diagnostic[] = [];
  const report = collectInto(diagnostics);
  let analysis: FlowAnalysis;
  try {
    analysis = analyseFlow(flow, options.calls);
  } catch (error) {
    report.error(
      "internal-error",
      `internal error in the analysis: ${String((error as Error)?.message ?? error)}`,
      flow?.span ?? fallbackSpan(),
      {
        hint: "this is a bug in termflow: please report it with the flow that caused it",
      },
    );
    return { diagnostics, analysis: undefined };
  }
  for (const pass of passes) {
    try {
      pass(flow, report, analysis);
    } catch (error) {
      // A check must never take the whole front end down; say which one failed so it can be fixed.
      report.error(
        "internal-error",
        `internal error in check \`${pass.name}\`: ${String((error as Error)?.message ?? error)}`,
        flow?.span ?? fallbackSpan(),
        {
          hint: "this is a bug in termflow: please report it with the flow that caused it",
        },
      );
    }
  }
  return { diagnostics: sortByPosition(withoutFollowOnNoise(diagnostics, options.syntaxErrors)), analysis };
}

/** Stable sort by start offset; diagnostics without a usable offset keep their order at the end. */
function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): number => {
    const offset = d.span?.start?.offset;
    return typeof offset === "number" && Number.isFinite(offset) ? offset : Number.MAX_SAFE_INTEGER;
  };
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => key(a.d) - key(b.d) || a.i - b.i)
    .map(({ d }) => d);
}

function fallbackSpan(): Diagnostic["span"] {
  const start = { line: 1, column: 1, offset: 0 };
  return { file: "", start, end: start };
}

export type { CheckPass, Report } from "./report.js";
export { analyseFlow, onlyCurrency, type FlowAnalysis } from "./analysis.js";
export { captureSpecOf, INPUT_CAPTURES, PAY_CAPTURE, PAY_RESULTS } from "./capture-fields.js";
export type { CalledFlow, CallResolver, CaptureSpec, FieldSpec, PayCapture, PayResult } from "./capture-fields.js";
export { capturesOf } from "./captures-of.js";
export { nestedSession } from "./report-nested-session.js";
export { DURATION_BOUNDS } from "../duration.js";
export { MAX_MENU_ENTRIES } from "./report-menu-entries.js";
