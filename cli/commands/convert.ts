/** `termflow convert <file> --to yaml|flow [-o out]`: the same flow in the other syntax. */
import { type Command, Option } from "commander";
import pc from "picocolors";
import { LIMITS, mebibytes, printFlowText, printFlowYaml, syntaxOf, type Syntax } from "../../language/index.js";
import { useColor, type CliIO } from "../io.js";
import { EXIT } from "../exit-codes.js";
import { isFlowFile, writeText } from "../files.js";
import { loadFlowFile } from "../load-flow-file.js";
import { fileProblem } from "../output.js";

const EXAMPLES = `
Examples:
  $ termflow convert flows/tipping.flow --to yaml
  $ termflow convert flows/tipping.flow.yaml --to flow -o tipping.flow
  $ termflow convert flows/tipping.flow -o tipping.flow.yaml     (--to taken from the -o name)

Both forms parse to the same AST, so converting back gives the same flow. Comments are not
carried across syntaxes. A flow with errors is not converted (exit 2).`;

interface ConvertOptions {
  to?: Syntax;
  output?: string;
  color?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("convert")
    .description("print a flow in the other syntax (mini-language <-> YAML)")
    .argument("<file>", "a *.flow or *.flow.yaml file")
    .addOption(
      new Option("--to <syntax>", "the syntax to write (default: the other one, or the one -o names)").choices([
        "yaml",
        "flow",
      ]),
    )
    .option("-o, --output <file>", "write to this file instead of stdout")
    .option("--color", "colour diagnostics")
    .option("--no-color", "never colour diagnostics")
    .addHelpText("after", EXAMPLES)
    .action((file: string, options: ConvertOptions) => {
      io.exitCode = convert(file, options, io);
    });
}

/** Converts one file; returns the exit code. */
export function convert(file: string, options: ConvertOptions, io: CliIO): number {
  const color = useColor(io, options.color);
  const c = pc.createColors(color);
  const from = syntaxOf(file);
  if (from === undefined || !isFlowFile(file)) {
    io.stderr(fileProblem(file, "not a flow file: expected *.flow, *.flow.yaml, *.yaml or *.yml", color));
    return EXIT.invalid;
  }
  const to =
    options.to ?? (options.output ? syntaxOf(options.output) : undefined) ?? (from === "yaml" ? "flow" : "yaml");
  // Warnings are shown too: they do not stop the conversion, but the user should see them.
  const loaded = loadFlowFile(file, io, color, "not converted");
  if (!loaded) return EXIT.invalid;
  const flow = loaded.flow;
  const text = to === "yaml" ? printFlowYaml(flow) : printFlowText(flow);
  if (text.length > LIMITS.sourceLength) {
    // YAML says the same at about 1.6 times the length: never write a file termflow will not read.
    const form = to === "yaml" ? "YAML" : "mini-language";
    io.stderr(
      `${c.bold(c.red("error"))}${c.bold(
        `: not converted \`${file}\`: its ${form} form would be ${mebibytes(text.length)}, ` +
          `more than the ${mebibytes(LIMITS.sourceLength)} termflow reads`,
      )}\n`,
    );
    return EXIT.invalid;
  }
  if (!options.output) {
    io.stdoutFlow(text);
    return EXIT.ok;
  }
  const failure = writeText(options.output, text, io.cwd);
  if (failure) {
    io.stderr(`${c.bold(c.red("error"))}${c.bold(`: cannot write \`${options.output}\`: ${failure}`)}\n`);
    return EXIT.invalid;
  }
  io.stderr(`wrote ${options.output}\n`);
  return EXIT.ok;
}
