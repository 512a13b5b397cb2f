/**
 * Golden timelines: `then timeline matches golden` compares a scenario's screen timeline with the
 * one stored in `<name>.golden.json` beside its scenario file (one entry per scenario name);
 * `termflow test --update` writes them.
 */
import { writeFileSync } from "node:fs";
import { readSource } from "../../language/index.js";
import type { ScenarioResult, TimelineEntry } from "../result.js";

export type GoldenFile = Record<string, TimelineEntry[]>;

/** `flows/scenarios/rules.scenario.yaml` -> `flows/scenarios/rules.golden.json`. */
export function goldenPathOf(scenarioFile: string): string {
  return `${scenarioFile.replace(/\.scenario(\.ya?ml)?$/i, "")}.golden.json`;
}

/** The stored timelines of a scenario file; empty when there is no golden file (or it is unreadable). */
export function readGolden(scenarioFile: string): GoldenFile {
  try {
    const read = readSource(goldenPathOf(scenarioFile), process.cwd());
    if (!read.ok) return {};
    const parsed = JSON.parse(read.source) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as GoldenFile) : {};
  } catch {
    return {};
  }
}

/** One scenario per key, one screen per line: diffs of a changed timeline read line by line. */
export function formatGolden(golden: GoldenFile): string {
  const names = Object.keys(golden).sort();
  const blocks = names.map(
    (name) => `  ${JSON.stringify(name)}: [\n${golden[name].map((e) => `    ${JSON.stringify(e)}`).join(",\n")}\n  ]`,
  );
  return `{\n${blocks.join(",\n")}\n}\n`;
}

/** Writes the timelines of `results` that carry a `goldenUpdate`; returns the files written. */
export function writeGoldens(
  results: readonly ScenarioResult[],
  resolvePath: (file: string) => string = (f) => f,
): string[] {
  const byFile = new Map<string, ScenarioResult[]>();
  for (const r of results) if (r.goldenUpdate) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const written: string[] = [];
  for (const [file, list] of byFile) {
    const path = goldenPathOf(resolvePath(file));
    const golden = readGolden(resolvePath(file));
    for (const r of list) golden[r.name] = r.goldenUpdate!;
    writeFileSync(path, formatGolden(golden));
    written.push(goldenPathOf(file));
  }
  return written;
}
