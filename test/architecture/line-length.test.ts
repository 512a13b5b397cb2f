/**
 * `npm run lint:lines` on a made-up repository: a line over 160 characters in a tracked source file
 * fails it with file:line:col; the generated grammar diagrams and untracked files are not read.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../support/paths.js";

function lintLines(files: Record<string, string>): { code: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "termflow-lines-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    spawnSync("git", ["init", "-q"], { cwd: dir });
    spawnSync("git", ["add", "--", ...Object.keys(files).filter((f) => !f.startsWith("untracked"))], { cwd: dir });
    const run = spawnSync(process.execPath, [fromRoot("scripts", "check-line-length.mjs")], {
      cwd: dir,
      encoding: "utf8",
    });
    return { code: run.status, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (length: number) => `export const x = "${"a".repeat(length - 20)}";\n`;

describe("npm run lint:lines", () => {
  it("passes lines of 160 characters, and long lines where it does not look", () => {
    const run = lintLines({
      "runtime/ok.ts": line(160),
      "docs/grammar/diagrams.js": line(400),
      "untracked.ts": line(400),
    });
    assert.equal(run.code, 0, run.stderr);
  });

  it("fails a line of 161 characters with where it is", () => {
    const run = lintLines({ "runtime/ok.ts": line(20), "test/long.test.ts": line(20) + line(161) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^test\/long\.test\.ts:2:161: line of 161 characters$/m);
    assert.match(run.stderr, /error: 1 line\(s\) over 160 characters/);
  });
});
