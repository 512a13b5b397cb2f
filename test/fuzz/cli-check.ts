/**
 * Every command a user can point at a file, run on a fuzz case: `check`, `fmt`, `convert`, `plan`
 * and `run --dry-run` for flows, `test` for scenarios. Each must exit 0, 1 or 2 (never 70, the
 * internal error) and print no stack trace. In-process through `runCli` (what `bin.ts` runs), or
 * as the bundled executable in a child process, the way a user runs it.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main.js";
import { hasStackTrace } from "../cli/helpers.js";
import { fromRoot } from "../support/paths.js";
import type { ParserCase } from "./parser-cases.js";
import type { Finding } from "./parser-check.js";

/** The command lines for a file of this case's syntax. */
export function commandsFor(c: ParserCase, file: string): string[][] {
  if (c.syntax === "scenario-text" || c.syntax === "scenario-yaml") return [["test", file, "--no-color"]];
  return [
    ["check", file],
    ["fmt", file],
    ["convert", file],
    ["plan", file],
    ["run", file, "--dry-run", "--seed", "1"],
  ];
}

const ALLOWED_EXIT = new Set([0, 1, 2]);

function judge(c: ParserCase, command: string[], code: number | null, output: string, findings: Finding[]): void {
  const stage = `termflow ${command[0]}`;
  if (code === null || !ALLOWED_EXIT.has(code))
    findings.push({ kind: "cli-exit", stage, message: `exit ${code}: ${output.slice(0, 300)}` });
  if (/internal error/.test(output))
    findings.push({ kind: "cli-internal-error", stage, message: output.slice(output.indexOf("internal error"), 300) });
  // A source that itself reads like a stack trace is echoed in diagnostics: not a crash.
  if (hasStackTrace(output) && !hasStackTrace(c.source))
    findings.push({ kind: "cli-stack-trace", stage, message: output.slice(0, 300) });
}

/** Writes the case into `dir` under its syntax's file name and runs every command on it in-process. */
export async function checkCliInProcess(c: ParserCase, dir: string): Promise<Finding[]> {
  writeFileSync(join(dir, c.file), c.source);
  const findings: Finding[] = [];
  for (const command of commandsFor(c, c.file)) {
    let output = "";
    const code = await runCli(command, {
      cwd: dir,
      env: {},
      isTTY: false,
      onInterrupt: () => () => {},
      stdout: (t) => void (output += t),
      stderr: (t) => void (output += t),
    }).catch((error: unknown) => {
      output += `runCli rejected: ${String(error)}`;
      return null;
    });
    judge(c, command, code, output, findings);
  }
  return findings;
}

/** One command of the bundled CLI: its exit code (or the signal that ended it), wall time and peak resident memory. */
export interface BundleRun {
  command: string;
  code: number | null;
  signal?: string;
  ms: number;
  peakRssMb?: number;
}

const PEAK_RSS_HOOK = new URL("./peak-rss-hook.js", import.meta.url).href;

/** Runs one command of the bundle; everything it prints is kept, up to `keep` characters of each stream. */
function spawnBundle(command: string[], cwd: string, timeoutMs: number, keep = 64 * 1024) {
  return new Promise<{ run: BundleRun; output: string; timedOut: boolean }>((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PEAK_RSS_HOOK, fromRoot("dist/termflow.mjs"), ...command], {
      cwd,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let rss = "";
    let timedOut = false;
    child.stdout!.setEncoding("utf8").on("data", (t: string) => void (stdout.length < keep && (stdout += t)));
    child.stderr!.setEncoding("utf8").on("data", (t: string) => void (stderr.length < keep && (stderr += t)));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding("utf8").on("data", (t: string) => void (rss += t));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const kb = Number(rss || Number.NaN);
      resolve({
        run: {
          command: command[0] + (command.includes("--dry-run") ? " --dry-run" : ""),
          code,
          ...(signal ? { signal } : {}),
          ms: performance.now() - started,
          ...(Number.isFinite(kb) ? { peakRssMb: kb / 1024 } : {}),
        },
        output: stdout + stderr,
        timedOut,
      });
    });
  });
}

/** The same commands, each a child process of the bundled CLI (`dist/termflow.mjs`), as a user runs them. */
export async function checkCliBundle(
  c: ParserCase,
  dir: string,
  timeoutMs = 60_000,
): Promise<{ findings: Finding[]; runs: BundleRun[] }> {
  writeFileSync(join(dir, c.file), c.source);
  const findings: Finding[] = [];
  const runs: BundleRun[] = [];
  for (const command of commandsFor(c, c.file)) {
    const { run, output, timedOut } = await spawnBundle(command, dir, timeoutMs);
    runs.push(run);
    if (timedOut)
      findings.push({ kind: "cli-hang", stage: `termflow ${command[0]}`, message: `no exit within ${timeoutMs} ms` });
    else judge(c, command, run.code, run.signal ? `killed by ${run.signal}: ${output}` : output, findings);
  }
  return { findings, runs };
}
