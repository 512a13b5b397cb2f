/**
 * The one renderer of Diagnostics, in the rustc/Hurl style:
 *
 *   error[unknown-step]: unknown step `dispaly`
 *    --> flows/tip.flow:3:5
 *     |
 *   3 |     dispaly "Thanks"
 *     |     ^^^^^^^ did you mean `display`?
 *
 * Without colour the output is byte-stable (golden tests compare it byte for byte). Colour comes only
 * from picocolors and only when asked for.
 */
import pc from "picocolors";
import type { Span } from "./ast.js";
import type { Diagnostic, RelatedInformation, Severity } from "./diagnostic.js";

/** Looks up the source text of a file named in a span; undefined when it is not available. */
export type SourceLookup = (file: string) => string | undefined;

export interface RenderOptions {
  /** Colour the output (picocolors). Off by default so output is byte-stable. */
  color?: boolean;
}

/** Tabs in a source line are shown as this many spaces, and carets are placed to match. */
const TAB_WIDTH = 4;

type Colors = ReturnType<typeof pc.createColors>;

/** Renders every diagnostic in order, separated by blank lines; ends with a newline unless empty. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  options: RenderOptions = {},
): string {
  const colors = pc.createColors(options.color === true);
  const lines = new SourceLines(sources);
  return diagnostics.map((d) => renderOne(d, lines, colors)).join("\n");
}

/** One diagnostic: the header, its located snippet, and a `note:` block per related location. */
function renderOne(d: Diagnostic, lines: SourceLines, c: Colors): string {
  const related = d.related ?? [];
  // One gutter width for the whole diagnostic, so the notes line up with the main snippet.
  const width = Math.max(1, ...[d.span, ...related.map((r) => r.span)].map((s) => String(lineOf(s) ?? 1).length));
  const out: string[] = [];
  out.push(`${severityLabel(d.severity, d.code, c)}${c.bold(`: ${oneLine(d.message)}`)}`);
  out.push(...renderSnippet(d.span, d.hint, width, lines, c, d.severity));
  for (const note of related) out.push(...renderNote(note, width, lines, c));
  return `${out.join("\n")}\n`;
}

function severityLabel(severity: Severity, code: string, c: Colors): string {
  const colour = severity === "error" ? c.red : c.yellow;
  return c.bold(colour(`${severity}[${code}]`));
}

function renderNote(note: RelatedInformation, width: number, lines: SourceLines, c: Colors): string[] {
  return [`${c.bold("note")}: ${oneLine(note.message)}`, ...renderSnippet(note.span, undefined, width, lines, c)];
}

/** `--> file:line:col`, then the source line and carets when the source and position are usable. */
function renderSnippet(
  span: Span,
  label: string | undefined,
  width: number,
  lines: SourceLines,
  c: Colors,
  severity?: Severity,
): string[] {
  const gutter = (text: string): string => c.bold(c.blue(text));
  const pad = " ".repeat(width);
  const line = lineOf(span);
  const column = columnOf(span.start);
  const out = [`${pad}${gutter("-->")} ${span.file}${line === undefined ? "" : `:${line}:${column ?? 1}`}`];
  const text = line === undefined ? undefined : lines.line(span.file, line);
  if (line === undefined || text === undefined) {
    // No source to show: the hint still has to reach the user.
    if (label) out.push(`${pad} ${gutter("=")} ${label.split("\n").join(`\n${pad}   `)}`);
    return out;
  }
  const { shown, caretStart, caretLength } = underline(text, span, line);
  const markColour = severity === "warning" ? c.yellow : severity === "error" ? c.red : c.blue;
  const carets = c.bold(markColour("^".repeat(caretLength)));
  const [firstLabel, ...moreLabel] = (label ?? "").split("\n");
  const caretLine = `${pad} ${gutter("|")} ${" ".repeat(caretStart)}${carets}${firstLabel ? ` ${c.bold(markColour(firstLabel))}` : ""}`;
  out.push(`${pad} ${gutter("|")}`);
  out.push(trimEnd(`${gutter(String(line).padStart(width))} ${gutter("|")} ${shown}`));
  out.push(caretLine);
  // Further hint lines line up with the first one, after the carets.
  const indent = " ".repeat(caretStart + caretLength + 1);
  for (const more of moreLabel) out.push(trimEnd(`${pad} ${gutter("|")} ${indent}${c.bold(markColour(more))}`));
  return out;
}

/**
 * The shown (tab-expanded) line and where the carets go on it. A span over several lines underlines
 * the rest of its first line; an empty span still gets one caret.
 */
