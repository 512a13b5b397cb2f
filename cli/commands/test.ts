/** `termflow test [paths...]`: run QA scenarios on the simulator and report (docs/scenarios.md). */
import { type Command, InvalidArgumentError } from "commander";
import pc from "picocolors";
import { useColor, type CliIO } from "../io.js";
import { EXIT, suiteExit } from "../exit-codes.js";
import { fileSources, parseReporter, parseShard, runSuite, writeReports, type ReportSpec } from "../../qa/index.js";
import { ConsoleReporter } from "../reporters/suite-console.js";

const EXAMPLES = `
Examples:
  $ termflow test                                   run every scenario under flows/scenarios
  $ termflow test flows/scenarios/declines.scenario.yaml --grep "124"
  $ termflow test --jobs 4 --tag session --tag '!slow'
  $ termflow test --shard 2/3 --reporter junit=reports/junit.xml --reporter html=reports/report.html
  $ termflow test --update                          rewrite golden timelines

Scenario files are *.scenario (text) and *.scenario.yaml (YAML); directories are searched
recursively. Each scenario runs on a fresh simulator with a virtual clock, so waiting screens cost
no wall time. Exit codes: 0 all passed, 1 a scenario failed, 2 an invalid scenario or usage,
3 a scenario could not be run or a report not written, 130 interrupted. Docs: docs/scenarios.md`;

interface TestOptions {
  jobs: number;
  shard?: { index: number; count: number };
  grep?: string;
  tag: string[];
  bail?: boolean;
  update?: boolean;
  reporter: ReportSpec[];
  color?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError("use a whole number from 1 to 64");
  return n;
}

function shard(value: string): { index: number; count: number } {
  const parsed = parseShard(value);
  if (!parsed) throw new InvalidArgumentError("use <index>/<count> with 1 <= index <= count, e.g. 2/3");
  return parsed;
}

function reporter(value: string, previous: ReportSpec[]): ReportSpec[] {
  const parsed = parseReporter(value);
  if ("error" in parsed) throw new InvalidArgumentError(parsed.error);
  return [...previous, parsed];
}

export function register(program: Command, io: CliIO): void {
  program
    .command("test")
    .description("run QA scenarios against the simulator and report what the terminal showed")
    .argument("[paths...]", "scenario files or directories (default: flows/scenarios)")
    .option("-j, --jobs <n>", "scenarios run at once (the main thread and n - 1 worker threads)", positiveInt, 1)
    .option("--shard <i/n>", "run only the i-th of n equal parts of the suite (CI matrices)", shard)
    .option("-g, --grep <pattern>", "run scenarios whose name matches (a regular expression, any case)")
    .option(
      "-t, --tag <tag>",
      "run scenarios with this tag (repeat for any of several; `!tag` leaves them out)",
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option("--bail", "stop after the first failed scenario")
    .option("-u, --update", "write golden timelines instead of comparing them")
    .option(
      "-r, --reporter <format=path>",
      "also write a report: junit=<path>, json=<path>, html=<path> (repeatable)",
      reporter,
      [],
    )
    .option("--color", "colour the output (default: on a terminal, unless NO_COLOR is set)")
    .option("--no-color", "never colour the output")
    .addHelpText("after", EXAMPLES)
    .action(async (paths: string[], options: TestOptions) => {
      io.exitCode = await test(paths, options, io);
    });
}

/** Why no scenario was selected, when none was (`--shard` alone may leave a part empty). */
function nothingToRun(
  paths: readonly string[],
  options: TestOptions,
  found: number,
  matched: number,
): string | undefined {
  if (found === 0)
    return `no scenarios found in ${paths.length > 0 ? paths.join(", ") : "flows/scenarios"} (files named *.scenario or *.scenario.yaml)`;
  if (matched > 0) return undefined;
  const filters = [
    ...(options.grep !== undefined ? [`--grep ${JSON.stringify(options.grep)}`] : []),
    ...options.tag.map((t) => `--tag ${t}`),
  ].join(" ");
  return `no scenario matches ${filters}: none of the ${found} scenario${found === 1 ? "" : "s"} found was selected`;
}

/** Runs the suite, prints it, writes the reports; returns the exit code. */
export async function test(paths: readonly string[], options: TestOptions, io: CliIO): Promise<number> {
  const color = useColor(io, options.color);
  const c = pc.createColors(color);
  const abort = new AbortController();
  const unsubscribe = io.onInterrupt(() => abort.abort());
  // A pseudo-terminal without a size (columns 0) would send ora's line counting into an endless loop.
  // ora is loaded only for a terminal: CI runs never load it (nor chalk).
  const onTerminal = io.isTTY && process.stdout.isTTY === true && (process.stdout.columns ?? 0) > 0;
  const spinner = onTerminal ? (await import("ora")).default : undefined;
  // Secrets the scenario files give (params, vars, examples columns) are learnt when they load,
  // captured ones when their scenario ends; io hides them in the console and the reports.
  const secrets = io.secrets;
  const reporter = new ConsoleReporter({
    write: io.stdout,
    safe: io.safe,
    ...(spinner ? { spinner } : {}),
    color,
    sources: fileSources(io.cwd),
  });
  try {
    const run = await runSuite({
      paths,
      cwd: io.cwd,
      jobs: options.jobs,
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.grep !== undefined ? { grep: options.grep } : {}),
      tags: options.tag,
      bail: options.bail === true,
      update: options.update === true,
      signal: abort.signal,
      onStart: (info) => {
        secrets.add(...info.secrets);
        reporter.start(info);
      },
      onScenarioStart: (s) => reporter.scenarioStart(s),
      onScenarioEnd: (r) => {
        secrets.addFrom(r);
        reporter.scenarioEnd(r);
      },
    });
    const notes = run.goldensWritten.map((f) => c.dim(`Wrote golden timelines to ${f}`));
    const problems = writeReports(options.reporter, run.suite, io.cwd, secrets);
    for (const spec of options.reporter)
      if (!problems.some((p) => p.includes(spec.path)))
        notes.push(c.dim(`Wrote the ${spec.format} report to ${spec.path}`));
    // Nothing to run is a mistake (a typo in --grep, a wrong path), not a pass: CI must not go green on it.
    const nothing =
      run.suite.interrupted || run.suite.fileErrors.length > 0
        ? undefined
        : nothingToRun(paths, options, run.found, run.matched);
    if (nothing) problems.push(nothing);
    if (run.matched > 0 && run.suite.scenarios.length === 0 && options.shard)
      notes.push(
        c.yellow(`Shard ${options.shard.index}/${options.shard.count} has none of the ${run.matched} scenarios.`),
      );
    reporter.finish(run.suite, notes);
    for (const p of problems) io.stderr(`${c.bold(c.red("error"))}${c.bold(`: ${p}`)}\n`);
    const code = suiteExit(run.suite);
    if (nothing) return Math.max(code, EXIT.invalid);
    return problems.length > 0 ? Math.max(code, EXIT.transport) : code;
  } finally {
    unsubscribe();
  }
}
