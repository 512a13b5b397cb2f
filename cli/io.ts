/**
 * What a CLI command may touch of the outside world. `runCli` gets one of these so tests can run every
 * command in-process (capturing output, choosing the cwd and env) and `bin.ts` passes the real process.
 */

/** Receives a chunk of output exactly as it should appear (commands add their own newlines). */
export type Write = (text: string) => void;

/** Called once per SIGINT/SIGTERM (or a test's fake interrupt). */
export type InterruptHandler = (signal: "SIGINT" | "SIGTERM") => void;

export interface CliIO {
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
  /**
   * The exit code `runCli` returns. Each run starts at 0; a command sets it (see exit-codes.ts).
   * `runCli` gives every run its own CliIO object, so setting it never leaks into the caller's.
   */
  exitCode: number;
}

/** The real process: its streams, cwd, env and signals. */
export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    onInterrupt: processInterrupts,
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
