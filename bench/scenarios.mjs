#!/usr/bin/env node
// Benchmark (not a test): 500 scenarios, each with 5 s waiting screens, run by the bundled CLI with
// --jobs 1 and --jobs 2. Prints the wall times and their ratio; the waiting screens cost terminal
// (virtual) time only. Run `npm run build` first, then `node bench/scenarios.mjs [count] [rounds]`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "termflow.mjs");
const count = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 3);
const perFile = 10;

if (!existsSync(cli)) {
  console.error("dist/termflow.mjs is missing: run `npm run build` first.");
  process.exit(2);
}

/** One scenario: a session whose input, display and payment each get a 5 s waiting screen. */
function scenario(i) {
  const cents = String(100 + (i % 800)).padStart(3, "0");
  return `scenario "bench ${i}"
given shopper answers "Split the bill?" with ${i % 2 === 0 ? "yes" : "no"}
then waiting 5000ms after input "Split the bill?" shown 5000ms
then waiting 5000ms after display "Table ${i}" shown 5000ms
then waiting 5000ms after payment shown 5000ms
then sent admin end once

session waiting 5000 <
  input confirm "Split the bill?" as split
  wait 6s
  display "Table ${i}"
  wait 6s
  pay 1${cents.slice(0, 1)}.${cents.slice(1)} EUR as payment
  expect payment.result == "approved" or payment.result == "declined"
  wait 6s
>
`;
}

const dir = mkdtempSync(join(tmpdir(), "termflow-bench-"));
try {
  for (let f = 0; f * perFile < count; f++) {
    const body = [];
    for (let i = f * perFile; i < Math.min(count, (f + 1) * perFile); i++) body.push(scenario(i));
    writeFileSync(join(dir, `bench-${String(f).padStart(3, "0")}.scenario`), body.join("\n"));
  }

  const run = (jobs) => {
    const start = performance.now();
    const r = spawnSync(process.execPath, [cli, "test", dir, "--jobs", String(jobs)], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    const wall = performance.now() - start;
    const last = r.stdout.trimEnd().split("\n").pop();
    const ran = /Ran (\d+) scenarios in .* \((.*) of terminal time\)/.exec(r.stdout);
    if (r.status !== 0) {
      console.error(r.stdout.slice(-2000), r.stderr);
      throw new Error(`--jobs ${jobs} exited ${r.status}`);
    }
    return { wall, summary: last, terminal: ran?.[2] ?? "?" };
  };

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Other work on the machine steals the second CPU that --jobs 2 needs: say how busy it was.
  const loadBefore = loadavg()[0];
  const results = {};
  for (const jobs of [1, 2]) {
    const walls = [];
    let last;
    for (let k = 0; k < rounds; k++) {
      last = run(jobs);
      walls.push(last.wall);
    }
    results[jobs] = { wall: median(walls), ...last };
  }
  console.log(
    `${count} scenarios, 3 waiting screens of 5 s each, node ${process.version}, ${cpus().length} CPUs, median of ${rounds} runs`,
  );
  console.log(`  load average (1 min) before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0].toFixed(2)}`);
  for (const jobs of [1, 2]) {
    console.log(
      `  --jobs ${jobs}: ${(results[jobs].wall / 1000).toFixed(2)} s wall, ${results[jobs].terminal} of terminal time (${results[jobs].summary})`,
    );
  }
  console.log(`  ratio --jobs 1 / --jobs 2: ${(results[1].wall / results[2].wall).toFixed(2)}x`);

  // The same runs in this process, timing CPU across every thread: what the work itself costs
  // (on a busy machine, wall time is mostly waiting for a CPU).
  const { runSuite } = await import(pathToFileURL(join(root, "dist", "qa", "run", "suite.js")).href);
  const cpu = {};
  for (const jobs of [1, 2]) {
    const before = process.cpuUsage();
    const { suite } = await runSuite({ paths: [dir], cwd: dir, jobs });
    const used = process.cpuUsage(before);
    cpu[jobs] = (used.user + used.system) / 1000;
    if (suite.totals.passed !== count) throw new Error(`in-process --jobs ${jobs}: ${JSON.stringify(suite.totals)}`);
  }
  console.log(
    `  CPU time, all threads: --jobs 1 ${(cpu[1] / 1000).toFixed(2)} s (${(cpu[1] / count).toFixed(1)} ` +
      `ms a scenario), --jobs 2 ${(cpu[2] / 1000).toFixed(2)} s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
