import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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

  describe("symbolic links (issue 8, item 7)", () => {
    /** A project (`p/`, with `.git` when `git`) beside a file outside it; `links` are made inside. */
    function withLinks<T>(links: Record<string, string>, use: (dir: string) => T, git = false): T {
      const files = {
        "outside.txt": "SECRET=1\n",
        "outside.flow": 'display "out"\n',
        "p/shared/pay.flow": 'display "in"\n',
        "p/.env": "TOKEN=2\n",
        ...(git ? { "p/.git/HEAD": "" } : {}),
      };
      return withTree(files, (dir) => {
        for (const [link, target] of Object.entries(links)) {
          mkdirSync(dirname(join(dir, "p", link)), { recursive: true });
          symlinkSync(target, join(dir, "p", link));
        }
        return use(dir);
      });
    }

    it("follows a link to a file of its kind inside the project", () =>
      withLinks({ "flows/pay.flow": "../shared/pay.flow" }, (dir) =>
        assert.deepEqual(readSource("flows/pay.flow", join(dir, "p")), { ok: true, source: 'display "in"\n' }),
      ));
    it("refuses a link out of the project, saying where it leads", () =>
      withLinks({ "evil.flow": "../outside.txt", "other.flow": "../outside.flow" }, (dir) => {
        for (const link of ["evil.flow", "other.flow"]) {
          const read = readSource(link, join(dir, "p"));
          assert.equal(read.ok, false);
          assert.match(
            (read as { reason: string }).reason,
            /^a symbolic link to \/.*\/outside\.(txt|flow), outside the project \/.*\/p: not followed$/,
          );
        }
      }));
    it("refuses a link inside the project to a file of another kind (a .env)", () =>
      withLinks({ "x.flow": ".env" }, (dir) =>
        assert.deepEqual(readSource("x.flow", join(dir, "p")), {
          ok: false,
          reason: "a symbolic link to .env, which is not a file of its kind: not followed",
        }),
      ));
    it("takes the repository around the link as its project, wherever termflow runs", () =>
      withLinks(
        { "flows/pay.flow": "../shared/pay.flow" },
        (dir) => {
          assert.equal(readSource("../flows/pay.flow", join(dir, "p", "shared")).ok, true, "run from another folder");
          assert.equal(readSource(join(dir, "p", "flows", "pay.flow"), dir).ok, true, "named from outside");
        },
        true,
      ));
    it("lists a linked file in a directory search, so reading it says what happens", () =>
      withLinks({ "flows/evil.flow": "../../outside.txt" }, (dir) =>
        assert.deepEqual(
          filesUnder(join(dir, "p", "flows")).map((f) => relative(dir, f)),
          ["p/flows/evil.flow"],
        ),
      ));
  });
});
