/**
 * `termflow sim` as a user runs it (the bundle, dist/termflow.mjs, as a child process), for the
 * fuzzer and the soak: its URL once it listens, its log read so the pipe never stalls it, and its
 * memory from outside (/proc) or, with `memorySampleMs`, from inside (heap and RSS sampled by
 * test/support/memory-sampler.ts over file descriptor 3).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { fromRoot } from "./paths.js";
import type { MemorySample } from "./memory-sampler.js";

export interface SimProcessOptions {
  /** Environment variables besides PATH (a passphrase the arguments name, ...). */
  env?: Record<string, string>;
  /** Samples the process's memory from inside at this period (ms); see `memory()`. */
  memorySampleMs?: number;
  /** Every `gcEvery`-th sample is taken after a full garbage collection (needs `memorySampleMs`). */
  gcEvery?: number;
}

export interface SimProcess {
  child: ChildProcess;
  url: string;
  /** Log lines printed so far (one a request). */
  logLines: () => number;
  /** The end of its stderr. */
  stderr: () => string;
  /** The samples so far, oldest first (empty without `memorySampleMs`). */
  memory: () => MemorySample[];
}

/** Starts `termflow sim --port 0 ...args`; resolves once it prints its URL. */
export async function startSimProcess(args: string[], options: SimProcessOptions = {}): Promise<SimProcess> {
  const sampling = options.memorySampleMs !== undefined;
  const nodeArgs = sampling ? ["--expose-gc", "--import", new URL("./memory-sampler.js", import.meta.url).href] : [];
  const child = spawn(process.execPath, [...nodeArgs, fromRoot("dist/termflow.mjs"), "sim", "--port", "0", ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      ...options.env,
      ...(sampling
        ? {
            TERMFLOW_MEMORY_SAMPLE_MS: String(options.memorySampleMs),
            TERMFLOW_MEMORY_GC_EVERY: String(options.gcEvery ?? 0),
          }
        : {}),
    },
    stdio: ["ignore", "pipe", "pipe", ...(sampling ? (["pipe"] as const) : [])],
  });
  let head = "";
  let lines = 0;
  let stderr = "";
  const samples: MemorySample[] = [];
  if (sampling) {
    let partial = "";
    (child.stdio[3] as Readable).setEncoding("utf8").on("data", (t: string) => {
      const parts = (partial + t).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) if (line) samples.push(JSON.parse(line) as MemorySample);
    });
  }
  child.stderr!.setEncoding("utf8").on("data", (t: string) => void (stderr = (stderr + t).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (t: string) => {
      // Every request logs a line: keep reading so the pipe never fills and stalls the server.
      lines += t.split("\n").length - 1;
      if (head.length < 4000) head += t;
      const found = /listening on (http:\/\/\S+)/.exec(head)?.[1];
      if (found) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`termflow sim exited with ${code}: ${head}${stderr}`)));
  });
  return { child, url, logLines: () => lines, stderr: () => stderr, memory: () => samples };
}

/** Stops it as Ctrl-C does; resolves with its exit code (null when it had to be killed after `waitMs`). */
export async function stopSimProcess(sim: SimProcess, waitMs = 10_000): Promise<number | null> {
  const { child } = sim;
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGINT");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), waitMs);
  });
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (code !== "timeout") return code;
  child.kill("SIGKILL");
  await exited;
  return null;
}

/** Resident memory of a process, in MB (Linux /proc); `peak` is its high-water mark. */
export function rssOf(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number | undefined {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
