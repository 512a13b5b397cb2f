// What machine a benchmark ran on, and how busy it was: the figures mean little without it.
import { cpus, loadavg, totalmem } from "node:os";

/** Cores, CPU model, memory, Node version and the date, for the report's header. */
export function machine() {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model?.trim() ?? "unknown CPU",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** The 1-minute load average (0 where the platform has none). */
export function load() {
  return loadavg()[0];
}

/**
 * CPU time (ms) used so far by this process's waited-for children (Linux: /proc/self/stat
 * cutime + cstime), or undefined where that cannot be read. Children's CPU is what whole-process
 * rows compare next to wall time.
 */
export async function childrenCpuMs() {
  try {
    const { readFileSync } = await import("node:fs");
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name (which may hold spaces) start after the last `)`.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS = 100;
