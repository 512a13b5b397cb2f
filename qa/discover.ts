/** Finds scenario files: named files as they are, directories searched recursively, sorted. */
import { readdirSync, type Stats, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { scenarioSyntaxOf } from "./scenario/load.js";

const SKIP_DIRS = new Set(["node_modules", ".git", "dist"]);

export interface Discovered {
  /** Scenario files, as paths relative to `cwd` when they are under it. */
  files: string[];
  /** Paths that do not exist or are not scenario files: one message each. */
  problems: Array<{ path: string; message: string }>;
}

/** `paths` default to `flows/scenarios` when empty. */
export function discoverScenarioFiles(paths: readonly string[], cwd: string): Discovered {
  const files = new Set<string>();
  const problems: Discovered["problems"] = [];
  const display = (abs: string): string => {
    const rel = relative(cwd, abs);
    return rel.startsWith("..") ? abs : rel;
  };
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const full = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (!SKIP_DIRS.has(name) && !name.startsWith(".")) walk(full);
      } else if (scenarioSyntaxOf(name)) files.add(display(full));
    }
  };
  for (const path of paths.length > 0 ? paths : ["flows/scenarios"]) {
    const abs = resolve(cwd, path);
    let stat: Stats;
    try {
      stat = statSync(abs);
    } catch {
      problems.push({ path, message: "no such file or directory" });
      continue;
    }
    if (stat.isDirectory()) walk(abs);
    else if (scenarioSyntaxOf(abs)) files.add(display(abs));
    else problems.push({ path, message: "not a scenario file (`*.scenario` or `*.scenario.yaml`)" });
  }
  return { files: [...files].sort(), problems };
}
