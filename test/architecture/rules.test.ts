/**
 * The dependency rules (.dependency-cruiser.cjs) are run on small made-up trees: each wrong import
 * must be caught by the rule meant for it, a right one by none, and the floors the rules allow must be
 * the ones README's contributor section draws. `npm run lint` runs the same rules on the real tree.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fromRoot } from "../support/paths.js";

const FOLDERS = ["protocol", "language", "runtime", "simulator", "qa", "cli"];

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Writes `files` (path -> source) into a fresh tree beside the real rule file and cruises it. */
function cruise(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), "termflow-rules-"));
  try {
    writeFileSync(join(dir, ".dependency-cruiser.cjs"), readFileSync(fromRoot(".dependency-cruiser.cjs")));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", strict: true } }),
    );
    // The real node_modules, so package imports resolve; the fixture declares which are dev-only.
    symlinkSync(fromRoot("node_modules"), join(dir, "node_modules"), "dir");
    const pkg = { name: "fixture", type: "module", dependencies: { commander: "*" }, devDependencies: { ajv: "*" } };
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const roots = [...new Set(Object.keys(files).map((p) => p.split("/")[0]!))];
    const r = spawnSync(
      process.execPath,
      [fromRoot("node_modules/dependency-cruiser/bin/dependency-cruise.mjs"), "--output-type", "json", ...roots],
      { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    assert.ok(r.stdout.startsWith("{"), `dependency-cruiser did not answer: ${r.stderr}`);
    const result = JSON.parse(r.stdout) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A tree with every folder's index.ts plus `extra`, all clean apart from what `extra` imports. */
const tree = (extra: Record<string, string>): Record<string, string> => ({
  ...Object.fromEntries(FOLDERS.map((f) => [`${f}/index.ts`, "export const here = 1;\n"])),
  ...extra,
});

const rulesOf = (violations: Violation[]): string[] => [...new Set(violations.map((v) => v.rule))].sort();

describe("dependency rules (.dependency-cruiser.cjs)", function () {
  this.timeout(60_000);

  it("let a folder use the floors below through their index.ts", () =>
    assert.deepEqual(
      cruise(
        tree({
          "cli/main.ts":
            'import { here } from "../qa/index.js";\nimport "../protocol/index.js";\nimport "commander";\nexport { here };\n',
          "qa/run.ts":
            'import "../runtime/index.js";\nimport "../simulator/index.js";\nimport "../language/index.js";\n',
          "runtime/run.ts": 'import "../language/index.js";\nimport "../protocol/index.js";\nimport "./steps.js";\n',
          "runtime/steps.ts": "export const steps = 1;\n",
          "index.ts": 'export * from "./qa/index.js";\nexport * from "./runtime/index.js";\n',
        }),
      ),
      [],
    ));

  it("catch each kind of wrong import with its own rule", () => {
    // [rule, the importing file(s), the files of the case]; all cases share one tree, one cruise.
    const cases: [string, string[], Record<string, string>][] = [
      ["floor-protocol", ["protocol/codec.ts"], { "protocol/codec.ts": 'import "../language/index.js";\n' }],
      [
        "floor-language",
        ["language/parse.ts"],
        { "language/parse.ts": 'import type { here } from "../runtime/index.js";\nexport type X = typeof here;\n' },
      ],
      ["floor-runtime", ["runtime/run.ts"], { "runtime/run.ts": 'import "../simulator/index.js";\n' }],
      ["floor-simulator", ["simulator/core.ts"], { "simulator/core.ts": 'import "../runtime/index.js";\n' }],
      ["floor-qa", ["qa/run.ts"], { "qa/run.ts": 'import "../cli/index.js";\n' }],
      [
        "only-through-index",
        ["cli/run.ts"],
        { "cli/run.ts": 'import "../runtime/events.js";\n', "runtime/events.ts": "export const e = 1;\n" },
      ],
      ["library-entry-without-cli", ["index.ts"], { "index.ts": 'export * from "./cli/index.js";\n' }],
      [
        "no-circular",
        ["language/a.ts", "language/b.ts"],
        {
          "language/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
          "language/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
        },
      ],
      [
        "source-without-tests",
        ["qa/report.ts"],
        { "qa/report.ts": 'import "../test/helpers.js";\n', "test/helpers.ts": "export {};\n" },
      ],
      ["resolvable", ["runtime/labels.ts"], { "runtime/labels.ts": 'import "./missing.js";\n' }],
      ["cli-packages-in-cli", ["qa/console.ts"], { "qa/console.ts": 'import "commander";\n' }],
      ["no-dev-dependency-in-source", ["runtime/validate.ts"], { "runtime/validate.ts": 'import "ajv";\n' }],
    ];
    const violations = cruise(tree(Object.assign({}, ...cases.map(([, , files]) => files))));
    for (const [rule, from] of cases)
      assert.deepEqual(rulesOf(violations.filter((v) => from.includes(v.from))), [rule], rule);
    assert.equal(violations.filter((v) => !cases.some(([, from]) => from.includes(v.from))).length, 0);
  });

  it("allow exactly the floors README draws", () => {
    // Every folder imports every other folder's index.ts; what the rules let through is the picture.
    const files = tree(
      Object.fromEntries(
        FOLDERS.map((f) => [
          `${f}/uses.ts`,
          FOLDERS.filter((o) => o !== f)
            .map((o) => `import "../${o}/index.js";\n`)
            .join(""),
        ]),
      ),
    );
    const refused = new Set(
      cruise(files)
        .filter((v) => v.rule.startsWith("floor-"))
        .map((v) => `${v.from.split("/")[0]} -> ${v.to.split("/")[0]}`),
    );
    const floors = readmeFloors();
    const level = (folder: string): number => floors.findIndex((floor) => floor.includes(folder));
    assert.deepEqual([...floors.flat()].sort(), [...FOLDERS].sort(), "README's picture names every folder once");
    for (const from of FOLDERS)
      for (const to of FOLDERS.filter((o) => o !== from)) {
        const drawn = level(to) < level(from);
        assert.equal(!refused.has(`${from} -> ${to}`), drawn, `${from} -> ${to}: README and the rules disagree`);
      }
  });
});

/** The floors drawn in README's contributor section, ground floor first. */
function readmeFloors(): string[][] {
  const readme = readFileSync(fromRoot("README.md"), "utf8");
  const block = /<!-- floors[^>]*-->\s*```text\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "README.md has the floors picture (a text block after <!-- floors -->)");
  return block[1]!
    .trimEnd()
    .split("\n")
    .map((line) => {
      // A floor is the folder names a line starts with; the words after them describe it.
      const words = line.trim().split(/\s+/);
      const end = words.findIndex((word) => !FOLDERS.includes(word));
      return words.slice(0, end === -1 ? words.length : end);
    })
    .reverse();
}
