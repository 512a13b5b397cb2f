/** Small shared pieces of command output: diagnostics for people, file problems, plural words. */
import pc from "picocolors";
import { renderDiagnostics, type Diagnostic } from "../language/index.js";
import type { Write } from "./io.js";

/** Renders diagnostics of one file in the rustc style, looking the source up by the span's file. */
export function writeDiagnostics(
  write: Write,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  color: boolean,
): void {
  if (diagnostics.length === 0) return;
  write(renderDiagnostics(diagnostics, (file) => sources.get(file), { color }));
}

/** `error: cannot read \`x.flow\`: no such file or directory` (a file problem, not a flow problem). */
export function fileProblem(path: string, reason: string, color: boolean): string {
  const c = pc.createColors(color);
  return `${c.bold(c.red("error"))}${c.bold(`: cannot read \`${path}\`: ${reason}`)}\n`;
}

/** `note: skipped \`x\`: reason`. */
export function skippedNote(path: string, reason: string, color: boolean): string {
  const c = pc.createColors(color);
  return `${c.bold(c.cyan("note"))}: skipped \`${path}\`: ${reason}\n`;
}

/** `1 error`, `2 warnings`, `` for zero. */
export function countOf(count: number, word: string): string {
  return count === 0 ? "" : `${count} ${word}${count === 1 ? "" : "s"}`;
}
