/** Small shared pieces of command output: diagnostics for people, file problems, plural words. */
import pc from "picocolors";
import { renderDiagnostics, type Diagnostic, type SourceLookup } from "../language/index.js";
import { printable } from "../protocol/index.js";
import type { Write } from "./io.js";

/** Renders diagnostics of one file in the rustc style, looking the source up by the span's file. */
export function writeDiagnostics(
  write: Write,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  color: boolean,
): void {
  if (diagnostics.length === 0) return;
  write(renderPrintable(diagnostics, (file) => sources.get(file), color));
}

/**
 * renderDiagnostics with the user's text made printable first (protocol/printable.ts): the source
 * lines and what messages and hints quote of them. One visible character per control character, so
 * every span still points where it did.
 */
export function renderPrintable(diagnostics: readonly Diagnostic[], sources: SourceLookup, color: boolean): string {
  const lines = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : printable(text, { lines: true });
  const shown = diagnostics.map((d) => ({
    ...d,
    message: printable(d.message),
    ...(d.hint !== undefined ? { hint: lines(d.hint) } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, message: printable(r.message) })) } : {}),
  }));
  return renderDiagnostics(shown, (file) => lines(sources(file)), { color });
}

/** `error: cannot read \`x.flow\`: no such file or directory` (a file problem, not a flow problem). */
export function fileProblem(path: string, reason: string, color: boolean): string {
  const c = pc.createColors(color);
  return `${c.bold(c.red("error"))}${c.bold(`: cannot read \`${printable(path)}\`: ${printable(reason)}`)}\n`;
}

/** `note: skipped \`x\`: reason`. */
export function skippedNote(path: string, reason: string, color: boolean): string {
  const c = pc.createColors(color);
  return `${c.bold(c.cyan("note"))}: skipped \`${printable(path)}\`: ${reason}\n`;
}

/** `1 error`, `2 warnings`, `` for zero. */
export function countOf(count: number, word: string): string {
  return count === 0 ? "" : `${count} ${word}${count === 1 ? "" : "s"}`;
}
