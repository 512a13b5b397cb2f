/**
 * Turning command-line paths into flow files: directories are searched, files are read, and every
 * failure becomes a one-line message instead of an exception.
 */
import { statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileErrorReason, filesUnder, syntaxOf } from "../language/index.js";

/** `*.scenario` and `*.scenario.*` files are QA scenarios (`termflow test`), not flows. */
export function isScenarioFile(path: string): boolean {
  return /\.scenario(\.[^/\\]+)?$/i.test(path);
}

/** Files a directory search picks up: `*.flow`, `*.flow.yaml`, `*.yaml`, `*.yml`, minus scenarios. */
export function isFlowFile(path: string): boolean {
  return syntaxOf(path) !== undefined && !isScenarioFile(path);
}

export interface Discovered {
  /** Flow files to process, as the user will see them named (relative when given relative). */
  files: string[];
  /** Paths that could not be used, each with a one-line reason. */
  problems: { path: string; reason: string }[];
  /** Explicitly named files skipped on purpose, with why. */
  skipped: { path: string; reason: string }[];
}

/** Expands files and directories (searched with `filesUnder`: sorted, skipping what it skips). */
export function discoverFlowFiles(paths: readonly string[], cwd: string): Discovered {
  const found: Discovered = { files: [], problems: [], skipped: [] };
  const seen = new Set<string>();
  const add = (path: string): void => {
    const key = resolve(cwd, path);
    if (!seen.has(key)) {
      seen.add(key);
      found.files.push(path);
    }
  };
  for (const path of paths) {
    const kind = pathKind(resolve(cwd, path));
    if (kind === "missing") found.problems.push({ path, reason: "no such file or directory" });
    else if (kind === "directory") {
      const inside = filesUnder(resolve(cwd, path)).filter(isFlowFile);
      if (inside.length === 0)
        found.problems.push({ path, reason: "no flow files (*.flow, *.flow.yaml, *.yaml, *.yml) in this directory" });
      for (const file of inside) add(displayPath(path, resolve(cwd, path), file));
    } else if (isScenarioFile(path))
      found.skipped.push({ path, reason: "a QA scenario, not a flow: run it with `termflow test`" });
    else if (syntaxOf(path) === undefined) {
      found.problems.push({ path, reason: "not a flow file: expected *.flow, *.flow.yaml, *.yaml or *.yml" });
    } else add(path);
  }
  return found;
}

function pathKind(absolute: string): "file" | "directory" | "missing" {
  try {
    return statSync(absolute).isDirectory() ? "directory" : "file";
  } catch {
    return "missing";
  }
}

/** A file found inside `given` is named the way the user named the directory (`flows/x.flow`). */
function displayPath(given: string, givenAbsolute: string, file: string): string {
  const inside = relative(givenAbsolute, file);
  return isAbsolute(given) ? file : join(given, inside);
}

/** Writes a file relative to cwd; returns a reason on failure. */
export function writeText(path: string, text: string, cwd: string): string | undefined {
  try {
    writeFileSync(resolve(cwd, path), text, "utf8");
    return undefined;
  } catch (error) {
    return fileErrorReason(error);
  }
}
