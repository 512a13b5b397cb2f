// Bundles the CLI and the QA worker thread from tsc's output. chevrotain's package entry alone loads
// 641 files (shared/notes/performance-baselines.md), and a worker thread would load ~110 of ours on
// top: bundled, each is a few files. Code splitting gives every lazily imported command
// (cli/main.ts) a chunk of its own, so `termflow check` loads the language pipeline and nothing of
// the runtime, the simulator, ora or node-fetch; the worker shares the chunks of `termflow test`.
//
//   dist/termflow.mjs      the executable (package.json "bin")
//   dist/qa-worker.mjs     what `termflow test --jobs N` starts N - 1 threads on (qa/run/pool.ts)
//   dist/chunks/*.mjs      code both load on demand
//   dist/chunks/yaml-front-end.mjs  the YAML front end and the yaml package (language/yaml-front-end.ts)
//   dist/bundle-meta.json  which sources went into which file (tests read it; not in the package)
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist/chunks", { recursive: true, force: true });

// language/yaml-front-end.ts loads the YAML front end synchronously on first use (loadFlow is
// synchronous). Bundled inline, its 160 kB (the yaml package 119 kB of it) would sit in the language
// chunk that every command compiles, `check` of a .flow file too. As an entry of its own it is a
// chunk sharing the language's modules, required by file name from the chunk that asks for it
// (require of an ES module, Node 20.19+): every chunk is in dist/chunks/, hence `./`.
const YAML_FRONT_END = "chunks/yaml-front-end";
const yamlFrontEndApart = {
  name: "yaml-front-end-apart",
  setup(build) {
    build.onResolve({ filter: /^\.\/yaml\/front-end\.js$/ }, (args) =>
      args.kind === "require-call" && args.importer.endsWith("/dist/language/yaml-front-end.js")
        ? { path: `./${YAML_FRONT_END.slice("chunks/".length)}.mjs`, external: true }
        : undefined,
    );
  },
};
const result = await build({
  entryPoints: {
    termflow: "dist/cli/bin.js",
    "qa-worker": "dist/qa/run/worker.js",
    [YAML_FRONT_END]: "dist/language/yaml/front-end.js",
  },
  outdir: "dist",
  entryNames: "[dir]/[name]",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Less to compile at every start (a fifth less CPU for `check`); functions keep their names, so a
  // TERMFLOW_DEBUG stack trace still reads.
  minify: true,
  keepNames: true,
  // fetch-blob (under node-fetch) requires this polyfill only where globalThis.ReadableStream is
  // missing, which Node 18+ never is: left out of the bundle, it stays an installed dependency that
  // nothing loads (80 kB less to compile for run, plan and test).
  external: ["web-streams-polyfill"],
  metafile: true,
  plugins: [yamlFrontEndApart],
  logLevel: "warning",
  banner: {
    // Some dependencies are CommonJS (commander, yaml) and require Node's modules: give every ESM
    // file a require. The shebang is harmless in a chunk and needed in the executable.
    js: "#!/usr/bin/env node\nimport { createRequire as __tfCreateRequire } from 'node:module'; const require = __tfCreateRequire(import.meta.url);",
  },
});
writeFileSync("dist/bundle-meta.json", JSON.stringify(result.metafile));

// Executable, so `./dist/termflow.mjs` runs as it will once npm links it as `termflow`.
chmodSync("dist/termflow.mjs", 0o755);
