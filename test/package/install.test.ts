/**
 * The package as a POS team gets it: `npm pack`, then an install of the tarball into an empty
 * folder, then the library, the CLI and the type declarations used from there. The install is
 * offline: the tarball's dependencies come from the npm cache that `npm ci` filled, pinned to the
 * versions of this project's package-lock.json, so the test needs no network.
 */
import assert from "node:assert/strict";
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../support/paths.js";
import { modulesLoadedBy } from "../support/loaded-modules.js";

interface PackedFile {
  path: string;
  size: number;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, NO_COLOR: "1", npm_config_audit: "false", npm_config_fund: "false" },
  });
  assert.equal(r.status, 0, `${command} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A lock file for a project depending only on the tarball, pinned to this project's versions. */
function consumerLock(tarball: string, integrity: string): unknown {
  const pkg = JSON.parse(readFileSync(fromRoot("package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(fromRoot("package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const runtime = Object.entries(lock.packages).filter(
    ([path, entry]) => path.startsWith("node_modules/") && !entry.dev,
  );
  return {
    name: "consumer",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "consumer", dependencies: { termflow: `file:${tarball}` } },
      "node_modules/termflow": {
        version: pkg.version,
        resolved: `file:${tarball}`,
        integrity,
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: pkg.bin,
        engines: pkg.engines,
      },
      ...Object.fromEntries(runtime),
    },
  };
}

const FLOW = 'flow "Tip"\nsession waiting 5000 <\n  input confirm "Add a tip?" as tip\n  pay 12.50 EUR as payment\n>\n';

describe("the npm package", function () {
  this.timeout(300_000);
  let dir = "";
  let files: PackedFile[] = [];
  let size = 0;

  before(() => {
    // npm test has just built dist/; `npm pack` on its own builds first (prepack).
    dir = mkdtempSync(join(tmpdir(), "termflow-install-"));
    const packed = JSON.parse(
      run(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], fromRoot()).stdout,
    ) as {
      filename: string;
      size: number;
      files: PackedFile[];
    }[];
    files = packed[0]!.files;
    size = packed[0]!.size;
    const tarball = packed[0]!.filename.replace(/^@[^/]+\//, "").replace("/", "-");
    const bytes = readFileSync(join(dir, tarball));
    const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        dependencies: { termflow: `file:${tarball}` },
      }),
    );
    writeFileSync(join(dir, "package-lock.json"), JSON.stringify(consumerLock(tarball, integrity), null, 2));
    run(npm, ["ci", "--offline"], dir);
    writeFileSync(join(dir, "tip.flow"), FLOW);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("holds the library, the CLI bundle, the QA worker, the schemas and the docs, and nothing else", () => {
    const paths = files.map((f) => f.path);
    for (const needed of [
      "package.json",
      "README.md",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/language/index.d.ts",
      "dist/termflow.mjs",
      "dist/qa-worker.mjs",
      "dist/simulator/ui/page.html",
      "schemas/flow.schema.json",
      "docs/embedding.md",
    ])
      assert.ok(paths.includes(needed), `${needed} is missing from the tarball`);
    const stray = paths.filter(
      (p) =>
        !/^(package\.json|README\.md|LICENSE)$/.test(p) &&
        !/^(schemas|docs)\//.test(p) &&
        !/^dist\/(index\.|termflow\.mjs$|qa-worker\.mjs$|chunks\/|(protocol|language|runtime|simulator|qa)\/)/.test(p),
    );
    assert.deepEqual(stray, [], "files that do not belong in the package");
    assert.deepEqual(
      paths.filter((p) => p.endsWith(".map") || p.startsWith("dist/test/") || p.startsWith("dist/cli/")),
      [],
      "no source maps, compiled tests or unbundled CLI",
    );
  });

  it("is as large as README says, within a fifth", () => {
    const said = /about\s+([\d.]+) MB packed/.exec(readFileSync(fromRoot("README.md"), "utf8"));
    assert.ok(said, "README.md gives the package's size: about N MB packed");
    const ratio = size / (Number(said[1]) * 1e6);
    assert.ok(ratio > 0.8 && ratio < 1.2, `the tarball is ${(size / 1e6).toFixed(2)} MB; README says ${said[1]} MB`);
  });

  it("imports as a library, without loading the CLI", () => {
    const script =
      'import { VirtualClock, createSimulator, loadFlow, runFlow } from "termflow";\n' +
      'import { readFileSync } from "node:fs";\n' +
      'const { flow, diagnostics } = loadFlow(readFileSync("tip.flow", "utf8"), "tip.flow");\n' +
      "const result = await runFlow(flow, { terminal: createSimulator(), clock: new VirtualClock() });\n" +
      "console.log(diagnostics.length, result.status, result.steps.length);\n";
    writeFileSync(join(dir, "use.mjs"), script);
    assert.equal(run(process.execPath, ["use.mjs"], dir).stdout, "0 passed 3\n");
    const loaded = modulesLoadedBy("termflow", dir);
    assert.ok(loaded.some((url) => url.includes("/node_modules/termflow/dist/index.js")));
    assert.deepEqual(
      loaded.filter((url) => /\/node_modules\/(commander|ora)\//.test(url)),
      [],
    );
  });

  it("runs `npx termflow check` and `npx termflow run` on a flow", () => {
    assert.match(
      run(npx, ["--offline", "termflow", "check", "tip.flow"], dir).stdout,
      /^checked 1 file: no problems$/m,
    );
    const ran = run(npx, ["--offline", "termflow", "run", "tip.flow"], dir).stdout;
    assert.match(ran, /✓ passed: 3 steps/);
  });

  it("compiles a TypeScript import of its declarations", () => {
    writeFileSync(
      join(dir, "use.ts"),
      'import { createSimulator, loadFlow, runFlow, type Diagnostic, type Flow, type RunResult } from "termflow";\n' +
        'import { parseFlowText } from "termflow/language";\n' +
        'const loaded: { flow: Flow | undefined; diagnostics: Diagnostic[] } = loadFlow("wait 1s", "w.flow");\n' +
        'const parsed = parseFlowText("wait 1s", "w.flow");\n' +
        "export async function go(): Promise<RunResult | undefined> {\n" +
        "  return loaded.flow && parsed.flow ? runFlow(loaded.flow, { terminal: createSimulator() }) : undefined;\n" +
        "}\n",
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          strict: true,
          noEmit: true,
          types: ["node"],
          typeRoots: [fromRoot("node_modules/@types")],
        },
        files: ["use.ts"],
      }),
    );
    run(process.execPath, [fromRoot("node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
  });
});
