/**
 * Source files on disk, for every command that takes paths (`check`, `fmt`, `test`, ...): one
 * directory search with one skip rule, and one reader whose failures are reasons, not exceptions.
 */
import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Directories a search never enters: dependencies, build output, and hidden ones (`.git`). */
function skipped(entry: Dirent): boolean {
  return (
    entry.name.startsWith(".") || (entry.isDirectory() && (entry.name === "node_modules" || entry.name === "dist"))
  );
}

/**
 * Every file under a directory, sorted by name and depth first, without hidden files and without
 * what `skipped` leaves out; a subdirectory that cannot be read is passed over.
 */
export function filesUnder(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (skipped(entry)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
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

/** What went wrong with a file, in a few words (`no such file or directory`, `permission denied`). */
export function fileErrorReason(error: unknown): string {
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
