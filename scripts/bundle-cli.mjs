// Bundles the CLI into one file: chevrotain's package entry loads 641 files (175 ms of a 240 ms
// start, shared/notes/performance-baselines.md); one bundled file starts in about 76 ms.
import { chmodSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/bin.js"],
  outfile: "dist/termflow.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  banner: {
    // Some dependencies are CommonJS (yaml); give the ESM bundle a require for them.
    js: "#!/usr/bin/env node\nimport { createRequire as __tfCreateRequire } from 'node:module'; const require = __tfCreateRequire(import.meta.url);",
  },
});

// Executable, so `./dist/termflow.mjs` runs as it will once npm links it as `termflow`.
chmodSync("dist/termflow.mjs", 0o755);
