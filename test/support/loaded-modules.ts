import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromRoot } from "./paths.js";

/**
 * The URLs of every module `node <args>` loads (worker threads included), through record-loads.ts.
 * The process must succeed.
 */
export function modulesLoadedByRun(args: readonly string[], cwd = fromRoot()): string[] {
  const dir = mkdtempSync(join(tmpdir(), "termflow-loads-"));
  try {
    const record = join(dir, "loads.txt");
    const hook = pathToFileURL(fromRoot("dist/test/support/record-loads.js")).href;
    const r = spawnSync(process.execPath, ["--import", hook, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", TERMFLOW_RECORD_LOADS: record },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return readFileSync(record, "utf8").trimEnd().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The URLs of the modules Node loads for `import "<entry>"` (run in `cwd`). */
export function modulesLoadedBy(entry: string, cwd = fromRoot()): string[] {
  return modulesLoadedByRun(["--input-type=module", "-e", `await import(${JSON.stringify(entry)});`], cwd);
}
