import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { filesUnder, readSource } from "../../language/files.js";

/** A fresh directory holding `files` (relative path -> content); removed after `use`. */
function withTree<T>(files: Record<string, string | Buffer>, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "termflow-files-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("source files on disk", () => {
  it("searches a directory depth first in name order, skipping node_modules, dist and hidden entries", () =>
    withTree(
      {
        "b.flow": "",
        "a/z.flow": "",
        "a/b/c.flow": "",
        "node_modules/x/y.flow": "",
        "dist/copy.flow": "",
        ".git/h.flow": "",
        "a/.#draft.flow": "",
        "c.scenario": "",
      },
      (dir) =>
        assert.deepEqual(
          filesUnder(dir).map((f) => relative(dir, f)),
          ["a/b/c.flow", "a/z.flow", "b.flow", "c.scenario"],
        ),
    ));
  it("finds nothing in a directory that does not exist", () => assert.deepEqual(filesUnder("/no/such/dir"), []));

  it("reads UTF-8 without its BOM", () =>
    withTree({ "x.flow": "\uFEFFwait 1s\n" }, (dir) =>
      assert.deepEqual(readSource("x.flow", dir), { ok: true, source: "wait 1s\n" }),
    ));
  it("says why a file cannot be read", () =>
    withTree({ "bin.flow": Buffer.from([0x77, 0, 0x61]), "latin.flow": Buffer.from([0xe9]) }, (dir) => {
      assert.deepEqual(readSource("missing.flow", dir), { ok: false, reason: "no such file or directory" });
      assert.deepEqual(readSource("bin.flow", dir), { ok: false, reason: "not a text file (it contains NUL bytes)" });
      assert.deepEqual(readSource("latin.flow", dir), { ok: false, reason: "not UTF-8 text" });
      assert.deepEqual(readSource(".", dir), { ok: false, reason: "is a directory" });
    }));
});
