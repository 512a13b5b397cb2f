/**
 * Runs one scenario: a fresh simulator on a fresh virtual clock (a 5 s waiting screen costs no wall
 * time), the givens scripted onto it, the flow run in-process by the runtime's `runFlow`, then every
 * expectation checked against the timeline, the requests and the run result.
 */
import { performance } from "node:perf_hooks";
import type { Diagnostic } from "../../language/index.js";
import { renderDiagnostics, type SourceLookup } from "../../language/index.js";
import { Redactor, VirtualClock } from "../../protocol/index.js";
import { runFlow } from "../../runtime/index.js";
import type { RunResult, VarValue } from "../../runtime/index.js";
import { createSimulator } from "../../simulator/index.js";
import { paramValueOf, type Scenario } from "../scenario/model.js";
import { emptyResult, type Failure, type ScenarioResult, type StepRecord, type TimelineEntry } from "../result.js";
import { checkExpectation, goldenOf, type RunView } from "./expectations.js";
import { toExchange } from "./requests.js";
import { scriptTerminal } from "./script-terminal.js";
import { normalizeTimeline } from "./timeline.js";

/** The terminal every scenario talks to (docs/protocol.md's example POIID). */
export const SCENARIO_POIID = "V400m-324688179";

/** Wall time after which a scenario that never finishes is reported instead of hanging the suite. */
const WALL_LIMIT_MS = 30_000;

export interface RunScenarioOptions {
  /** Source text of a file, for Hurl-style failure snippets. */
  sources: SourceLookup;
  /** `--update`: golden timelines are (re)written instead of compared. */
  update?: boolean;
  /** The stored golden timeline of a scenario, if any. */
  golden?: (scenario: Scenario) => TimelineEntry[] | undefined;
}

/** Renders one diagnostic without colour, the way reports show it. */
export function failureOf(
  diagnostic: Diagnostic,
  sources: SourceLookup,
  extra: { expected?: string; actual?: string } = {},
): Failure {
  return { diagnostic, ...extra, rendered: renderDiagnostics([diagnostic], sources).trimEnd() };
}

/** Runs one scenario; resolves with its result, never rejects. */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const base = emptyResult(scenario, "passed");
  if (scenario.tags.includes("skip")) return { ...base, status: "skipped" };
  try {
    const result = await withWallLimit(execute(scenario, options, base));
    return { ...result, wallMs: Math.round(performance.now() - wallStart) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const diagnostic: Diagnostic = {
      code: "runner-error",
      severity: "error",
      message: `the runner could not run this scenario: ${message}`,
      span: scenario.span,
    };
    return {
      ...base,
      status: "error",
      wallMs: Math.round(performance.now() - wallStart),
      failures: [failureOf(diagnostic, options.sources)],
    };
  }
}

