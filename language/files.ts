/**
 * Source files on disk, for every command that takes paths (`check`, `fmt`, `test`, ...): one
 * directory search with one skip rule, and one reader whose failures are reasons, not exceptions.
 * The reader follows a symbolic link only inside its project (see `linkProblem`).
 */
import { type Dirent, existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { LIMITS, mebibytes } from "./limits.js";

/** Directories a search never enters: dependencies, build output, and hidden ones (`.git`). */
function skipped(entry: Dirent): boolean {
  return (
    entry.name.startsWith(".") || (entry.isDirectory() && (entry.name === "node_modules" || entry.name === "dist"))
  );
}

/**
 * Every file under a directory, sorted by name and depth first, without hidden files and without
 * what `skipped` leaves out; a subdirectory that cannot be read is passed over. A symbolic link to a
 * file is listed (reading it decides whether it is followed); one to a directory is not entered.
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
    else if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) out.push(full);
  }
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export type ReadResult = { ok: true; source: string } | { ok: false; reason: string };

/**
 * The project a path belongs to: the nearest directory above it holding `.git` (a repository or a
 * worktree), else the working directory when the path is inside it, else the path's own directory.
 */
function projectOf(absolute: string, cwd: string): string {
  for (let dir = dirname(absolute); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) break;
  }
  const inCwd = relative(cwd, absolute);
  return inCwd.startsWith("..") || isAbsolute(inCwd) ? dirname(absolute) : cwd;
}

const sameKind = (a: string, b: string): boolean => {
  const kind = (p: string): string =>
    extname(p)
      .toLowerCase()
      .replace(/^\.yml$/, ".yaml");
  return kind(a) === kind(b);
};

/**
 * Why a path that leads through a symbolic link is not followed, if it is not: the file it resolves
 * to must be inside the link's project and be the same kind of file (`*.flow` to `*.flow`). A
 * source file's lines end up in diagnostics, the console and every report, so a link committed to
 * a repository must not make them show `~/.aws/credentials`, `/etc/passwd` or a project's `.env`.
 */
function linkProblem(absolute: string, cwd: string): string | undefined {
  let real: string;
  let project: string;
  try {
    real = realpathSync(absolute);
    project = realpathSync(projectOf(absolute, cwd));
  } catch {
    return undefined; // the read itself says what is wrong
  }
  const inside = relative(project, real);
  if (inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside))
    return `a symbolic link to ${real}, outside the project ${project}: not followed`;
  if (real !== absolute && !sameKind(absolute, real))
    return `a symbolic link to ${relative(project, real) || real}, which is not a file of its kind: not followed`;
  return undefined;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Reads a UTF-8 text file relative to cwd (a leading BOM is dropped). A failure, a link out of the
 * project, or a file that is not text at all, is a reason a person can act on, not an exception, a
 * screen of garbage or the lines of a file the user never meant to show.
 */
export function readSource(path: string, cwd: string): ReadResult {
  const absolute = resolve(cwd, path);
  const link = linkProblem(absolute, cwd);
  if (link) return { ok: false, reason: link };
  let bytes: Buffer;
  try {
    // A file larger than any flow termflow reads is not read at all: a 50 MB file is refused at once.
    const size = statSync(absolute).size;
    if (size > LIMITS.sourceLength) {
      return {
        ok: false,
        reason: `${mebibytes(size)}, more than the ${mebibytes(LIMITS.sourceLength)} termflow reads`,
      };
    }
    bytes = readFileSync(absolute);
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

/**
 * How the front end reaches the files a flow calls (`call "shared/tip.flow"`): whoever reads files
 * passes one to `loadFlow`, so the language itself never reaches for them.
 */
export interface FlowFiles {
  /** The file a `call` path names, from the file it is written in: `flows/pay.flow` + `shared/tip.flow` is `flows/shared/tip.flow`. */
  resolve(from: string, path: string): string;
  /** The file's text, or why it cannot be read. */
  read(file: string): ReadResult;
}

/** `flows/pay.flow` + `shared/tip.flow` -> `flows/shared/tip.flow`: relative to the calling file's directory. */
export function resolveCallPath(from: string, path: string): string {
  return isAbsolute(path) ? normalize(path) : join(dirname(from), path);
}

/** The files on disk, relative to `cwd`, read by `readSource` (the same rules as every command's). */
export function flowFilesIn(cwd: string): FlowFiles {
  return { resolve: resolveCallPath, read: (file) => readSource(file, cwd) };
}
