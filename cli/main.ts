/**
 * The `termflow` command line. `runCli` builds a fresh commander program per call, with its output and
 * exit routed through a CliIO, so tests run every command in-process; `bin.ts` runs it for real.
 */
import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { guardedIO, processIO, useColor, type CliEnvironment, type CliIO } from "./io.js";
import { EXIT } from "./exit-codes.js";
import { termflowVersion } from "./version.js";

type Register = (program: Command, io: CliIO) => void;

/**
 * Every command, in the order `--help` lists them, loaded only when asked for: `termflow check`
 * never loads the runtime, the simulator, ora or node-fetch. In the bundle each import is a chunk
 * of its own (scripts/bundle-cli.mjs). A new command is one line here.
 */
const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  check: () => import("./commands/check.js"),
  fmt: () => import("./commands/fmt.js"),
  convert: () => import("./commands/convert.js"),
  plan: () => import("./commands/plan.js"),
  run: () => import("./commands/run.js"),
  sim: () => import("./commands/sim.js"),
  test: () => import("./commands/test.js"),
  "end-session": () => import("./commands/end-session.js"),
};

/**
 * The commands `argv` can reach: the one it names (also after `help`), or all of them when it names
 * none (top-level help, a mistyped command that needs its did-you-mean).
 */
function commandsFor(argv: readonly string[] | undefined): string[] {
  const words = argv?.[0] === "help" ? argv.slice(1) : argv;
  const named = words?.[0];
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}

export type { CliEnvironment, CliIO } from "./io.js";

const TOP_LEVEL_EXAMPLES = `
Examples:
  $ termflow check flows/                     check every flow under flows/
  $ termflow fmt --write flows/tipping.flow   rewrite a flow in the canonical layout
  $ termflow convert flows/tipping.flow --to yaml
  $ termflow plan flows/pay-at-table.flow     show the steps and requests a run will make
  $ termflow run flows/pay-at-table.flow      run it on the built-in simulator
  $ termflow sim --port 8080                  serve a simulated terminal over HTTP
  $ termflow test flows/scenarios/            run the QA scenarios against the simulator
  $ termflow end-session --target local --endpoint 192.168.1.20 --poiid V400m-324688179
                                              end a session a crashed run left open

Exit codes: 0 ok, 1 flow failed, 2 invalid flow or usage, 3 transport or configuration error,
4 payment outcome unknown, 5 interrupted after a payment was approved, 130 interrupted.
Docs: docs/cli.md`;

/**
 * Builds the program with the commands `argv` can reach registered (every command without argv);
 * exported for tests that inspect the commands.
 */
export async function buildProgram(io: CliIO, argv?: readonly string[]): Promise<Command> {
  const color = useColor(io);
  const program = new Command("termflow")
    .description("Script payment-terminal flows for the Adyen Terminal API: check, format, convert, plan and run them.")
    .version(termflowVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      getOutHasColors: () => color,
      getErrHasColors: () => color,
      outputError: (text, write) => write(color ? pc.red(text) : text),
    })
    .showHelpAfterError("(add --help for usage)")
    .showSuggestionAfterError(true)
    .addHelpText("after", TOP_LEVEL_EXAMPLES);

  const commands = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()));
  for (const command of commands) command.register(program, io);
  return program;
}

/**
 * Runs `termflow <argv...>` (argv without node and the script) and resolves to the exit code.
 * Never throws and never calls process.exit: usage errors, help and bugs all become exit codes.
 */
export async function runCli(argv: readonly string[], io: Partial<CliEnvironment> = {}): Promise<number> {
  // A fresh object per run: commands set exitCode on it without touching the caller's.
  const raw = { ...processIO(), ...io };
  // Whether any command may colour its output: only then do termflow's colour sequences pass.
  const ctx: CliIO = guardedIO(raw, { colour: argv.includes("--color") || useColor(raw) });
  try {
    const program = await buildProgram(ctx, argv);
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.invalid;
    }
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error);
    reportInternalError(error, ctx);
    return EXIT.internal;
  }
}

/** Help and --version end with 0; every other commander error is a usage error. */
function commanderExit(error: CommanderError): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
  if (error.code === "commander.help" && error.exitCode === 0) return EXIT.ok;
  return EXIT.invalid;
}

/** A bug must still not greet the user with a stack trace, unless they ask for it. */
function reportInternalError(error: unknown, io: CliIO): void {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`termflow: internal error: ${message}\n`);
  if (io.env.TERMFLOW_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  else io.stderr("This is a bug in termflow; please report it (set TERMFLOW_DEBUG=1 to see the stack trace).\n");
}
