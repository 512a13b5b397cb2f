/** Finds scenario files: named files as they are, directories searched with `filesUnder`, sorted. */
import { type Stats, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { filesUnder } from "../language/index.js";
import { scenarioSyntaxOf } from "./scenario/load.js";

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
  for (const path of paths.length > 0 ? paths : ["flows/scenarios"]) {
    const abs = resolve(cwd, path);
    let stat: Stats;
    try {
      stat = statSync(abs);
    } catch {
      problems.push({ path, message: "no such file or directory" });
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of filesUnder(abs)) if (scenarioSyntaxOf(file)) files.add(display(file));
    } else if (scenarioSyntaxOf(abs)) files.add(display(abs));
    else problems.push({ path, message: "not a scenario file (`*.scenario` or `*.scenario.yaml`)" });
  }
  return { files: [...files].sort(), problems };
}
