/**
 * What a scenario run produced, in a plain-JSON shape: built in a worker, sent to the main thread,
 * printed by the console reporter and written by the JUnit, JSON and HTML reporters. Times are
 * milliseconds of terminal (virtual) time from the scenario's start, unless named `wallMs`.
 */
import type { Diagnostic } from "../language/index.js";

/**
 * - `passed`: the run did what every expectation said.
 * - `failed`: an expectation did not hold (or the flow failed where no `then run fails` allowed it).
 * - `invalid`: the scenario or its flow does not parse or check; it did not run.
 * - `error`: the runner itself could not run it (a crash in a worker): a bug, never the flow's fault.
 * - `skipped`: tagged `skip`, or not run after `--bail` stopped the suite.
 */
export type ScenarioStatus = "passed" | "failed" | "invalid" | "error" | "skipped";

/** One screen on the terminal's timeline. */
export interface TimelineEntry {
  at: number;
  /** How long it showed; undefined when it was still showing when the scenario ended. */
  durationMs?: number;
  screen: "idle" | "input" | "display" | "payment" | "acquisition" | "result" | "waiting";
  /** For people: `input "Split the bill?"`, `waiting 5000 ms`, `result Failure/Refusal`. */
  label: string;
  /** Input prompt or display text. */
  text?: string;
  /** Waiting screens: their timeout and the request type that started them. */
  timeoutMs?: number;
  after?: string;
}

/** One request the flow sent and the answer it got, as the terminal saw them (secrets redacted). */
export interface Exchange {
  at: number;
  answeredAt?: number;
  /** `PaymentRequest`, `AdminRequest Begin`, ... */
  name: string;
  /** `Success`, `Failure/Refusal`, `dropped`, `empty`, `http 500`, ... */
  outcome: string;
  request: unknown;
  response?: unknown;
  faults?: string[];
}

export interface StepRecord {
  /** `input confirm "Split the bill?"`. */
  label: string;
  status: "passed" | "failed" | "cancelled";
  at: number;
  durationMs: number;
  /** Where the step is written (the scenario file for inline flows). */
  file: string;
  line: number;
  /** Why it failed, one line. */
  message?: string;
}

/** An expectation that did not hold, or a problem that made the scenario invalid or fail. */
export interface Failure {
  /** The Diagnostic (span at the scenario line) the console renders Hurl style. */
  diagnostic: Diagnostic;
  expected?: string;
  actual?: string;
  /** The same, rendered without colour against the source: what reports show. */
  rendered: string;
}

export interface ScenarioResult {
  id: string;
  name: string;
  file: string;
  line: number;
  tags: string[];
  example?: { index: number; values: Record<string, string> };
  status: ScenarioStatus;
  /** Wall time spent on it. */
  wallMs: number;
  /** Terminal time from the first request until the terminal settled. */
  virtualMs: number;
  /** The runtime's verdict on the flow (`passed`, `failed`, `error`, ...), when it ran. */
  runStatus?: string;
  failures: Failure[];
  steps: StepRecord[];
  exchanges: Exchange[];
  timeline: TimelineEntry[];
  captures: Record<string, unknown>;
  /**
   * Each `call` the flow made: the step, the called file and the params it gave (what a secret-named
   * one holds is learnt from here, so no report shows it).
   */
  calls?: { path: string; file: string; params: Record<string, unknown> }[];
  /** With `--update` and a `timeline matches golden` expectation: the timeline to store. */
  goldenUpdate?: TimelineEntry[];
}

/** What a scenario, run or not, is known by: its place, tags and example row. */
export interface ScenarioIdentity {
  id: string;
  name: string;
  file: string;
  span: { start: { line: number } };
  tags: string[];
  example?: { index: number; values: Record<string, string> };
}

/** A result with nothing recorded yet: the start of a run, or all there is of a scenario not run. */
export function emptyResult(scenario: ScenarioIdentity, status: ScenarioStatus): ScenarioResult {
  return {
    id: scenario.id,
    name: scenario.name,
    file: scenario.file,
    line: scenario.span.start.line,
    tags: scenario.tags,
    ...(scenario.example ? { example: { index: scenario.example.index, values: scenario.example.values } } : {}),
    status,
    wallMs: 0,
    virtualMs: 0,
    failures: [],
    steps: [],
    exchanges: [],
    timeline: [],
    captures: {},
  };
}

export interface SuiteTotals {
  passed: number;
  failed: number;
  invalid: number;
  error: number;
  skipped: number;
}

export interface SuiteResult {
  /** ISO-8601 time the suite started (wall clock). */
  startedAt: string;
  wallMs: number;
  scenarios: ScenarioResult[];
  totals: SuiteTotals;
  /** Problems outside any scenario (unreadable files, YAML syntax errors), rendered. */
  fileErrors: Failure[];
  /** Set when Ctrl-C stopped the suite. */
  interrupted?: boolean;
}

/** Counts per status. */
export function totalsOf(scenarios: readonly ScenarioResult[], fileErrors = 0): SuiteTotals {
  const totals: SuiteTotals = { passed: 0, failed: 0, invalid: fileErrors, error: 0, skipped: 0 };
  for (const s of scenarios) totals[s.status]++;
  return totals;
}

/** `3 passed, 1 failed` (and `, 2 skipped` when any were skipped): the summary's last line. */
export function suiteSummaryLine(totals: SuiteTotals): string {
  const failed = totals.failed + totals.invalid + totals.error;
  return `${totals.passed} passed, ${failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ""}`;
}
