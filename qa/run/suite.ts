/**
 * A whole `termflow test` run: discover scenario files, load them, select (`--grep`, `--tag`,
 * `--shard`), run the rest on `--jobs` runners, stop early on `--bail` or an interrupt, write
 * golden timelines on `--update`, and collect everything into a SuiteResult.
 */
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import type { Diagnostic, SourceLookup } from "../../language/index.js";
import { discoverScenarioFiles } from "../discover.js";
import { loadScenarioFile, type InvalidScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/model.js";
import { emptyResult, totalsOf, type Failure, type ScenarioResult, type SuiteResult } from "../result.js";
import { failureOf } from "./run-scenario.js";
import { readGolden, writeGoldens, type GoldenFile } from "./golden.js";
import { inThreadRunner, workerRunner, type ScenarioRunner } from "./pool.js";
import { select, type Selection } from "./select.js";
import { fileSources } from "./sources.js";
import { LineIndex } from "../../language/index.js";

export interface SuiteOptions extends Selection {
  paths: readonly string[];
  cwd: string;
  /** Scenarios run at once: one in this thread, the others on worker threads. */
  jobs?: number;
  /** Stop after the first failed scenario; the rest are reported skipped. */
  bail?: boolean;
  /** Write golden timelines instead of comparing them. */
  update?: boolean;
  /** Stops the suite: running scenarios finish or are dropped, the rest are skipped. */
  signal?: AbortSignal;
  /** `invalid`: how many of the `scenarios` are invalid and will not run (they count as failed). */
  /** `secrets`: what the files give secret-named params, vars and columns (LoadedScenarios). */
  onStart?(info: { scenarios: number; files: number; jobs: number; invalid: number; secrets: string[] }): void;
  onScenarioStart?(scenario: { id: string; name: string; file: string; line: number }): void;
  onScenarioEnd?(result: ScenarioResult): void;
}

export interface SuiteRun {
  suite: SuiteResult;
  /** Golden files written by `--update`. */
  goldensWritten: string[];
  sources: SourceLookup;
  /** Scenarios in the files (examples rows each count), before `--grep`/`--tag`/`--shard`. */
  found: number;
  /** Of those, how many `--grep` and `--tag` kept (before `--shard` took its part). */
  matched: number;
}

type Entry = { kind: "run"; scenario: Scenario } | { kind: "invalid"; invalid: InvalidScenario };

export async function runSuite(options: SuiteOptions): Promise<SuiteRun> {
  const wallStart = performance.now();
  const startedAt = new Date().toISOString();
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  // N at once: this thread runs scenarios too (it would only wait otherwise, and it can start
  // at once), next to N - 1 worker threads, which start while this thread reads the files.
  const runners: ScenarioRunner[] = [inThreadRunner(options.cwd)];
  for (let w = 1; w < jobs; w++) runners.push(workerRunner(options.cwd, true));
  try {
    return await runWith(runners, jobs, options, wallStart, startedAt);
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
}

async function runWith(
  runners: ScenarioRunner[],
  jobs: number,
  options: SuiteOptions,
  wallStart: number,
  startedAt: string,
): Promise<SuiteRun> {
  const sources = fileSources(options.cwd);
  const discovered = discoverScenarioFiles(options.paths, options.cwd);
  const fileErrors: Failure[] = discovered.problems.map((p) =>
    failureOf(
      {
        code: "file-not-found",
        severity: "error",
        message: `${p.path}: ${p.message}`,
        span: new LineIndex("", p.path).span(0, 0),
      },
      () => undefined,
    ),
  );
  const entries: Entry[] = [];
  const goldens = new Map<string, GoldenFile>();
  const secrets: string[] = [];
  for (const file of discovered.files) {
    // Spans name files as the user sees them: relative to cwd.
    const loaded = loadScenarioFile(file, { cwd: options.cwd });
    secrets.push(...loaded.secrets);
    fileErrors.push(...dedupe(loaded.diagnostics).map((d) => failureOf(d, sources)));
    for (const scenario of loaded.scenarios) entries.push({ kind: "run", scenario });
    for (const invalid of loaded.invalid) entries.push({ kind: "invalid", invalid });
    if (loaded.scenarios.some((s) => s.expectations.some((e) => e.kind === "golden-timeline")))
      goldens.set(file, readGolden(resolve(options.cwd, file)));
  }
  const byFileOrder = new Map(discovered.files.map((f, i) => [f, i]));
  entries.sort(
    (a, b) => (byFileOrder.get(fileOf(a)) ?? 0) - (byFileOrder.get(fileOf(b)) ?? 0) || position(a) - position(b),
  );

  const selectable = entries.map((e) => ({
    entry: e,
    id: e.kind === "run" ? e.scenario.id : e.invalid.id,
    name: e.kind === "run" ? e.scenario.name : e.invalid.name,
    tags: e.kind === "run" ? e.scenario.tags : e.invalid.tags,
  }));
  const selected = select(selectable, options).map((s) => s.entry);
  const matched = options.shard ? select(selectable, { ...options, shard: undefined }).length : selected.length;

  options.onStart?.({
    scenarios: selected.length,
    files: new Set(selected.map(fileOf)).size,
    jobs,
    invalid: selected.filter((e) => e.kind === "invalid").length,
    secrets,
  });
  const results: Array<ScenarioResult | undefined> = selected.map(() => undefined);
  let stop = false;
  const interrupted = (): boolean => options.signal?.aborted === true;

  selected.forEach((e, i) => {
    if (e.kind !== "invalid") return;
    const r = invalidResult(e.invalid, sources);
    results[i] = r;
    options.onScenarioEnd?.(r);
    if (options.bail) stop = true;
  });

  const queue = selected.flatMap((e, i) => (e.kind === "run" ? [{ scenario: e.scenario, index: i }] : []));
  await Promise.all(
    runners.map(async (runner) => {
      for (;;) {
        if (stop || interrupted()) return;
        const next = queue.shift();
        if (!next) return;
        const { scenario, index } = next;
        options.onScenarioStart?.({
          id: scenario.id,
          name: scenario.name,
          file: scenario.file,
          line: scenario.span.start.line,
        });
        let result: ScenarioResult;
        try {
          result = await runner.run({
            scenario,
            update: options.update === true,
            golden: goldens.get(scenario.file)?.[scenario.name],
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          result = crashResult(scenario, message, sources);
        }
        results[index] = result;
        options.onScenarioEnd?.(result);
        if (options.bail && result.status !== "passed" && result.status !== "skipped") stop = true;
      }
    }),
  );

  // Whatever did not run (bail, interrupt) is reported as skipped, with the reason.
  const scenarios = results.map(
    (r, i) =>
      r ?? skippedResult(selected[i], interrupted() ? "interrupted" : "not run: --bail stopped the suite", sources),
  );
  const goldensWritten = options.update ? writeGoldens(scenarios, (f) => resolve(options.cwd, f)) : [];
  return {
    suite: {
      startedAt,
      wallMs: Math.round(performance.now() - wallStart),
      scenarios,
      totals: totalsOf(scenarios, fileErrors.length),
      fileErrors,
      ...(interrupted() ? { interrupted: true } : {}),
    },
    goldensWritten,
    sources,
    found: entries.length,
    matched,
  };
}

function fileOf(e: Entry): string {
  return e.kind === "run" ? e.scenario.file : e.invalid.file;
}

function position(e: Entry): number {
  const span = e.kind === "run" ? e.scenario.span : e.invalid.span;
  const row = e.kind === "run" ? (e.scenario.example?.index ?? 0) : 0;
  return span.start.offset * 1000 + row;
}

/** The same diagnostic reported by every examples row of a scenario is shown once. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.span.file}|${d.span.start.offset}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function invalidResult(invalid: InvalidScenario, sources: SourceLookup): ScenarioResult {
  return {
    ...emptyResult(invalid, "invalid"),
    failures: dedupe(invalid.diagnostics.filter((d) => d.severity === "error")).map((d) => failureOf(d, sources)),
  };
}

function crashResult(scenario: Scenario, message: string, sources: SourceLookup): ScenarioResult {
  const diagnostic: Diagnostic = {
    code: "runner-error",
    severity: "error",
    message: `the runner could not run this scenario: ${message}`,
    span: scenario.span,
  };
  return { ...emptyResult(scenario, "error"), failures: [failureOf(diagnostic, sources)] };
}

function skippedResult(entry: Entry, reason: string, sources: SourceLookup): ScenarioResult {
  const base = entry.kind === "run" ? entry.scenario : entry.invalid;
  const diagnostic: Diagnostic = { code: "skipped", severity: "warning", message: reason, span: base.span };
  return { ...emptyResult(base, "skipped"), failures: [failureOf(diagnostic, sources)] };
}
