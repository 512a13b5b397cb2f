/**
 * `npm run fuzz`: the parsers (flows and scenarios, text and YAML), the pathological inputs, the CLI
 * on a sample, and the simulator over HTTP, with a summary of counts and figures. Exits 1 when
 * anything was found; each finding's case is written to the output folder and can be replayed
 * alone (`FC_SEED=<seed> npm run fuzz -- --only <family> --case <index>`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fuzzParsers, fuzzPathological, percentile, type ParserFuzzSummary, type PathologicalFigures } from "./fuzz.js";
import { caseOf, type JobDone } from "./jobs.js";
import type { Finding } from "./parser-check.js";
import { fuzzSimulator, type SimFuzzSummary } from "./simulator-run.js";
import type { SimCase } from "./simulator-cases.js";

const HELP = `npm run fuzz [-- options]    (builds first; not part of npm test, which runs a seeded slice)

  --parser <n>        parser cases, spread over 14 families (default 100000)
  --sim <n>           simulator requests over HTTP (default 10000)
  --skip <part>       leave out parser, pathological, sim (repeatable)
  --scale <x>         size of the pathological inputs (default 1: as issue 8 gives them)
  --cli-every <n>     every n-th parser case also runs check/fmt/convert/plan/run --dry-run
                      (or test, for scenarios) in-process (default 100)
  --bundle-every <n>  every n-th parser case runs them as child processes of dist/termflow.mjs (default 2000)
  --only <text>       only families (or pathological inputs) whose name contains <text>
  --case <i>          replay case <i> of the chosen families, printing its source
  --workers <n>       worker threads for the parser cases (default 1)
  --lanes <n>         simulator requests in flight at once (default 8)
  --slow-clients <n>  slow clients held open against the simulator (default 20)
  --budget-ms <n>     a parser case's time budget before it counts as hung (default 30000)
  --out <dir>         where the cases behind findings are written (default: a folder in $TMPDIR)
  --json              the summary as JSON

The seed is FC_SEED (a random one is drawn and printed when unset): the same seed gives the same cases.`;

const { values: o } = parseArgs({
  options: {
    parser: { type: "string", default: "100000" },
    sim: { type: "string", default: "10000" },
    skip: { type: "string", multiple: true, default: [] },
    scale: { type: "string", default: "1" },
    "cli-every": { type: "string", default: "100" },
    "bundle-every": { type: "string", default: "2000" },
    only: { type: "string" },
    case: { type: "string" },
    workers: { type: "string", default: "1" },
    lanes: { type: "string", default: "8" },
    "slow-clients": { type: "string", default: "20" },
    "budget-ms": { type: "string", default: "30000" },
    out: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (o.help) {
  console.log(HELP);
  process.exit(0);
}

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const skip = new Set(o.skip);
const caseIndex = o.case === undefined ? undefined : Number(o.case);
const out = o.out ?? join(tmpdir(), `termflow-fuzz-${seed}`);
const log = (text: string) => process.stderr.write(`${text}\n`);
const findings: Array<{ where: string; finding: Finding; file?: string }> = [];

function keep(name: string, content: string | Buffer | undefined): string | undefined {
  if (content === undefined) return undefined;
  mkdirSync(out, { recursive: true });
  const file = join(out, name);
  writeFileSync(file, content);
  return file;
}

function onParserFinding(done: JobDone, finding: Finding): void {
  const { family, index } = done.job;
  const where = `${family} #${index}`;
  // A large case is not sent back from the worker: build it again from its seed.
  const source = done.source ?? (family === "pathological" ? undefined : caseOf(done.job, { seed, scale: 1 }).source);
  const file = keep(`${family.replace("/", "-")}-${index}-${done.file ?? "case"}`, source);
  findings.push({ where, finding, file });
  if (!o.json) log(`finding: ${where} ${finding.kind} at ${finding.stage}: ${finding.message.slice(0, 240)}`);
}

function onSimFinding(c: SimCase, index: number, finding: Finding): void {
  const where = `sim/${c.family} #${index}`;
  const file = keep(
    `sim-${c.family}-${index}.${c.kind === "raw" ? "bytes" : "json"}`,
    c.kind === "raw" ? c.bytes : c.body,
  );
  findings.push({ where, finding, file });
  if (!o.json) log(`finding: ${where} ${finding.kind} at ${finding.stage}: ${finding.message.slice(0, 240)}`);
}

log(`termflow fuzz, FC_SEED=${seed}`);
const started = performance.now();
let parser: ParserFuzzSummary | undefined;
let pathological: PathologicalFigures[] | undefined;
let sim: SimFuzzSummary | undefined;

if (!skip.has("parser")) {
  log(`parser: ${caseIndex === undefined ? `${o.parser} cases` : `case ${caseIndex}`} ...`);
  if (caseIndex !== undefined && o.only) {
    // Replaying: show the case itself.
    const c = caseOf({ family: o.only, index: caseIndex }, { seed, scale: 1 });
    log(`--- ${c.family} #${caseIndex} (${c.file}) ---\n${c.source}\n---`);
  }
  parser = await fuzzParsers({
    seed,
    count: Number(o.parser),
    only: o.only,
    caseIndex,
    cliEvery: Number(o["cli-every"]),
    bundleEvery: Number(o["bundle-every"]),
    workers: Number(o.workers),
    budgetMs: Number(o["budget-ms"]),
    heapLimitMb: 2048,
    onFinding: onParserFinding,
  });
}
if (!skip.has("pathological") && caseIndex === undefined) {
  log("pathological inputs, each through the front end and every CLI command ...");
  pathological = await fuzzPathological({
    scale: Number(o.scale),
    only: o.only,
    budgetMs: 120_000,
    heapLimitMb: 2048,
    cli: "bundle",
    onFinding: onParserFinding,
  });
}
if (!skip.has("sim")) {
  log(`simulator: ${o.sim} requests over HTTP to a termflow sim process ...`);
  sim = await fuzzSimulator({
    seed,
    count: Number(o.sim),
    lanes: Number(o.lanes),
    budgetMs: 15_000,
    slowClients: Number(o["slow-clients"]),
    onFinding: onSimFinding,
    only: caseIndex !== undefined ? { index: caseIndex, ...(o.only ? { family: o.only } : {}) } : undefined,
  });
}
const wallMs = performance.now() - started;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);
const mb = (n: number | undefined) => (n === undefined ? "-" : `${n.toFixed(0)} MB`);

if (o.json) {
  console.log(
    JSON.stringify(
      { seed, wallMs, peakRssMb, parser, pathological, sim, findings },
      (k, v) => (k === "times" ? undefined : v),
      2,
    ),
  );
} else {
  const lines: string[] = [
    `\ntermflow fuzz summary (FC_SEED=${seed}), ${ms(wallMs)}, fuzzer peak RSS ${mb(peakRssMb)}`,
  ];
  if (parser) {
    const all = Object.values(parser.families).flatMap((f) => f.times);
    lines.push(
      `\nparser: ${parser.cases} cases in ${ms(parser.wallMs)}; per case median ` +
        `${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}, max ${ms(Math.max(0, ...all))} (budget ` +
        `${ms(Number(o["budget-ms"]))})`,
    );
    lines.push("  family                   cases  findings   p99       max      slowest case");
    for (const [name, f] of Object.entries(parser.families))
      lines.push(
        `  ${name.padEnd(24)} ${String(f.cases).padStart(6)} ${String(f.findings).padStart(9)}   ` +
          `${ms(percentile(f.times, 99)).padEnd(9)} ${ms(f.maxMs).padEnd(8)} #${f.slowest}`,
      );
    lines.push(`  CLI in-process: ${parser.cli.cases} cases, ${parser.cli.commands} commands`);
    const codes: Record<string, number> = {};
    for (const r of parser.bundle.runs) codes[String(r.code)] = (codes[String(r.code)] ?? 0) + 1;
    lines.push(
      `  CLI bundle (child processes): ${parser.bundle.cases} cases, ${parser.bundle.runs.length} ` +
        `commands, exit codes ${JSON.stringify(codes)}, peak RSS max ` +
        `${mb(Math.max(0, ...parser.bundle.runs.map((r) => r.peakRssMb ?? 0)))}`,
    );
  }
  if (pathological) {
    lines.push(
      "\npathological inputs (front end in-process; then each command as a process: exit code, time, peak RSS)",
    );
    for (const p of pathological) {
      const runs = p.runs.map((r) => `${r.command} ${r.code ?? r.signal} ${ms(r.ms)} ${mb(r.peakRssMb)}`).join(" | ");
      lines.push(
        `  ${p.findings.length ? "✗" : "✓"} ${p.name} (${(p.bytes / 1e6).toFixed(2)} MB): front end ${ms(p.frontMs)}; ${runs}`,
      );
    }
  }
  if (sim) {
    lines.push(
      `\nsimulator: ${sim.cases} requests over HTTP (${Object.entries(sim.byFamily)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")})`,
      `  statuses ${JSON.stringify(sim.statuses)}`,
      `  answer time p99 ${ms(sim.p99Ms)}, max ${ms(sim.maxMs)}; ${sim.slowClientsClosedMs.length} slow ` +
        `clients closed by the server after ` +
        `${sim.slowClientsClosedMs.length ? `${ms(Math.min(...sim.slowClientsClosedMs))}-${ms(Math.max(...sim.slowClientsClosedMs))}` : "-"}`,
      `  termflow sim process: RSS ${sim.rssSamplesMb[0] ?? "-"} MB at start, ` +
        `${sim.rssSamplesMb.at(-1) ?? "-"} MB at the end, peak ${mb(sim.peakRssMb)}; Ctrl-C exit ` +
        `${sim.exitCode} in ${ms(sim.stopMs)}`,
    );
  }
  const byKind: Record<string, number> = {};
  for (const f of findings) byKind[f.finding.kind] = (byKind[f.finding.kind] ?? 0) + 1;
  lines.push(
    findings.length === 0
      ? "\n0 findings: 0 throws, 0 internal errors, 0 hangs, 0 HTTP 500, 0 CLI exits outside 0/1/2"
      : `\n${findings.length} findings: ${JSON.stringify(byKind)}; the cases are in ${out}`,
  );
  console.log(lines.join("\n"));
}
process.exitCode = findings.length > 0 ? 1 : 0;
