/** The first half of every command that acts on one flow: read it, load it, show its diagnostics. */
import pc from "picocolors";
import { flowFilesIn, loadFlow, readSource, type CalledFlows, type Diagnostic, type Flow } from "../language/index.js";
import type { CliIO } from "./io.js";
import { fileProblem, writeDiagnostics } from "./output.js";
import { learnParamDefaults } from "./secrets.js";

export interface LoadedFlowFile {
  flow: Flow;
  source: string;
  /** The flows it calls (`call "tip.flow"`), read next to it. */
  called: CalledFlows;
  /** Its text and those of the files it calls, by file name: what diagnostics quote. */
  sources: Map<string, string>;
}

/**
 * Reads `file` and loads it with the flows it calls, learns their secret params' defaults, and
 * writes every diagnostic (warnings included) to stderr. When the file
 * cannot be read or has errors, says so (`error: not <done> \`x.flow\`: it has errors`), calls
 * `onInvalid` with the diagnostics, and returns undefined: the command then exits 2.
 */
export function loadFlowFile(
  file: string,
  io: CliIO,
  color: boolean,
  done: string,
  onInvalid?: (diagnostics: readonly Diagnostic[]) => void,
): LoadedFlowFile | undefined {
  const read = readSource(file, io.cwd);
  if (!read.ok) {
    io.stderr(fileProblem(file, read.reason, color));
    return undefined;
  }
  const { flow, diagnostics, called, sources } = loadFlow(read.source, file, { files: flowFilesIn(io.cwd) });
  sources.set(file, read.source);
  if (flow) for (const each of [flow, ...Object.values(called.flows)]) learnParamDefaults(io.secrets, each);
  writeDiagnostics(io.stderr, diagnostics, sources, color);
  if (!flow) {
    onInvalid?.(diagnostics);
    const c = pc.createColors(color);
    io.stderr(`${c.bold(c.red("error"))}${c.bold(`: ${done} \`${file}\`: it has errors`)}\n`);
    return undefined;
  }
  return { flow, source: read.source, called, sources };
}
