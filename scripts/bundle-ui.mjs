// Builds the simulator's virtual-terminal page into dist/simulator/ui/: the page script bundled with
// its library (lit-html) for the browser, the page and its style copied. Nothing loads from the network.
import { copyFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";

const out = "dist/simulator/ui";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["simulator/ui/page.js"],
  outfile: `${out}/page.js`,
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
});
for (const file of ["page.html", "page.css"]) copyFileSync(`simulator/ui/${file}`, `${out}/${file}`);
