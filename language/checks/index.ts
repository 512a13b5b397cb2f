/**
 * The semantic checks: a table of small passes (Peggy style), each one file `report-*.ts` exporting
 * `(flow, report) => void`. They read the AST only; after syntax errors the AST lacks the
 * statements that could not be read, but every node it has is whole (see language/ast.ts). They
 * never throw: a pass that crashes becomes one `internal-error` diagnostic, not a stack trace.
 */
import { type Flow, walkSteps } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import type { FlowAnalysis } from "./analysis.js";
import { collectInto, type CheckPass, type StepVisitor } from "./report.js";
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
import { reportHandlers } from "./report-handlers.js";
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
  reportHandlers,
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
  let analysis: FlowAnalysis;
  try {
    analysis = analyseFlow(flow, options.calls);
  } catch (error) {
    return { diagnostics: [internalError("the analysis", error, flow)], analysis: undefined };
  }
  // Each pass reports into its own list, so that the diagnostics come in pass order for the same
  // position whether a pass reported at once or during the shared walk.
  const found = passes.map(() => [] as Diagnostic[]);
  const walking: { pass: number; visitor: StepVisitor }[] = [];
  const failed = (pass: number, error: unknown): void => {
    // A check must never take the whole front end down; say which one failed so it can be fixed.
    found[pass].push(internalError(`check \`${passes[pass].name}\``, error, flow));
  };
  passes.forEach((pass, i) => {
    try {
      const visitor = pass(flow, collectInto(found[i]), analysis) as StepVisitor | undefined;
      if (visitor) walking.push({ pass: i, visitor });
    } catch (error) {
      failed(i, error);
    }
  });
  if (walking.length > 0) walkOnce(flow, walking, failed);
  return { diagnostics: sortByPosition(withoutFollowOnNoise(found.flat(), options.syntaxErrors)), analysis };
}

/** Walks the steps once for every StepVisitor, in pass order at each step; a visitor that throws is dropped. */
function walkOnce(
  flow: Flow,
  walking: { pass: number; visitor: StepVisitor }[],
  failed: (pass: number, error: unknown) => void,
): void {
  let live = walking;
  const drop = (entry: (typeof walking)[number], error: unknown): void => {
    failed(entry.pass, error);
    live = live.filter((other) => other !== entry);
  };
  try {
    walkSteps(flow.steps, (step, sessions) => {
      for (const entry of live) {
        try {
          entry.visitor.step(step, sessions);
        } catch (error) {
          drop(entry, error);
        }
      }
    });
  } catch (error) {
    // The walk itself met a step it cannot read: every check still walking stops there.
    for (const entry of live) drop(entry, error);
  }
  for (const entry of live) {
    try {
      entry.visitor.end?.();
    } catch (error) {
      drop(entry, error);
    }
  }
}

function internalError(what: string, error: unknown, flow: Flow): Diagnostic {
  return {
    code: "internal-error",
    severity: "error",
    message: `internal error in ${what}: ${String((error as Error)?.message ?? error)}`,
    span: flow?.span ?? fallbackSpan(),
    hint: "this is a bug in termflow: please report it with the flow that caused it",
  };
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

export type { CheckPass, Report, StepVisitor } from "./report.js";
export { analyseFlow, onlyCurrency, type FlowAnalysis } from "./analysis.js";
export { captureSpecOf, INPUT_CAPTURES, PAY_CAPTURE, PAY_RESULTS } from "./capture-fields.js";
export type { CalledFlow, CallResolver, CaptureSpec, FieldSpec, PayCapture, PayResult } from "./capture-fields.js";
export { capturesOf } from "./captures-of.js";
export { nestedSession } from "./report-nested-session.js";
export { DURATION_BOUNDS } from "../duration.js";
export { MAX_MENU_ENTRIES } from "./report-menu-entries.js";
