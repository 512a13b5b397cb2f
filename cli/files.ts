/**
 * Turning command-line paths into flow files: directories are searched, files are read, and every
 * failure becomes a one-line message instead of an exception.
 */
import { type Dirent, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { syntaxOf } from "../language/index.js";

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

/** Expands files and directories (recursively, sorted, skipping node_modules and dot-directories). */
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
      const inside = walk(resolve(cwd, path)).filter(isFlowFile);
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

/** Every file under a directory, sorted, depth first; unreadable subdirectories are skipped. */
function walk(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** A file found inside `given` is named the way the user named the directory (`flows/x.flow`). */
function displayPath(given: string, givenAbsolute: string, file: string): string {
  const inside = relative(givenAbsolute, file);
  return isAbsolute(given) ? file : join(given, inside);
}

export type ReadResult = { ok: true; source: string } | { ok: false; reason: string };

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Reads a UTF-8 text file relative to cwd (a leading BOM is dropped). A failure, or a file that is
 * not text at all, is a reason a person can act on, not an exception or a screen of garbage.
 */
export function readSource(path: string, cwd: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, path));
  } catch (error) {
    return { ok: false, reason: fileErrorReason(error) };
  }
  if (bytes.includes(0)) return { ok: false, reason: "not a text file (it contains NUL bytes)" };
  try {
    return { ok: true, source: UTF8.decode(bytes) };
  } catch {
    return { ok: false, reason: "not UTF-8 text" };
  }
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

function fileErrorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EISDIR":
      return "is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