async function withWallLimit<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`it did not finish within ${WALL_LIMIT_MS / 1000} s of wall time`)),
      WALL_LIMIT_MS,
    );
    timer.unref();
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function execute(scenario: Scenario, options: RunScenarioOptions, base: ScenarioResult): Promise<ScenarioResult> {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock });
  const terminal = simulator.terminal(SCENARIO_POIID);
  const scripted = scriptTerminal(simulator, terminal, scenario.givens);
  const start = clock.now();
  const cancel = scenario.givens.find((g) => g.kind === "cancel-run");
  const controller = new AbortController();
  const cancelTimer =
    cancel?.kind === "cancel-run" ? clock.setTimeout(() => controller.abort(), cancel.afterMs) : undefined;
  const calls: NonNullable<ScenarioResult["calls"]> = [];
  const run = await runFlow(scenario.flow, {
    calls: scenario.calls,
    on: { call: (e) => calls.push({ path: e.path, file: e.file, params: e.params }) },
    signal: controller.signal,
    terminal: scripted.simulator,
    clock,
    vars: varsOf(scenario),
    poiid: SCENARIO_POIID,
    // Same ids on every run: timelines and request logs are reproducible (golden files rely on it).
    seed: scenario.id,
  });
  const flowEndAt = clock.now() - start;
  if (cancelTimer) clock.clearTimeout(cancelTimer);
  await settle(clock);
  const timeline = normalizeTimeline(terminal.timeline(), start);
  // The run's secret-named params and captures: kept out of the golden file, which is committed.
  const secrets = new Redactor().addFrom(run).addFrom(calls);
  const requests = terminal.requests();
  const view: RunView = {
    timeline,
    requests,
    start,
    flowEndAt,
    run,
    golden: { stored: options.golden?.(scenario), update: options.update === true, secrets },
  };
  const failures: Failure[] = [];
  for (const problem of scripted.problems()) {
    failures.push(
      failureOf(
        {
          code: problem.code,
          severity: "error",
          message: problem.message,
          span: problem.span,
          ...(problem.hint ? { hint: problem.hint } : {}),
        },
        options.sources,
      ),
    );
  }
  if (cancel?.kind === "cancel-run" && !controller.signal.aborted) {
    failures.push(
      failureOf(
        {
          code: "given-unused",
          severity: "error",
          message: `the flow ended at ${flowEndAt} ms, before the cancel at ${cancel.afterMs} ms`,
          span: cancel.span,
          hint: "cancel earlier",
        },
        options.sources,
      ),
    );
  }
  if (!scenario.expectations.some((e) => e.kind === "run"))
    failures.push(...unexpectedRunFailures(run, scenario, options.sources));
  for (const expectation of scenario.expectations) {
    const failed = checkExpectation(expectation, view);
    if (!failed) continue;
    const diagnostic: Diagnostic = {
      code: failed.code,
      severity: "error",
      message: failed.message,
      span: expectation.span,
      hint: `expected: ${failed.expected}\nactual:   ${failed.actual}`,
    };
    failures.push(failureOf(diagnostic, options.sources, { expected: failed.expected, actual: failed.actual }));
  }
  const lastScreen = timeline.length > 0 ? timeline[timeline.length - 1].at : 0;
  const wantsGolden = options.update === true && scenario.expectations.some((e) => e.kind === "golden-timeline");
  return {
    ...base,
    status: failures.length > 0 ? "failed" : "passed",
    virtualMs: Math.max(flowEndAt, lastScreen),
    runStatus: run.status,
    failures,
    steps: run.steps.map(
      (s): StepRecord => ({
        label: s.label,
        status: s.status,
        at: s.startedAt - start,
        durationMs: s.durationMs,
        file: s.span.file,
        line: s.span.start.line,
        ...(s.diagnostic && s.diagnostic.severity === "error" ? { message: s.diagnostic.message } : {}),
      }),
    ),
    exchanges: requests.map((r) => toExchange(r, start)),
    timeline,
    captures: run.captures as Record<string, unknown>,
    ...(calls.length > 0 ? { calls } : {}),
    ...(wantsGolden ? { goldenUpdate: goldenOf(timeline, secrets) } : {}),
  };
}

/** Lets the terminal finish what it shows (a waiting screen running out) after the flow ended. */
async function settle(clock: VirtualClock): Promise<void> {
  try {
    await clock.runAll(10_000);
  } catch {
    // A timer that keeps re-arming itself: the timeline so far is what there is.
  }
}

/** Param values: examples columns named like a param, then `given var` lines (which win). */
function varsOf(scenario: Scenario): Record<string, VarValue> {
  const vars: Record<string, VarValue> = {};
  const params = new Set(scenario.flow.params.map((p) => p.name.name));
  for (const [k, v] of Object.entries(scenario.example?.values ?? {})) if (params.has(k)) vars[k] = v;
  for (const g of scenario.givens) if (g.kind === "var") vars[g.name] = paramValueOf(g.value);
  return vars;
}

/** A run that did not pass, in a scenario that did not say it would fail. */
function unexpectedRunFailures(run: RunResult, scenario: Scenario, sources: SourceLookup): Failure[] {
  if (run.status === "passed") return [];
  const errors: Diagnostic[] =
    run.diagnostics.length > 0
      ? run.diagnostics
      : [
          {
            code: `run-${run.status}`,
            severity: "error" as const,
            message: `the flow ended ${run.status}`,
            span: scenario.span,
          },
        ];
  return errors.map((d) =>
    failureOf(
      {
        ...d,
        message: `the flow ${run.status === "failed" ? "failed" : `ended ${run.status}`}: ${d.message}`,
        related: [
          ...(d.related ?? []),
          {
            message: "this scenario expects the flow to pass (`then run fails` if it should not)",
            span: scenario.span,
          },
        ],
      },
      sources,
    ),
  );
}
