/**
 * What a CLI command may touch of the outside world. `runCli` gets the raw streams (tests capture
 * them, `bin.ts` passes the real process) and hands each command a CliIO whose every output follows
 * the one rule for secrets (protocol/redact.ts) and shows control characters as visible characters
 * (protocol/printable.ts): no command can print around them.
 */
import { printable, printableJson, Redactor, secretsFromEnv, terminalText } from "../protocol/index.js";

/** Receives a chunk of output exactly as it should appear (commands add their own newlines). */
export type Write = (text: string) => void;

/** Called once per SIGINT/SIGTERM (or a test's fake interrupt). */
export type InterruptHandler = (signal: "SIGINT" | "SIGTERM") => void;

/** The outside world as the process (or a test) gives it. */
export interface CliEnvironment {
  stdout: Write;
  stderr: Write;
  /** Relative paths on the command line resolve against this directory. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal: colour and spinners only then. */
  isTTY: boolean;
  /**
   * Subscribes to interrupts for the duration of a command; returns the unsubscribe function. While
   * any handler is subscribed, SIGINT/SIGTERM no longer kill the process: the command must finish
   * (e.g. send the session's End) and then set exit code 130.
   */
  onInterrupt: (handler: InterruptHandler) => () => void;
}

/** What a command gets: the environment, with every output going through the rule for secrets. */
export interface CliIO extends CliEnvironment {
  /** Text for people: secrets hidden, control characters visible (but termflow's own colours). */
  stdout: Write;
  stderr: Write;
  /** What stdout does to a text, for a spinner that writes to the terminal itself. */
  safe: (text: string) => string;
  /**
   * One JSON document on a line of its own (`indent` pretty-prints it): secret values and fields
   * hidden, and every control character escaped (JSON.stringify leaves C1 and bidi ones raw).
   */
  stdoutJson: (value: unknown, indent?: number) => void;
  /**
   * A flow's own text (`fmt`, `convert`): printed as the file has it, since it is the file itself
   * (control characters made visible on a terminal only, as `ls` does with names). Never anything
   * termflow learnt (a `--var`, a terminal's answer).
   */
  stdoutFlow: Write;
  /**
   * The secrets this command knows: the environment's from the start; a command adds what it learns
   * (a param's `--var`, a config file's passphrase, a capture) before printing anything that may show it.
   */
  secrets: Redactor;
  /**
   * The exit code `runCli` returns. Each run starts at 0; a command sets it (see exit-codes.ts).
   * `runCli` gives every run its own CliIO object, so setting it never leaks into the caller's.
   */
  exitCode: number;
}

/** The real process: its streams, cwd, env and signals. */
export function processIO(): CliEnvironment {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    onInterrupt: processInterrupts,
  };
}

/**
 * A command's CliIO over the raw environment: every write hides the secrets known at that moment
 * and makes control characters visible. `colour`: whether the command may colour its output (then
 * termflow's own colour sequences pass).
 */
export function guardedIO(raw: CliEnvironment, options: { colour?: boolean } = {}): CliIO {
  const secrets = new Redactor(secretsFromEnv(raw.env));
  const colour = options.colour ?? useColor(raw);
  const safe = (text: string): string => terminalText(secrets.text(text), colour);
  return {
    cwd: raw.cwd,
    env: raw.env,
    isTTY: raw.isTTY,
    onInterrupt: raw.onInterrupt,
    secrets,
    safe,
    stdout: (text) => raw.stdout(safe(text)),
    stderr: (text) => raw.stderr(safe(text)),
    stdoutJson: (value, indent) => raw.stdout(`${printableJson(secrets.value(value), indent)}\n`),
    stdoutFlow: (text) => raw.stdout(raw.isTTY ? printable(text, { lines: true }) : text),
    exitCode: 0,
  };
}

function processInterrupts(handler: InterruptHandler): () => void {
  const onInt = (): void => handler("SIGINT");
  const onTerm = (): void => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
}

/**
 * Colour on or off: an explicit `--color`/`--no-color` wins, then NO_COLOR (any value) and
 * FORCE_COLOR, then whether stdout is a terminal.
 */
export function useColor(io: Pick<CliIO, "env" | "isTTY">, explicit?: boolean): boolean {
  if (explicit !== undefined) return explicit;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0" && io.env.FORCE_COLOR !== "false") return true;
  return io.isTTY && io.env.TERM !== "dumb";
}
