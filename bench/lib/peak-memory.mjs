// Preloaded (`node --import`) into the processes of a whole-process row that asks for memory:
// writes the process's peak resident set size (KiB) to $BENCH_PEAK_FILE when it exits.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_PEAK_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
