/**
 * The fuzzer's parts as functions: parser cases and pathological inputs on worker threads (with a
 * budget per case and a heap limit), figures gathered as they come. `npm run fuzz` (main.ts) runs
 * them at full size; `fuzz.test.ts` runs a seeded slice in `npm test`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BundleRun, checkCliBundle } from "./cli-check.js";
import type { Job, JobDone } from "./jobs.js";
import { parserFamilies } from "./parser-cases.js";
import type { Finding } from "./parser-check.js";
import { PATHOLOGICAL, pathologicalCase } from "./pathological.js";
import { runJobs } from "./pool.js";

export interface ParserFuzzOptions {
  seed: number;
  /** Cases in all, spread evenly over the families. */
  count: number;
  /** Only families whose name contains this. */
  only?: string;
  /** Replay this one index of each chosen family. */
  caseIndex?: number;
  /** Every n-th case also goes through the CLI in-process (0: none). */
  cliEvery: number;
  /** Every n-th case also goes through the bundled CLI in child processes (0: none). */
  bundleEvery: number;
  workers: number;
  budgetMs: number;
  heapLimitMb: number;
  onFinding: (done: JobDone, finding: Finding) => void;
}

export interface FamilyFigures {
  cases: number;
  findings: number;
  totalMs: number;
  maxMs: number;
  /** The slowest case's index, to replay it. */
  slowest: number;
  bytes: number;
  times: number[];
}

export interface ParserFuzzSummary {
  cases: number;
  families: Record<string, FamilyFigures>;
  findings: Record<string, number>;
  cli: { cases: number; commands: number };
  bundle: { cases: number; runs: BundleRun[] };
  wallMs: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function tally(summary: ParserFuzzSummary, done: JobDone, onFinding: ParserFuzzOptions["onFinding"]): void {
  const f = (summary.families[done.job.family] ??= {
    cases: 0,
    findings: 0,
    totalMs: 0,
    maxMs: 0,
    slowest: 0,
    bytes: 0,
    times: [],
  });
  summary.cases++;
  f.cases++;
  f.totalMs += done.ms;
  f.bytes += done.bytes ?? 0;
  f.times.push(done.ms);
  if (done.ms > f.maxMs) {
    f.maxMs = done.ms;
    f.slowest = done.job.index;
  }
  if (done.job.cli === "in-process") {
    summary.cli.cases++;
    summary.cli.commands += done.job.family.startsWith("scenario") ? 1 : 5;
  }
  if (done.runs) {
    summary.bundle.cases++;
    summary.bundle.runs.push(...done.runs);
  }
  for (const finding of done.findings) {
    f.findings++;
    summary.findings[finding.kind] = (summary.findings[finding.kind] ?? 0) + 1;
    onFinding(done, finding);
  }
}

/** Runs `count` parser cases over every family (or one case index per family). */
export async function fuzzParsers(options: ParserFuzzOptions): Promise<ParserFuzzSummary> {
  const started = performance.now();
  const families = parserFamilies()
    .map((f) => f.name)
    .filter((name) => !options.only || name.includes(options.only));
  const jobs: Job[] = [];
  if (options.caseIndex !== undefined) for (const family of families) jobs.push({ family, index: options.caseIndex });
  else
    for (let k = 0; k < options.count; k++) {
      const job: Job = { family: families[k % families.length], index: Math.floor(k / families.length) };
      if (options.bundleEvery > 0 && k % options.bundleEvery === options.bundleEvery - 1) job.cli = "bundle";
      else if (options.cliEvery > 0 && k % options.cliEvery === options.cliEvery - 1) job.cli = "in-process";
      jobs.push(job);
    }
  const summary: ParserFuzzSummary = {
    cases: 0,
    families: {},
    findings: {},
    cli: { cases: 0, commands: 0 },
    bundle: { cases: 0, runs: [] },
    wallMs: 0,
  };
  await runJobs(jobs, {
    setup: { seed: options.seed, scale: 1, bundleTimeoutMs: 60_000 },
    workers: options.workers,
    budgetMs: (job) => (job.cli ? options.budgetMs * 4 : options.budgetMs),
    heapLimitMb: options.heapLimitMb,
    onDone: (done) => tally(summary, done, options.onFinding),
  });
  summary.wallMs = performance.now() - started;
  return summary;
}

export interface PathologicalFigures {
  name: string;
  bytes: number;
  /** check, fmt and convert in the worker, together. */
  frontMs: number;
  runs: BundleRun[];
  findings: Finding[];
}

/**
 * Every pathological input at `scale`: the front end in a worker (budget, heap limit), then each
 * CLI command on it as a process of its own, from here, so a front end that dies in the worker
 * still gets its CLI figures.
 */
export async function fuzzPathological(options: {
  scale: number;
  only?: string;
  budgetMs: number;
  heapLimitMb: number;
  /** The CLI in-process (fast) or as the bundle's processes (what users run; figures per command). */
  cli: "in-process" | "bundle";
  onFinding: (done: JobDone, finding: Finding) => void;
}): Promise<PathologicalFigures[]> {
  const chosen = PATHOLOGICAL.map((p, index) => ({ p, index })).filter(
    ({ p }) => !options.only || p.name.includes(options.only),
  );
  const figures = new Map<number, PathologicalFigures>();
  const report = (done: JobDone) => {
    const f = figures.get(done.job.index) ?? {
      name: PATHOLOGICAL[done.job.index].name,
      bytes: 0,
      frontMs: 0,
      runs: [],
      findings: [],
    };
    figures.set(done.job.index, f);
    if (done.bytes) f.bytes = done.bytes;
    if (done.runs) f.runs.push(...done.runs);
    else f.frontMs = done.ms;
    f.findings.push(...done.findings);
    for (const finding of done.findings) options.onFinding(done, finding);
  };
  await runJobs(
    chosen.map(({ index }) => ({
      family: "pathological",
      index,
      ...(options.cli === "in-process" ? { cli: "in-process" as const } : {}),
    })),
    {
      setup: { seed: 0, scale: options.scale, bundleTimeoutMs: options.budgetMs },
      workers: 1,
      budgetMs: () => options.budgetMs * (options.cli === "in-process" ? 6 : 1),
      heapLimitMb: options.heapLimitMb,
      onDone: report,
    },
  );
  if (options.cli === "bundle") {
    const dir = mkdtempSync(join(tmpdir(), "termflow-fuzz-cli-"));
    try {
      for (const { p, index } of chosen) {
        const c = pathologicalCase(p, options.scale);
        const { findings, runs } = await checkCliBundle(c, dir, options.budgetMs);
        report({
          job: { family: "pathological", index, cli: "bundle" },
          ms: 0,
          bytes: c.source.length,
          file: c.file,
          findings,
          runs,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return chosen.map(({ index }) => figures.get(index)!).filter(Boolean);
}
