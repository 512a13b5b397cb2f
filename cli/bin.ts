/** The `termflow` executable: runs the CLI on the real process and hands back its exit code. */
import { runCli } from "./main.js";
import { processIO } from "./io.js";

process.exitCode = await runCli(process.argv.slice(2), processIO());
