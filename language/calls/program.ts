/**
 * Flows that call flows, checked as one program. From the flow a command was given, every `call` is
 * followed to the file it names (through `find`, which the caller of the language passes in: the
 * language itself never touches the file system), each file is read and checked once, and what
 * only the whole program shows is reported where it is:
 *
 * - a called file that cannot be read, or is no flow (`call-file-unreadable`, `call-not-a-flow`);
 * - a call that goes round a circle (`call-cycle`) or nests deeper than LIMITS.callDepth (`call-too-deep`);
 * - a session in a flow called inside a session (`nested-session`, as within one file);
 * - and, by each file's own checks with what its calls run (CallResolver): params a call gives
 *   that do not fit, and the fields of what a called flow captured (`t.tip`).
 *
 * A diagnostic in a called file carries the chain of calls that reached it, innermost first, as
 * notes (`called from flows/pay.flow:7:3`), so the one renderer shows where and how.
 */
import { type CallStep, type Flow, type SessionStep, type Span, walkSteps } from "../ast.js";
import { hasErrors, type Diagnostic, type DiagnosticCode } from "../diagnostic.js";
import { capturesOf, checkAndAnalyse, nestedSession, type CalledFlow } from "../checks/index.js";
import { LIMITS } from "../limits.js";
import { UNKNOWN } from "../values/types.js";

/**
 * Every flow a program calls, as plain data (it goes to the QA runner's workers and to `runFlow`):
 * the flows by file name, and for each file the file each `call` path written in it names.
 */
export interface CalledFlows {
  flows: Record<string, Flow>;
  links: Record<string, Record<string, string>>;
}

/** What a program that calls nothing has. */
export function noCalledFlows(): CalledFlows {
  return { flows: {}, links: {} };
}

/** The file a `call` names: its flow (read, with its own syntax errors), or why there is none. */
export type Callee =
  | { ok: true; file: string; flow: Flow | undefined; diagnostics: readonly Diagnostic[] }
  | { ok: false; file: string; code: "call-file-unreadable" | "call-not-a-flow"; reason: string };

/** Finds the file the `path` of a `call` in file `from` names. */
export type FindCallee = (from: string, path: string) => Callee;

export interface ProgramResult {
  /** The main flow's check diagnostics, then each called file's (syntax and checks), each in source order. */
  diagnostics: Diagnostic[];
  called: CalledFlows;
}

/** A `call` on the way to a file: where it is. */
interface CallSite {
  file: string;
  step: CallStep;
}

interface Entry {
  file: string;
  flow: Flow | undefined;
  /** Its own syntax errors (the main flow's are its loader's to report: here they only quiet its checks). */
  syntaxErrors: readonly Diagnostic[];
  /** The chain of calls that first reached it, innermost first. */
  chain: readonly CallSite[];
  /** The calls of this file the program follows, and the files they run. */
  edges: Map<CallStep, string>;
  /** Depth and session context it was walked in (`3`, `3s`): each once. */
  walks: Set<string>;
  state: "new" | "checking" | "done";
  called: CalledFlow | undefined;
  diagnostics: Diagnostic[];
}

