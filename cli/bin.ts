/** The `termflow` executable: runs the CLI on the real process and hands back its exit code. */
import { runCli } from "./main.js";
import { processIO } from "./io.js";

// `termflow plan x.flow | head` closes the pipe early: that is the reader's choice, not an error,
// so stop quietly instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIO());
