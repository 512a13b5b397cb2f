/**
 * `node --import <this file>` writes the process's peak resident memory (KB) to file descriptor 3
 * when it exits, so the fuzzer can report what each CLI run cost without a platform tool.
 */
import { writeSync } from "node:fs";

process.on("exit", () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS));
  } catch {
    // fd 3 is not open: nobody asked.
  }
});
