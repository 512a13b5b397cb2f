import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromRoot } from "../support/paths.js";

/** The URLs of the modules Node loads for `import "<entry>"` (run in `cwd`). */
export function modulesLoadedBy(entry: string, cwd = fromRoot()): string[] {
  const dir = mkdtempSync(join(tmpdir(), "termflow-loads-"));
  try {
    const record = join(dir, "loads.txt");
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        pathToFileURL(fromRoot("dist/test/support/record-loads.js")).href,
        "--input-type=module",
        "-e",
        `await import(${JSON.stringify(entry)});`,
      ],
      { cwd, encoding: "utf8", env: { ...process.env, TERMFLOW_RECORD_LOADS: record } },
    );
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(record, "utf8").trimEnd().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
