/** `termflow plan <file> [--json] [--var k=v]`: the checked step tree, as the runtime will see it. */
import type { Command } from "commander";
import pc from "picocolors";
import { stripSpans, type Flow, didYouMeanHint } from "../../language/index.js";
import { useColor, type CliIO } from "../io.js";
import { EXIT } from "../exit-codes.js";
import { isFlowFile } from "../files.js";
import { loadFlowFile } from "../load-flow-file.js";
import { fileProblem, writeDiagnostics } from "../output.js";
import { renderPlan } from "../plan/render-plan.js";
import { bindParams } from "../../runtime/index.js";

const EXAMPLES = `
Examples:
  $ termflow plan flows/pay-at-table.flow
  $ termflow plan flows/loyalty-signup.flow.yaml --var store=Amsterdam
  $ termflow plan --json flows/tipping.flow > tipping.ast.json

Nothing is sent to a terminal. The left column is the source line of each step. A flow with
errors is not planned: its diagnostics are printed (exit 2).`;

interface PlanCommandOptions {
  json?: boolean;
  spans: boolean;
  var?: string[];
  color?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("plan")
    .description("print the checked step tree with resolved values (amounts, timeouts, waiting screens, captures)")
    .argument("<file>", "a *.flow or *.flow.yaml file")
    .option("--json", "print the checked AST as JSON instead")
    .option("--no-spans", "with --json: leave out the source spans")
    .option("--var <name=value>", "give a param a value (repeatable)", (value: string, all: string[] = []) => [
      ...all,
      value,
    ])
    .option("--color", "colour the output")
    .option("--no-color", "never colour the output")
    .addHelpText("after", EXAMPLES)
    .action((file: string, options: PlanCommandOptions) => {
      io.exitCode = plan(file, options, io);
    });
}

/** Plans one file; returns the exit code. */
export function plan(file: string, options: PlanCommandOptions, io: CliIO): number {
  const color = useColor(io, options.color);
  if (!isFlowFile(file)) {
    io.stderr(fileProblem(file, "not a flow file: expected *.flow, *.flow.yaml, *.yaml or *.yml", color));
    return EXIT.invalid;
  }
  const loaded = loadFlowFile(file, io, color, "not planned");
  if (!loaded) return EXIT.invalid;
  const flow = loaded.flow;
  const vars = parseVars(options.var ?? [], flow, io, color);
  if (!vars) return EXIT.invalid;
  io.secrets.addFrom(Object.fromEntries(vars));
  // Values are read as their params' types, as a run reads them; a missing one is shown as required.
  const bound = bindParams(flow, Object.fromEntries(vars));
  const problems = bound.diagnostics.filter((d) => d.code !== "missing-param");
  if (problems.length > 0) {
    writeDiagnostics(io.stderr, problems, loaded.sources, color);
    const c = pc.createColors(color);
    io.stderr(`${c.bold(c.red("error"))}: not planned \`${file}\`: a --var does not fit its param\n`);
    return EXIT.invalid;
  }
  if (options.json) io.stdoutJson(options.spans ? flow : stripSpans(flow), 2);
  else io.stdout(renderPlan(flow, file, { color, vars, values: bound.values, called: loaded.called }));
  return EXIT.ok;
}

/** `name=value` pairs for declared params; anything else is a usage error with a did-you-mean. */
function parseVars(pairs: readonly string[], flow: Flow, io: CliIO, color: boolean): Map<string, string> | undefined {
  const c = pc.createColors(color);
  const params = flow.params.map((p) => p.name.name);
  const vars = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (eq <= 0) {
      io.stderr(`${c.bold(c.red("error"))}: --var wants name=value, got \`${pair}\`\n`);
      return undefined;
    }
    if (!params.includes(name)) {
      const hint = didYouMeanHint(name, params);
      const declared =
        params.length > 0
          ? `the flow's params are ${params.map((p) => `\`${p}\``).join(", ")}`
          : "the flow declares no params";
      io.stderr(
        `${c.bold(c.red("error"))}: --var \`${name}\`: no such param (${declared})${hint ? `; ${hint}` : ""}\n`,
      );
      return undefined;
    }
    vars.set(name, pair.slice(eq + 1));
  }
  return vars;
}
