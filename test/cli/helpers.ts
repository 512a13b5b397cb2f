/** Runs `termflow ...` in-process and captures what a user would see, plus temp-dir fixtures. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCli } from "../../cli/main.js";
import type { CliIO } from "../../cli/io.js";
import { fromRoot, repoRoot } from "../support/paths.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `termflow <args>` with captured streams; cwd defaults to the repo root, env to empty (no colour). */
export async function termflow(args: string[], io: Partial<Omit<CliIO, "stdout" | "stderr">> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    cwd: repoRoot,
    env: {},
    isTTY: false,
    onInterrupt: () => () => {},
    ...io,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

/** The bundled executable, as `npm install -g` or `npx termflow` would run it. */
export const BUNDLE = fromRoot("dist/termflow.mjs");

/** `node dist/termflow.mjs <args>` in a child process: what a user runs, output as they see it. */
export function termflowBundle(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...options.env },
    timeout: 15000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface BundleOutputs {
  code: number | null;
  /** `stdout`, `stderr` and every file the run wrote, by name. */
  texts: Record<string, string>;
}

/**
 * Runs the bundle in a fresh directory holding `files` (`prepare` may add more, links say); collects
 * what it printed and every file it wrote there (reports).
 */
export function runBundleIn(
  files: Record<string, string>,
  args: string[],
  env: Record<string, string> = {},
  prepare?: (dir: string) => void,
): BundleOutputs {
  const fx = fixtureDir(files);
  try {
    prepare?.(fx.dir);
    const r = termflowBundle(args, { cwd: fx.dir, env });
    const texts: Record<string, string> = { stdout: r.stdout, stderr: r.stderr };
    for (const name of readdirSync(fx.dir, { recursive: true }) as string[])
      if (!(name in files) && lstatSync(join(fx.dir, name)).isFile())
        texts[name] = readFileSync(join(fx.dir, name), "utf8");
    return { code: r.code, texts };
  } finally {
    fx.cleanup();
  }
}

/** A fresh directory with the given files (paths relative to it); removed by `cleanup`. */
export function fixtureDir(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "termflow-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when the text looks like a JavaScript stack trace (what a user must never see). */
export function hasStackTrace(text: string): boolean {
  // A frame names where it is (`at f (file.js:1:2)`): a scenario named "... at once" followed by
  // "(fuzz.scenario)" is not one (npm run fuzz took it for one).
  return /\n\s+at .+:\d+:\d+\)?/.test(text) || /\bat (async )?[\w.<>]+ \([^()\s]*:\d+:\d+\)/.test(text);
}

/** ANSI colour escapes present? */
export function hasAnsi(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /\u001b\[/.test(text);
}
