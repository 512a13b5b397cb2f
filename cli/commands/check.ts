/** `termflow check <files|dirs...>`: parse and check flows, print every diagnostic, exit 2 on errors. */
import { type Command, Option } from "commander";
import pc from "picocolors";
import {
  checkSummaryLine,
  diagnosticsToJson,
  flowFilesIn,
  loadFlow,
  readSource,
  type Diagnostic,
} from "../../language/index.js";
import { useColor, type CliIO } from "../io.js";
import { EXIT } from "../exit-codes.js";
import { discoverFlowFiles } from "../files.js";
import { countOf, fileProblem, skippedNote, writeDiagnostics } from "../output.js";

const EXAMPLES = `
Examples:
  $ termflow check flows/pay-at-table.flow
  $ termflow check flows/ more/tipping.flow.yaml
  $ termflow check --error-format json flows/ > diagnostics.json

Directories are searched for *.flow, *.flow.yaml, *.yaml and *.yml (node_modules, dot-directories
and *.scenario.* files are skipped). Exit 0 when clean (warnings allowed), 2 on any error.`;

interface CheckOptions {
  errorFormat: "human" | "json";
  color?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("check")
    .description("parse and check flows without running them; print every diagnostic")
    .argument("<paths...>", "flow files or directories to search")
    .addOption(
      new Option("--error-format <format>", "how to print diagnostics").choices(["human", "json"]).default("human"),
    )
    .option("--color", "colour the output (default: when stdout is a terminal and NO_COLOR is unset)")
    .option("--no-color", "never colour the output")
    .addHelpText("after", EXAMPLES)
    .action((paths: string[], options: CheckOptions) => {
      io.exitCode = check(paths, options, io);
    });
}

/** A problem with a path (missing, unreadable) as a diagnostic, for the JSON format. */
function fileDiagnostic(path: string, reason: string): Diagnostic {
  const start = { line: 1, column: 1, offset: 0 };
  return {
    code: "cannot-read-file",
    severity: "error",
    message: `cannot read \`${path}\`: ${reason}`,
    span: { file: path, start, end: start },
  };
}

/** Checks every file and prints the result; returns the exit code. */
export function check(paths: readonly string[], options: CheckOptions, io: CliIO): number {
  const json = options.errorFormat === "json";
  const color = !json && useColor(io, options.color);
  const c = pc.createColors(color);
  const { files, problems, skipped } = discoverFlowFiles(paths, io.cwd);
  const all: Diagnostic[] = [];
  let unreadable = problems.length;
  let checkedCount = 0;

  for (const { path, reason } of problems) {
    if (json) all.push(fileDiagnostic(path, reason));
    else io.stdout(fileProblem(path, reason, color));
  }
  if (!json) for (const { path, reason } of skipped) io.stdout(skippedNote(path, reason, color));

  for (const file of files) {
    const read = readSource(file, io.cwd);
    if (!read.ok) {
      unreadable++;
      if (json) all.push(fileDiagnostic(file, read.reason));
      else io.stdout(fileProblem(file, read.reason, color));
      continue;
    }
    checkedCount++;
    // With the flows it calls: their problems show up here too, with the chain of calls.
    const { diagnostics, sources } = loadFlow(read.source, file, { files: flowFilesIn(io.cwd) });
    all.push(...diagnostics);
    if (json || diagnostics.length === 0) continue;
    // rustc's layout: each diagnostic, a blank line, the file's summary, a blank line.
    writeDiagnostics(io.stdout, diagnostics, sources.set(file, read.source), color);
    const summary = checkSummaryLine(diagnostics, file, { color });
    if (summary) io.stdout(`\n${summary}\n\n`);
  }

  const errors = all.filter((d) => d.severity === "error").length;
  const warnings = all.length - errors;
  if (json) io.stdout(`${diagnosticsToJson(all)}\n`);
  else {
    const counts = [countOf(errors + unreadable, "error"), countOf(warnings, "warning")].filter(Boolean).join(", ");
    const checked = `checked ${countOf(checkedCount, "file") || "0 files"}`;
    const line = counts === "" ? `${checked}: no problems` : `${checked}: ${counts}`;
    io.stdout(
      `${errors + unreadable > 0 ? c.bold(c.red(line)) : warnings > 0 ? c.bold(c.yellow(line)) : c.bold(c.green(line))}\n`,
    );
  }
  return errors > 0 || unreadable > 0 ? EXIT.invalid : EXIT.ok;
}