function underline(text: string, span: Span, line: number): { shown: string; caretStart: number; caretLength: number } {
  const chars = text; // UTF-16, like Position.column
  const startIndex = clamp((columnOf(span.start) ?? 1) - 1, 0, chars.length);
  const endLine = lineOf({ ...span, start: span.end });
  const endColumn = columnOf(span.end);
  const endIndex =
    endLine === line && endColumn !== undefined ? clamp(endColumn - 1, startIndex, chars.length) : chars.length;
  const shown = expandTabs(chars);
  const caretStart = displayWidth(chars.slice(0, startIndex));
  const caretLength = Math.max(1, displayWidth(chars.slice(startIndex, endIndex)));
  return { shown, caretStart, caretLength };
}

/** Columns a piece of a line takes once tabs are expanded (one per code point otherwise). */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch === "\t" ? TAB_WIDTH : 1;
  return width;
}

function expandTabs(text: string): string {
  return text.replace(/\t/g, " ".repeat(TAB_WIDTH));
}

function lineOf(span: Span): number | undefined {
  const line = span?.start?.line;
  return typeof line === "number" && Number.isInteger(line) && line >= 1 ? line : undefined;
}

function columnOf(position: Span["start"] | undefined): number | undefined {
  const column = position?.column;
  return typeof column === "number" && Number.isInteger(column) && column >= 1 ? column : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function trimEnd(text: string): string {
  return text.replace(/[ \t]+$/, "");
}

/** Messages are one line by contract; a stray newline must not break the layout. */
function oneLine(text: string): string {
  return String(text).replace(/\s*\n\s*/g, " ");
}

/** Splits each source once and caches its lines, with `\r\n` and `\r` endings treated as `\n`. */
class SourceLines {
  private readonly cache = new Map<string, string[] | undefined>();
  constructor(private readonly sources: SourceLookup) {}

  line(file: string, line: number): string | undefined {
    if (!this.cache.has(file)) {
      let source: string | undefined;
      try {
        source = this.sources(file);
      } catch {
        source = undefined;
      }
      this.cache.set(file, source === undefined ? undefined : source.split(/\r\n|\r|\n/));
    }
    const lines = this.cache.get(file);
    if (lines === undefined) return undefined;
    // A span at the very end of a file may sit on the empty line after the last newline.
    return line <= lines.length ? lines[line - 1] : line === lines.length + 1 ? "" : undefined;
  }
}

/** One diagnostic as `--error-format json` prints it. Every key is always present. */
export interface JsonDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint: string | null;
  file: string;
  /** 1-based, like the rendered `--> file:line:column`. */
  line: number;
  column: number;
  /** 1-based, exclusive end column (the position just after the span). */
  endLine: number;
  endColumn: number;
  /** 0-based UTF-16 offsets, half-open. */
  offset: number;
  endOffset: number;
  related: JsonRelated[];
}

export interface JsonRelated {
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
}

/** The documented JSON shape (docs/diagnostics.md) of a list of diagnostics, for editors and CI. */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics.map(toJsonDiagnostic), null, 2);
}

/** One diagnostic in the JSON shape, with keys in a fixed order. */
export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    hint: d.hint ?? null,
    ...jsonLocation(d.span),
    related: (d.related ?? []).map((r) => ({ message: r.message, ...jsonLocation(r.span) })),
  };
}

function jsonLocation(span: Span): Omit<JsonRelated, "message"> {
  const num = (n: number | undefined, fallback: number): number => (Number.isFinite(n) ? (n as number) : fallback);
  return {
    file: span.file,
    line: num(span.start?.line, 1),
    column: num(span.start?.column, 1),
    endLine: num(span.end?.line, num(span.start?.line, 1)),
    endColumn: num(span.end?.column, num(span.start?.column, 1)),
    offset: num(span.start?.offset, 0),
    endOffset: num(span.end?.offset, num(span.start?.offset, 0)),
  };
}

/**
 * The rustc-style closing line for one checked subject (a file), or undefined when it is clean:
 * `error: could not check \`x.flow\`: 3 errors, 1 warning` or `warning: \`x.flow\`: 1 warning`.
 */
export function checkSummaryLine(
  diagnostics: readonly Diagnostic[],
  subject: string,
  options: RenderOptions = {},
): string | undefined {
  const c = pc.createColors(options.color === true);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const counts = [plural(errors, "error"), plural(warnings, "warning")].filter((s) => s !== "").join(", ");
  if (errors > 0) return `${c.bold(c.red("error"))}${c.bold(`: could not check \`${subject}\`: ${counts}`)}`;
  if (warnings > 0) return `${c.bold(c.yellow("warning"))}${c.bold(`: \`${subject}\`: ${counts}`)}`;
  return undefined;
}

function plural(count: number, word: string): string {
  return count === 0 ? "" : `${count} ${word}${count === 1 ? "" : "s"}`;
}
