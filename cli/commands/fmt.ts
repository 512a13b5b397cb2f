/** `termflow fmt [--check] [--write] <paths...>`: the canonical layout of each syntax, comments kept. */
import { isDeepStrictEqual } from "node:util";
import type { Command } from "commander";
import pc from "picocolors";
import {
  hasErrors,
  parseFlow,
  stripSpans,
  syntaxOf,
  type Diagnostic,
  formatFlowText,
  formatFlowYaml,
  readSource,
} from "../../language/index.js";
import { useColor, type CliIO } from "../io.js";
import { EXIT, worseExit } from "../exit-codes.js";
import { discoverFlowFiles, writeText } from "../files.js";
import { countOf, fileProblem, skippedNote, writeDiagnostics } from "../output.js";

const EXAMPLES = `
Examples:
  $ termflow fmt flows/tipping.flow              print the formatted flow
  $ termflow fmt --write flows/                  rewrite every flow under flows/ in place
  $ termflow fmt --check flows/                  list files that are not formatted (exit 1 if any)

Comments are kept. A file with errors is never formatted: its diagnostics are printed (exit 2).`;

interface FmtOptions {
  check?: boolean;
  write?: boolean;
  color?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("fmt")
    .description("format flows in the canonical layout of their syntax (*.flow or YAML)")
    .argument("<paths...>", "flow files or directories")
    .option("--check", "list files whose layout would change; exit 1 if any")
    .option("-w, --write", "rewrite the files in place")
    .option("--color", "colour diagnostics")
    .option("--no-color", "never colour diagnostics")
    .addHelpText("after", EXAMPLES)
    .action((paths: string[], options: FmtOptions) => {
      io.exitCode = fmt(paths, options, io);
    });
}

/** Formats one source in its own syntax; no output when the source has errors. */
export function formatSource(source: string, file: string): { output?: string; diagnostics: Diagnostic[] } {
  const result = syntaxOf(file) === "yaml" ? formatFlowYaml(source, file) : formatFlowText(source, file);
  if (result.output === undefined || hasErrors(result.diagnostics)) return { diagnostics: result.diagnostics };
  // Formatting must never change what a flow means; refuse rather than lose a step.
  const before = parseFlow(source, file);
  const after = parseFlow(result.output, file);
  if (!isDeepStrictEqual(stripSpans(before.flow), stripSpans(after.flow)) || hasErrors(after.diagnostics)) {
    const start = { line: 1, column: 1, offset: 0 };
    const message =
      "formatting would change the meaning of this flow; it was left alone (this is a bug in termflow, please report it)";
    return {
      diagnostics: [{ code: "format-changed-meaning", severity: "error", message, span: { file, start, end: start } }],
    };
  }
  return { output: result.output, diagnostics: result.diagnostics };
}

/** Formats every file; returns the exit code. */
export function fmt(paths: readonly string[], options: FmtOptions, io: CliIO): number {
  if (options.check && options.write) {
    io.stderr("error: --check and --write cannot be used together\n");
    return EXIT.invalid;
  }
  const color = useColor(io, options.color);
  const c = pc.createColors(color);
  const { files, problems, skipped } = discoverFlowFiles(paths, io.cwd);
  let exit: number = EXIT.ok;
  for (const { path, reason } of problems) {
    io.stderr(fileProblem(path, reason, color));
    exit = worseExit(exit, EXIT.invalid);
  }
  for (const { path, reason } of skipped) io.stderr(skippedNote(path, reason, color));

  const changed: string[] = [];
  for (const file of files) {
    const read = readSource(file, io.cwd);
    if (!read.ok) {
      io.stderr(fileProblem(file, read.reason, color));
      exit = worseExit(exit, EXIT.invalid);
      continue;
    }
    const result = formatSource(read.source, file);
    if (result.output === undefined) {
      writeDiagnostics(io.stderr, result.diagnostics, new Map([[file, read.source]]), color);
      io.stderr(`${c.bold(c.red("error"))}${c.bold(`: not formatted \`${file}\`: it has errors`)}\n`);
      exit = worseExit(exit, EXIT.invalid);
      continue;
    }
    const differs = result.output !== read.source;
    if (differs) changed.push(file);
    if (options.check) {
      if (differs) io.stdout(`${file}\n`);
    } else if (options.write) {
      if (!differs) continue;
      const failure = writeText(file, result.output, io.cwd);
      if (failure) {
        io.stderr(`${c.bold(c.red("error"))}${c.bold(`: cannot write \`${file}\`: ${failure}`)}\n`);
        exit = worseExit(exit, EXIT.invalid);
      } else io.stdout(`formatted ${file}\n`);
    } else io.stdoutFlow(result.output);
  }

  if (options.check && changed.length > 0) {
    io.stderr(`${countOf(changed.length, "file")} would be reformatted; run \`termflow fmt --write\` to fix\n`);
    exit = worseExit(exit, EXIT.failed);
  }
  return exit;
}