/** Checks `main` and everything it calls. Never throws; never reads a file twice. */
export function checkProgram(main: Flow, syntaxErrors: readonly Diagnostic[], find: FindCallee): ProgramResult {
  const entries = new Map<string, Entry>();
  const found = new Map<string, Callee>();
  const reported = new Set<string>();

  const entry = (file: string, flow: Flow | undefined, errors: readonly Diagnostic[], chain: readonly CallSite[]) => {
    let e = entries.get(file);
    if (!e) {
      e = {
        file,
        flow,
        syntaxErrors: errors,
        chain,
        edges: new Map(),
        walks: new Set(),
        state: "new",
        called: undefined,
        diagnostics: [],
      };
      entries.set(file, e);
    }
    return e;
  };
  const root = entry(main.span.file, main, syntaxErrors, []);

  const report = (
    at: Entry,
    code: DiagnosticCode,
    message: string,
    span: Span,
    chain: readonly CallSite[],
    details: Pick<Diagnostic, "hint" | "related"> = {},
  ): void => {
    const key = `${code}\0${span.file}\0${span.start.offset}`;
    if (reported.has(key)) return;
    reported.add(key);
    at.diagnostics.push(withChain({ code, severity: "error", message, span, ...details }, chain));
  };

  const findOnce = (from: string, path: string): Callee => {
    const key = `${from}\0${path}`;
    let callee = found.get(key);
    if (!callee) {
      callee = find(from, path);
      found.set(key, callee);
    }
    return callee;
  };

  /** Walks a file's steps at a depth, inside a session of a calling file or not, and follows its calls. */
  const walk = (at: Entry, depth: number, chain: readonly CallSite[], stack: string[], outer?: SessionStep): void => {
    const key = `${depth}${outer ? "s" : ""}`;
    if (!at.flow || at.walks.has(key)) return;
    at.walks.add(key);
    stack.push(at.file);
    walkSteps(at.flow.steps, (step, sessions) => {
      if (step.kind === "session" && outer && sessions.length === 0) {
        const { message, related } = nestedSession(outer);
        report(at, "nested-session", message, step.span, chain, {
          hint:
            "a terminal holds one session at a time, and this flow is called inside one: " +
            "call it outside that session, or take the session out of this flow",
          related,
        });
      }
      if (step.kind !== "call") return;
      // Checked before the file is read: no chain, however long, reads more than LIMITS.callDepth files deep.
      if (depth + 1 > LIMITS.callDepth) {
        report(at, "call-too-deep", `calls nest more than ${LIMITS.callDepth} flows deep here`, step.span, chain, {
          hint: "each `call` runs its flow one level below the caller: join some of these flows, or call them one after another",
        });
        return;
      }
      const path = step.flow.value;
      const callee = findOnce(at.file, path);
      if (!callee.ok) {
        const named = callee.file === path ? `\`${path}\`` : `\`${path}\` (${callee.file})`;
        if (callee.code === "call-not-a-flow")
          report(at, callee.code, `${named} is not a flow file`, step.flow.span, chain, {
            hint: "flow files end in `.flow`, `.flow.yaml`, `.yaml` or `.yml`",
          });
        else
          report(at, callee.code, `cannot read ${named}: ${callee.reason}`, step.flow.span, chain, {
            hint: `the path is relative to the calling file, ${at.file}`,
          });
        return;
      }
      const circle = stack.indexOf(callee.file);
      if (circle >= 0) {
        report(
          at,
          "call-cycle",
          `this call goes round in a circle: ${circleText([...stack.slice(circle)])}`,
          step.span,
          chain,
          {
            hint: "a flow cannot call itself, directly or through other flows: move what they share into a flow that calls neither",
          },
        );
        return;
      }
      const inner = [{ file: at.file, step }, ...chain];
      const next = entry(callee.file, callee.flow, callee.diagnostics, inner);
      at.edges.set(step, callee.file);
      walk(next, depth + 1, inner, stack, outer ?? sessions[0]);
    });
    stack.pop();
  };

  /** Checks a file once, after the files it calls (their captures type its own). */
  const check = (at: Entry): CalledFlow | undefined => {
    if (at.state === "done") return hasErrors(at.syntaxErrors) && at !== root ? undefined : at.called;
    // A file still being checked is on a circle, reported by the walk: its callers learn nothing of it.
    if (at.state === "checking" || !at.flow) return undefined;
    at.state = "checking";
    const resolved = new Map<CallStep, CalledFlow>();
    for (const [step, file] of at.edges) {
      const called = check(entries.get(file)!);
      if (called) resolved.set(step, called);
    }
    const { diagnostics, analysis } = checkAndAnalyse(at.flow, {
      syntaxErrors: at.syntaxErrors,
      calls: (step) => resolved.get(step),
    });
    for (const d of diagnostics) at.diagnostics.push(withChain(d, at.chain));
    at.called = {
      file: at.file,
      flow: at.flow,
      captures: analysis ? capturesOf(at.flow, analysis, at.file) : UNKNOWN,
      calls: (step) => resolved.get(step),
    };
    at.state = "done";
    // A file with syntax errors lacks what could not be read: its callers learn nothing of it
    // rather than hear of params and captures it may well have.
    return hasErrors(at.syntaxErrors) && at !== root ? undefined : at.called;
  };

  walk(root, 0, [], []);
  check(root);
  for (const e of entries.values()) check(e);

  const diagnostics: Diagnostic[] = [];
  const called: CalledFlows = noCalledFlows();
  for (const e of entries.values()) {
    const own = e === root ? e.diagnostics : [...e.syntaxErrors.map((d) => withChain(d, e.chain)), ...e.diagnostics];
    diagnostics.push(...inSourceOrder(own));
    if (e !== root && e.flow) called.flows[e.file] = e.flow;
    if (e.edges.size > 0) {
      const links: Record<string, string> = {};
      for (const [step, file] of e.edges) links[step.flow.value] = file;
      called.links[e.file] = links;
    }
  }
  return { diagnostics, called };
}

/** `a.flow calls b.flow, which calls a.flow again`, or `a.flow calls itself`. */
function circleText(files: readonly string[]): string {
  if (files.length === 1) return `${files[0]} calls itself`;
  const [first, ...rest] = files;
  return `${first} calls ${rest.join(", which calls ")}, which calls ${first} again`;
}

/** The diagnostic with a `called from` note per call of the chain, innermost first. */
function withChain(d: Diagnostic, chain: readonly CallSite[]): Diagnostic {
  if (chain.length === 0) return d;
  const notes = chain.map(({ file, step }) => ({
    message: `called from ${file}:${step.span.start.line}:${step.span.start.column}`,
    span: step.span,
  }));
  return { ...d, related: [...(d.related ?? []), ...notes] };
}

/** Diagnostics of one file in the order a reader meets them (stable: same place, same order as found). */
export function inSourceOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.span.start.offset - b.d.span.start.offset || a.i - b.i)
    .map(({ d }) => d);
}

/** Finds callees among flows already loaded (`runFlow` checks what it is given again). */
export function findIn(called: CalledFlows): FindCallee {
  return (from, path) => {
    const file = called.links[from]?.[path];
    const flow = file === undefined ? undefined : called.flows[file];
    if (file === undefined || flow === undefined)
      return {
        ok: false,
        file: path,
        code: "call-file-unreadable",
        reason: "not among the called flows given (load the flow with `loadFlow(source, file, { files })`)",
      };
    return { ok: true, file, flow, diagnostics: [] };
  };
}

/** Checks a flow and the called flows given with it, as `runFlow` does before sending anything. */
export function checkWithCalledFlows(main: Flow, called: CalledFlows): Diagnostic[] {
  return checkProgram(main, [], findIn(called)).diagnostics;
}
