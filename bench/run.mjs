#!/usr/bin/env node
// `npm run bench`: every row of bench/rows/, each a pair A/B measured side by side in one run, and
// the ratio A/B against the row's goal. Not part of `npm test`: it takes minutes and its figures
// depend on the machine. docs/benchmarks.md says how it measures and how to add a row.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { load, machine } from "./lib/machine.mjs";
import { runProcessRow } from "./lib/process.mjs";
import { rowFiles, rowsOf } from "./lib/registry.mjs";
import { consoleReport, markdownSection, meets, writeSection } from "./lib/report.mjs";

const root = join(import.meta.dirname, "..");
const { values: options } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    list: { type: "boolean", default: false },
    write: { type: "boolean" },
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (options.help) {
  console.log(`npm run bench [-- options]    (runs \`npm run build\` first)

  --quick         fewer rounds (and smaller inputs where a row says so): for iterating, not for the record
  --only <text>   only rows whose id or file name contains <text> (repeatable)
  --list          list the rows and exit
  --write         write docs/benchmarks.md even with --quick or --only
  --no-write      never write docs/benchmarks.md

A full run (no --quick, no --only) writes its figures into docs/benchmarks.md.`);
  process.exit(0);
}

if (!existsSync(join(root, "dist", "termflow.mjs"))) {
  console.error("dist/ is missing: run `npm run build` first (`npm run bench` does).");
  process.exit(2);
}

const all = [];
for (const file of rowFiles(root)) all.push(...(await rowsOf(file)));
const chosen = options.only
  ? all.filter((row) => options.only.some((text) => row.id.includes(text) || row.file.includes(text)))
  : all;

if (options.list) {
  for (const row of all) console.log(`${row.id.padEnd(28)} ${row.kind.padEnd(10)} ${row.what}`);
  process.exit(0);
}
if (chosen.length === 0) {
  console.error(`no row matches ${options.only?.join(", ")}; \`npm run bench -- --list\` lists them`);
  process.exit(2);
}

const context = { root, quick: options.quick };
const loadBefore = load();
const entries = [];
for (const row of chosen) {
  process.stderr.write(`running ${row.id} ...`);
  const started = Date.now();
  let result;
  try {
    result = row.kind === "process" ? await runProcessRow(row, context) : inChild(row);
  } catch (error) {
    result = { error: String(error?.message ?? error) };
  }
  process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  entries.push({ row, result });
}
const loadAfter = load();

const m = machine();
const header = [
  `Measured by \`npm run bench${options.quick ? " -- --quick" : ""}\` on ${m.date}: ${m.cores} cores ` +
    `(${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
  `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. A/B is the ` +
    `median of the per-round ratios (each round runs A and B back to back, alternating which goes first); ` +
    `A and B are medians [min-max] over the rounds.`,
];
console.log(consoleReport(entries, header).join("\n"));

const goals = entries.filter(({ row }) => row.goal);
const met = goals.filter(({ row, result }) => meets(row.goal, result.ratio) === true).length;
const failed = entries.filter(({ result }) => result.error).length;
console.log(`\n${met} of ${goals.length} goals met${failed > 0 ? `; ${failed} rows failed to run` : ""}.`);

const full = !options.quick && !options.only;
if (!options["no-write"] && (options.write ?? full)) {
  writeSection(join(root, "docs", "benchmarks.md"), markdownSection(entries, header));
  console.log("wrote docs/benchmarks.md");
} else console.log("docs/benchmarks.md not written (a --quick or --only run; --write forces it)");
process.exitCode = failed > 0 ? 1 : 0;

/** Runs an in-process or measure row in a fresh Node process of its own. */
function inChild(row) {
  const args = [...(row.nodeArgs ?? []), join(root, "bench", "lib", "in-process.mjs"), row.file, row.id];
  const run = spawnSync(process.execPath, [...args, JSON.stringify(context)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`${row.id} exited ${run.status ?? run.signal}: ${run.stderr.slice(-2000)}`);
  const last = run.stdout.trimEnd().split("\n").pop();
  return JSON.parse(last);
}
