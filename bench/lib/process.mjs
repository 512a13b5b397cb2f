// Whole-process rows: A and B are commands, run one after the other (alternating which goes first)
// for every round, each timed from spawn to exit: wall time, and CPU time from the kernel's account
// of waited-for children. The row's processes inherit nothing from this one but the environment.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { childrenCpuMs } from "./machine.mjs";
import { median, summary } from "./stats.mjs";

const PEAK_PROBE = pathToFileURL(join(import.meta.dirname, "peak-memory.mjs")).href;

/** Runs one command to completion; throws with its output when it fails. */
async function once(argv, options) {
  const peakFile = options.memory ? join(options.scratch, `peak-${process.pid}-${Date.now()}`) : undefined;
  const args = peakFile && argv[0] === process.execPath ? [`--import=${PEAK_PROBE}`, ...argv.slice(1)] : argv.slice(1);
  const cpuBefore = await childrenCpuMs();
  const start = performance.now();
  const run = spawnSync(argv[0], args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...(peakFile ? { BENCH_PEAK_FILE: peakFile } : {}) },
    encoding: "utf8",
    maxBuffer: 256 * 2 ** 20,
  });
  const wall = performance.now() - start;
  const cpuAfter = await childrenCpuMs();
  const expected = options.exitCode ?? 0;
  if (run.status !== expected) {
    throw new Error(
      `\`${argv.join(" ")}\` exited ${run.status ?? run.signal} (expected ${expected}):\n${(run.stdout ?? "").slice(-1500)}${(run.stderr ?? "").slice(-1500)}`,
    );
  }
  let peakKiB;
  if (peakFile) {
    try {
      peakKiB = Number(readFileSync(peakFile, "utf8"));
    } catch {
      peakKiB = undefined;
    }
  }
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : cpuAfter - cpuBefore;
  return { wall, cpu, peakMiB: peakKiB === undefined ? Number.NaN : peakKiB / 1024 };
}

/** Runs a process row: setup here, then the rounds. Returns the same shape as in-process rows, plus CPU. */
export async function runProcessRow(row, context) {
  const scratch = mkdtempSync(join(tmpdir(), "termflow-bench-"));
  try {
    const state = (await row.setup?.({ ...context, scratch })) ?? {};
    const rounds = context.quick ? (row.rounds?.quick ?? 2) : (row.rounds?.full ?? 7);
    const options = (side) => ({ cwd: context.root, scratch, memory: row.memory, exitCode: side.exitCode });
    for (let i = 0; i < (row.warmup ?? 1); i++) {
      await once(row.a.argv(state), options(row.a));
      await once(row.b.argv(state), options(row.b));
    }
    const a = [];
    const b = [];
    const ratios = [];
    const cpuRatios = [];
    for (let i = 0; i < rounds; i++) {
      const aFirst = i % 2 === 0;
      const first = await once((aFirst ? row.a : row.b).argv(state), options(aFirst ? row.a : row.b));
      const second = await once((aFirst ? row.b : row.a).argv(state), options(aFirst ? row.b : row.a));
      const [ra, rb] = aFirst ? [first, second] : [second, first];
      a.push(ra);
      b.push(rb);
      ratios.push(ra.wall / rb.wall);
      cpuRatios.push(ra.cpu / rb.cpu);
    }
    const side = (runs) => ({
      ...summary(runs.map((r) => r.wall)),
      cpu: median(runs.map((r) => r.cpu)),
      peakMiB: median(runs.map((r) => r.peakMiB)),
    });
    const result = {
      kind: "process",
      a: side(a),
      b: side(b),
      ratio: median(ratios),
      cpuRatio: median(cpuRatios),
      rounds,
    };
    result.details = (await row.details?.(state, context, result)) ?? [];
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
