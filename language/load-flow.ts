/**
 * The whole front end of one flow file: parse either syntax into the one AST, then check it with
 * every flow it calls (language/calls/). Called files are read through the FlowFiles a caller
 * passes in (the disk's is `flowFilesIn(cwd)`, language/files.ts): the language never reaches for
 * the file system itself.
 */
import type { Flow } from "./ast.js";
import { hasErrors, type Diagnostic } from "./diagnostic.js";
import { parseFlowText } from "./text/parse-text.js";
import { parseFlowYaml } from "./yaml-front-end.js";
import { checkProgram, inSourceOrder, type CalledFlows, type Callee, type FindCallee } from "./calls/program.js";
import type { FlowFiles } from "./files.js";

export type Syntax = "flow" | "yaml";

/** `*.flow` is the mini-language; `*.flow.yaml`, `*.yaml` and `*.yml` are YAML. */
export function syntaxOf(file: string): Syntax | undefined {
  if (/\.flow$/i.test(file)) return "flow";
  if (/\.ya?ml$/i.test(file)) return "yaml";
  return undefined;
}

export interface ParseResult {
  /** The AST; present whenever the source was readable enough to build one, even with errors. */
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
}

/** Parses either syntax (chosen from the file name unless given) into the one AST. Never throws. */
export function parseFlow(source: string, file: string, syntax: Syntax = syntaxOf(file) ?? "flow"): ParseResult {
  return syntax === "yaml" ? parseFlowYaml(source, file) : parseFlowText(source, file);
}

export interface LoadOptions {
  /** The syntax, when the file name does not say. */
  syntax?: Syntax;
  /** Where called flows are read from. Without it a flow that calls another does not load. */
  files?: FlowFiles;
}

export interface LoadResult {
  /** The checked flow: present only when there is no error in it or any flow it calls, so it is safe to run. */
  flow: Flow | undefined;
  /** The flow's own first, in source order; then each called file's, with the chain of calls as notes. */
  diagnostics: Diagnostic[];
  /** Every flow it calls (give it to `runFlow`): empty when it calls none. */
  called: CalledFlows;
  /** The text of each called file read, by file name, for rendering their diagnostics. */
  sources: Map<string, string>;
}

/**
 * Parse, then check with everything the flow calls: the whole front end. `flow` is set only when
 * nothing is an error. `options` may be the syntax alone, as it used to be.
 */
export function loadFlow(source: string, file: string, options: Syntax | LoadOptions = {}): LoadResult {
  const { syntax, files } = typeof options === "string" ? { syntax: options, files: undefined } : options;
  const parsed = parseFlow(source, file, syntax);
  const sources = new Map<string, string>();
  if (!parsed.flow)
    return { flow: undefined, diagnostics: parsed.diagnostics, called: { flows: {}, links: {} }, sources };
  // Checks run after syntax errors too (on the statements that were read), so one run reports
  // syntax and semantic errors together.
  const program = checkProgram(parsed.flow, parsed.diagnostics, calleeFinder(files, sources));
  const own = program.diagnostics.filter((d) => d.span.file === file);
  const others = program.diagnostics.filter((d) => d.span.file !== file);
  const diagnostics = [...inSourceOrder([...parsed.diagnostics, ...own]), ...others];
  return {
    flow: hasErrors(diagnostics) ? undefined : parsed.flow,
    diagnostics,
    called: program.called,
    sources,
  };
}

/** Reads and parses called files through `files`, each once, keeping their texts for the renderer. */
function calleeFinder(files: FlowFiles | undefined, sources: Map<string, string>): FindCallee {
  const read = new Map<string, Callee>();
  return (from, path): Callee => {
    if (!files)
      return {
        ok: false,
        file: path,
        code: "call-file-unreadable",
        reason: "no files to read it from (load the flow with `loadFlow(source, file, { files })`)",
      };
    const file = files.resolve(from, path);
    let callee = read.get(file);
    if (!callee) {
      callee = readCallee(files, file, sources);
      read.set(file, callee);
    }
    return callee;
  };
}

function readCallee(files: FlowFiles, file: string, sources: Map<string, string>): Callee {
  if (syntaxOf(file) === undefined) return { ok: false, file, code: "call-not-a-flow", reason: "not a flow file" };
  const text = files.read(file);
  if (!text.ok) return { ok: false, file, code: "call-file-unreadable", reason: text.reason };
  sources.set(file, text.source);
  const parsed = parseFlow(text.source, file);
  return { ok: true, file, flow: parsed.flow, diagnostics: parsed.diagnostics };
}
