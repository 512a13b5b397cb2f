/**
 * What the bundled CLI loads: each command is a chunk loaded when asked for (cli/main.ts,
 * scripts/bundle-cli.mjs), so `termflow check` loads the language pipeline and nothing of the
 * runtime, the simulator, ora, node-fetch or the network modules; `termflow test --jobs 2` starts its
 * worker thread on the bundled worker. dist/bundle-meta.json says which sources each file holds.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { modulesLoadedByRun } from "../support/loaded-modules.js";
import { fromRoot } from "../support/paths.js";

/** Runs the bundled CLI; returns the URLs of every module it (and its worker threads) loaded. */
const loadsOf = (args: string[]): string[] => modulesLoadedByRun([fromRoot("dist/termflow.mjs"), ...args]);

/** The sources (package names, or our folders under dist/) in the bundle files a run loaded. */
function sourcesLoaded(urls: string[]): Set<string> {
  const meta = JSON.parse(readFileSync(fromRoot("dist/bundle-meta.json"), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const sources = new Set<string>();
  for (const url of urls.filter((u) => u.startsWith("file:"))) {
    const output = meta.outputs[fileURLToPath(url).slice(fromRoot().length + 1)];
    for (const input of Object.keys(output?.inputs ?? {}))
      sources.add(
        input.startsWith("node_modules/")
          ? input
              .split("/")
              .slice(1, input.startsWith("node_modules/@") ? 3 : 2)
              .join("/")
          : input.split("/").slice(0, 2).join("/"),
      );
  }
  return sources;
}

describe("the bundled CLI loads only what a command needs", function () {
  this.timeout(60_000);

  it("`termflow check` loads the language pipeline, never the runtime, the simulator, ora, node-fetch or the network", () => {
    const urls = loadsOf(["check", "flows/tipping.flow"]);
    const sources = [...sourcesLoaded(urls)].sort();
    assert.ok(sources.includes("dist/language") && sources.includes("chevrotain"), sources.join(", "));
    const allowed =
      /^(dist\/(cli|language|protocol)|commander|picocolors|chevrotain|@chevrotain\/.*|lodash-es|fastest-levenshtein)$/;
    assert.deepEqual(
      sources.filter((s) => !allowed.test(s)),
      [],
      "sources `check` does not need",
    );
    assert.deepEqual(
      urls.filter((u) => /^node:(http|https|tls|net|worker_threads)$/.test(u)),
      [],
      "network modules",
    );
  });

  it("`termflow check` loads the YAML front end's chunk (and the yaml package in it) only for a YAML flow", () => {
    // It is required, not imported (language/yaml-front-end.ts): Node's module hooks do not see that
    // on Node 20, its require cache does.
    const required = (flow: string): string[] => {
      const hook = `import { createRequire } from "node:module"; const { cache } = createRequire(process.cwd() + "/");
        process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(cache))));`;
      const r = spawnSync(
        process.execPath,
        ["--import", `data:text/javascript,${encodeURIComponent(hook)}`, fromRoot("dist/termflow.mjs"), "check", flow],
        { cwd: fromRoot(), encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return (JSON.parse(r.stderr) as string[]).map((p) => p.slice(fromRoot().length + 1));
    };
    assert.deepEqual(required("flows/tipping.flow"), []);
    assert.deepEqual(required("flows/bar-tab.flow.yaml"), ["dist/chunks/yaml-front-end.mjs"]);
  });

  it("`termflow plan`, `convert`, and `run` and `test` on the built-in simulator never load node-fetch", () => {
    for (const args of [
      ["plan", "flows/tipping.flow"],
      ["convert", "flows/tipping.flow", "--to", "yaml"],
      ["run", "flows/tipping.flow"],
      ["test", "flows/scenarios"],
    ]) {
      const sources = sourcesLoaded(loadsOf(args));
      assert.ok(sources.has("dist/language"), `${args[0]}: ${[...sources].join(", ")}`);
      assert.deepEqual(
        [...sources].filter((s) => /^(node-fetch|fetch-blob|formdata-polyfill|data-uri-to-buffer)$/.test(s)),
        [],
        `termflow ${args.join(" ")}`,
      );
    }
  });

  it("`termflow test --jobs 2` runs its worker thread on the bundled worker", () => {
    const urls = loadsOf(["test", "flows/scenarios", "--jobs", "2"]);
    assert.ok(
      urls.some((u) => u.endsWith("/dist/qa-worker.mjs")),
      "the worker is dist/qa-worker.mjs",
    );
    assert.deepEqual(
      urls.filter((u) => /\/dist\/(qa|runtime|language)\//.test(u)),
      [],
      "no unbundled module loads",
    );
  });
});
