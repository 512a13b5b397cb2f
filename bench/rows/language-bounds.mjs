// Rows for the inputs that once took quadratic time or unbounded memory (issue 8, items 9, 11, 12):
// each a ratio of the cost a unit at a large size to the cost a unit at a tenth of it (linear: about
// 1), and the peak memory of the worst inputs termflow still reads. test/language/limits.test.ts
// checks what these inputs report; this file says how long and how much.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { textFlow } from "../inputs.mjs";

const dist = (root, path) => import(pathToFileURL(join(root, "dist", "language", path)).href);

const ifElseBlocks = (n) =>
  `param x = true\n${Array.from({ length: n }, (_, i) => `if x { display "a ${i}" } else { display "b ${i}" }`).join("\n")}\n`;
const yamlParams = (n) =>
  `params:\n${Array.from({ length: n }, (_, i) => `  p${i}: ${i}`).join("\n")}\nsteps:\n  - wait: 1s\n`;

/** Inputs of (at most) the size limit that cost the most memory a character, and why each is here. */
const WORST = {
  "`;` only (a token a character)": (size) => ";".repeat(size),
  "`}` lines (errors, stopped after 100)": (size) => "}\n".repeat(size / 2),
  "`@ ` (a lexer error every 2 characters)": (size) => "@ ".repeat(size / 2),
  "YAML flow list `[{wait: 1s}, ...]`": (size) => `steps: [${"{wait: 1s}, ".repeat(size / 12 - 1)}]`,
  "YAML block list `- wait: 1s`": (size) => `steps:\n${"  - wait: 1s\n".repeat(size / 14 - 1)}`,
};

/** Peak RSS (MiB) of a fresh process that loads one generated flow. */
function peakOf(root, source, file) {
  const script = `
    const { loadFlow } = await import(${JSON.stringify(pathToFileURL(join(root, "dist", "language", "index.js")).href)});
    const source = await new Promise((resolve) => { let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => resolve(s)); });
    const before = process.resourceUsage().maxRSS;
    const { diagnostics } = loadFlow(source, ${JSON.stringify(file)});
    console.log(JSON.stringify({ peak: process.resourceUsage().maxRSS / 1024, before: before / 1024, codes: [...new Set(diagnostics.map((d) => d.code))] }));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    input: source,
    encoding: "utf8",
    maxBuffer: 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr.slice(-500)}`);
  return JSON.parse(run.stdout);
}

export const rows = [
  {
    id: "fmt-blocks-linear",
    what: "`fmt` of if/else blocks, cost a block at 16,000 / at 1,600 (linear: <= 1.5)",
    kind: "in-process",
    goal: { max: 1.5 },
    rounds: { full: 5, quick: 2 },
    warmup: 1,
    async setup({ root }) {
      const { formatFlowText } = await dist(root, "text/format-text.js");
      return { formatFlowText, big: ifElseBlocks(16_000), small: ifElseBlocks(1600) };
    },
    a: { label: "16,000, a block", run: (s) => s.formatFlowText(s.big, "b.flow"), per: 16_000 },
    b: { label: "1,600, a block", run: (s) => s.formatFlowText(s.small, "b.flow"), per: 1600, repeat: 5 },
  },
  {
    id: "yaml-map-linear",
    what: "YAML map of params, cost a key at 40,000 / at 4,000 (linear: <= 1.5)",
    kind: "in-process",
    goal: { max: 1.5 },
    rounds: { full: 5, quick: 2 },
    warmup: 1,
    async setup({ root }) {
      const { parseFlowYaml } = await dist(root, "yaml/parse-yaml.js");
      return { parseFlowYaml, big: yamlParams(40_000), small: yamlParams(4000) };
    },
    a: { label: "40,000, a key", run: (s) => s.parseFlowYaml(s.big, "p.flow.yaml"), per: 40_000 },
    b: { label: "4,000, a key", run: (s) => s.parseFlowYaml(s.small, "p.flow.yaml"), per: 4000, repeat: 5 },
  },
  {
    id: "errors-linear",
    what: "a file of broken lines (`}`), cost a line at 1,000,000 / at 100,000 (linear: <= 1.5)",
    kind: "in-process",
    goal: { max: 1.5 },
    rounds: { full: 5, quick: 2 },
    warmup: 1,
    async setup({ root }) {
      const { loadFlow } = await dist(root, "index.js");
      return { loadFlow, big: "}\n".repeat(1_000_000), small: "}\n".repeat(100_000) };
    },
    a: { label: "1M lines, a line", run: (s) => s.loadFlow(s.big, "e.flow"), per: 1_000_000 },
    b: { label: "100k lines, a line", run: (s) => s.loadFlow(s.small, "e.flow"), per: 100_000, repeat: 3 },
  },
  {
    id: "worst-memory",
    what: "peak memory of the worst inputs of the size limit / of the 100k-statement flow (3.9 MiB)",
    kind: "measure",
    async setup({ root }) {
      const { LIMITS } = await dist(root, "limits.js");
      return { root, limit: LIMITS.sourceLength };
    },
    measure({ root, limit }) {
      const size = limit - 64;
      const bench = peakOf(root, textFlow(100_000), "bench.flow");
      const worst = Object.entries(WORST).map(([name, make]) => {
        const yaml = name.startsWith("YAML");
        return { name, ...peakOf(root, make(size), yaml ? "w.flow.yaml" : "w.flow") };
      });
      const top = worst.reduce((a, b) => (b.peak > a.peak ? b : a));
      const mib = (x) => `${Math.round(x)} MiB`;
      return {
        a: { label: "worst", value: top.peak, unit: "MiB" },
        b: { label: "100k statements", value: bench.peak, unit: "MiB" },
        ratio: top.peak / bench.peak,
        details: [
          `peak RSS of a fresh process reading each input (${mib(bench.before)} before reading): ` +
            `${worst.map((w) => `${w.name}: ${mib(w.peak)}`).join("; ")}; the 100k-statement flow: ` +
            `${mib(bench.peak)}`,
        ],
      };
    },
  },
];
