/**
 * What the fuzzers start from: every flow and scenario file the repository holds (examples, golden
 * files, fixtures), read once. Mutating real files reaches deeper than random text does.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fromRoot, repoRoot } from "../support/paths.js";

export interface CorpusFile {
  /** Relative to the repository root. */
  name: string;
  text: string;
}

function walk(dir: string, keep: (name: string) => boolean, out: CorpusFile[] = []): CorpusFile[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, keep, out);
    else if (entry.isFile() && keep(entry.name))
      out.push({ name: relative(repoRoot, path), text: readFileSync(path, "utf8") });
  }
  return out;
}

const FOLDERS = ["flows", "test/golden", "test/qa/fixtures"].map((f) => fromRoot(f));
const all = (keep: (name: string) => boolean) => FOLDERS.flatMap((dir) => walk(dir, keep));

let cached:
  | { text: CorpusFile[]; yaml: CorpusFile[]; scenarioText: CorpusFile[]; scenarioYaml: CorpusFile[] }
  | undefined;

/** The corpus by syntax: flows in text and YAML, scenarios in text and YAML. */
export function corpus() {
  cached ??= {
    text: all((n) => n.endsWith(".flow")),
    yaml: all((n) => /\.flow\.ya?ml$/.test(n)),
    scenarioText: all((n) => n.endsWith(".scenario")),
    scenarioYaml: all((n) => /\.scenario\.ya?ml$/.test(n)),
  };
  return cached;
}
