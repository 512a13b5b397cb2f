/**
 * Which waiting-screen sessions this POS may have left open on a terminal. A session is written down
 * before its Begin goes out and struck off once the terminal refuses the Begin or accepts the End (or
 * says it is not open). What stays is a session whose run crashed (`kill -9`) or whose End did not
 * take (an HTTP 500, a Busy terminal): the terminal still holds it and refuses every Begin with
 * `NotAllowed`, and only its Id can end it (docs/protocol.md). The runtime reads this list to end such a
 * session before beginning a new one, and `termflow end-session` to end it by hand.
 *
 * A session is only ever offered for recovery when its run is over: not by a run still going in this
 * process, nor by a live process on this machine. A session of another SaleID is never touched.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** One session that may be open on a terminal. */
export interface OpenSession {
  poiid: string;
  saleId: string;
  /** The Session.Id the End must name. */
  id: string;
  /** Clock time its Begin was sent, ms. */
  openedAt: number;
  /** The run that began it: its process and a token per run. */
  owner: { host: string; pid: number; run: string };
}

export interface SessionJournal {
  /** Written down before the Begin is sent: from then on the session may be open. */
  opening(session: OpenSession): void;
  /** Struck off: the terminal refused the Begin, accepted the End, or says it is not open. */
  closed(session: Pick<OpenSession, "poiid" | "saleId" | "id">): void;
  /** Every session written down for this terminal and SaleID, oldest first. */
  list(poiid: string, saleId: string): OpenSession[];
}

/** Runs going on in this process (their tokens): their sessions are theirs to end. */
const activeRuns = new Set<string>();

/** A token for one run; `finished` when it is over (its sessions may then be recovered). */
export function startRun(): { token: string; finished(): void } {
  const token = randomBytes(8).toString("hex");
  activeRuns.add(token);
  return { token, finished: () => activeRuns.delete(token) };
}

/** The owner of a session begun now, by the run `token`. */
export function ownerOf(token: string): OpenSession["owner"] {
  return { host: hostname(), pid: process.pid, run: token };
}

/**
 * Whether the run that began `session` is over, so that ending its session disturbs nobody: a run of
 * this process that finished, or a process of this machine that no longer exists. Another machine's
 * run cannot be checked, so it is never over.
 */
export function isLeftOpen(session: OpenSession): boolean {
  const { host, pid, run } = session.owner;
  if (host !== hostname()) return false;
  if (pid === process.pid) return !activeRuns.has(run);
  return !processAlive(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A journal in memory: enough for one process that lives on (a POS plugin), not for a crash. */
export function memorySessionJournal(): SessionJournal {
  const sessions = new Map<string, OpenSession>();
  return {
    opening: (session) => void sessions.set(keyOf(session), { ...session }),
    closed: (session) => void sessions.delete(keyOf(session)),
    list: (poiid, saleId) => [...sessions.values()].filter((s) => s.poiid === poiid && s.saleId === saleId),
  };
}

/**
 * A journal in a directory, one small JSON file per session, so that it survives a crash and two
 * processes never write the same file. It never fails a run: a directory that cannot be written only
 * means nothing is remembered.
 */
export function fileSessionJournal(dir: string): SessionJournal {
  const fileOf = (session: Pick<OpenSession, "poiid" | "saleId" | "id">) =>
    join(dir, `${createHash("sha256").update(keyOf(session)).digest("hex").slice(0, 32)}.json`);
  return {
    opening(session) {
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(fileOf(session), `${JSON.stringify(session)}\n`);
      } catch {
        // Nothing remembered: recovery falls back to `termflow end-session --session-id`.
      }
    },
    closed(session) {
      try {
        rmSync(fileOf(session), { force: true });
      } catch {
        // As above.
      }
    },
    list(poiid, saleId) {
      let names: string[];
      try {
        names = readdirSync(dir).filter((name) => name.endsWith(".json"));
      } catch {
        return [];
      }
      const out: OpenSession[] = [];
      for (const name of names) {
        const session = readSession(join(dir, name));
        if (session && session.poiid === poiid && session.saleId === saleId) out.push(session);
      }
      return out.sort((a, b) => a.openedAt - b.openedAt);
    },
  };
}

/**
 * Where `termflow` keeps its journal: `$TERMFLOW_STATE_DIR`, else `$XDG_STATE_HOME/termflow`, else
 * `~/.local/state/termflow` (`%LOCALAPPDATA%\termflow` on Windows); its `open-sessions` folder.
 * Undefined when the environment names no home at all.
 */
export function defaultJournalDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const base =
    env.TERMFLOW_STATE_DIR ??
    (env.XDG_STATE_HOME ? join(env.XDG_STATE_HOME, "termflow") : undefined) ??
    (env.LOCALAPPDATA ? join(env.LOCALAPPDATA, "termflow") : undefined) ??
    (env.HOME ? join(env.HOME, ".local", "state", "termflow") : undefined);
  return base === undefined ? undefined : join(base, "open-sessions");
}

function keyOf(session: Pick<OpenSession, "poiid" | "saleId" | "id">): string {
  return `${session.poiid}\u0000${session.saleId}\u0000${session.id}`;
}

function readSession(path: string): OpenSession | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as OpenSession;
    const ok =
      typeof value?.poiid === "string" &&
      typeof value.saleId === "string" &&
      typeof value.id === "string" &&
      typeof value.owner?.pid === "number";
    return ok ? value : undefined;
  } catch {
    return undefined;
  }
}
