/**
 * `termflow fmt` for the mini-language: the canonical layout of print-text, with the comments put
 * back. An own-line comment stays before the statement that follows it; a comment at the end of a
 * code line stays at the end of that statement's line; one blank line between statements survives.
 * Refuses files with errors (the layout of broken code is a guess).
 */
import type { IToken, TokenType } from "chevrotain";
import type { ForStep, IfStep, RepeatStep, SessionStep } from "../ast.js";
import { hasErrors, type Diagnostic } from "../diagnostic.js";
import { parseFlowTextWithComments, type FlowComment } from "./parse-text.js";
import { firstAtOrAfter } from "./build-ast.js";
import { LineIndex } from "./positions.js";
import { printFlowLines, type BlockLocator, type PrintedLine } from "./print-text.js";
import { LBrace, lexFlowSource, Less, Newline, RBrace } from "./tokens.js";

/** The formatted text, or no output and the diagnostics when the file has errors. */
export interface FormatResult {
  output?: string;
  diagnostics: Diagnostic[];
}

/** Formats mini-language source; idempotent: formatting the output again changes nothing. */
export function formatFlowText(source: string, file: string): FormatResult {
  const parsed = parseFlowTextWithComments(source, file);
  if (!parsed.flow || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const codeTokens = lexFlowSource(source).tokens.filter((t) => t.tokenType !== Newline);
  const lines = printFlowLines(parsed.flow, locatorFor(codeTokens));
  const index = new LineIndex(source, file);
  return { output: weave(lines, parsed.comments, codeTokens, index), diagnostics: parsed.diagnostics };
}

/** Finds `<`, `{`, `}` in the token stream: the AST has the steps around them, not them. */
function locatorFor(tokens: readonly IToken[]): BlockLocator {
  // Offsets of each kind of token, in order, searched by bisection: looking through the tokens
  // for every block took quadratic time (16,000 if/else blocks: close to a minute).
  const offsets = new Map<TokenType, number[]>([
    [LBrace, []],
    [RBrace, []],
    [Less, []],
  ]);
  for (const t of tokens) offsets.get(t.tokenType)?.push(t.startOffset);
  const firstAt = (type: TokenType, from: number): number | undefined => {
    const list = offsets.get(type) ?? [];
    const i = firstAtOrAfter(list, from);
    return i < list.length ? list[i] : undefined;
  };
  const thenOpen = (step: IfStep) => firstAt(LBrace, step.condition.span.end.offset);
  const thenClose = (step: IfStep) => {
    const last = step.then[step.then.length - 1];
    return firstAt(RBrace, last ? last.span.end.offset : (thenOpen(step) ?? step.span.start.offset) + 1);
  };
  return {
    open: (step: SessionStep | IfStep | ForStep | RepeatStep) => {
      if (step.kind === "session") return firstAt(Less, step.span.start.offset);
      if (step.kind === "if") return thenOpen(step);
      return firstAt(LBrace, (step.kind === "for" ? step.over : step.count).span.end.offset);
    },
    thenClose,
    elseOpen: (step: IfStep) => firstAt(LBrace, (thenClose(step) ?? step.span.start.offset) + 1),
    handlerOpen: (handler) => firstAt(LBrace, handler.span.start.offset),
  };
}

interface Element {
  depth: number;
  text: string;
  role: PrintedLine["role"] | "comment";
  /** Source range [start, end] (inclusive end) for blank-line decisions. */
  start: number;
  end: number;
  trailing?: string;
  blankBefore?: boolean;
}

/** Merges comments into the printed lines and renders the result. */
function weave(
  lines: readonly PrintedLine[],
  comments: readonly FlowComment[],
  tokens: readonly IToken[],
  index: LineIndex,
): string {
  const headerEnd = lines.findIndex((l) => l.role === "blank");
  const code: Element[] = lines
    .filter((l) => l.role !== "blank")
    .map((l) => ({ depth: l.depth, text: l.text, role: l.role, start: l.from ?? 0, end: l.to ?? l.from ?? 0 }));
  const lastHeader = headerEnd > 0 ? code[headerEnd - 1] : undefined;

  const ownLine: { before: number; element: Element }[] = [];
  for (const comment of comments) {
    const offset = comment.span.start.offset;
    const text = comment.text.trimEnd();
    const previous = lastTokenBefore(tokens, offset);
    if (previous && index.position(previous.startOffset).line === comment.span.start.line) {
      const host = lastLineFrom(code, previous.startOffset);
      if (host && host.trailing === undefined) {
        host.trailing = text;
        continue;
      }
    }
    const before = firstStartingAfter(code, offset);
    const next = before >= 0 ? code[before] : undefined;
    const depth = next ? next.depth + (next.role === "close" || next.role === "middle" ? 1 : 0) : 0;
    ownLine.push({
      before: before >= 0 ? before : code.length,
      element: { depth, text, role: "comment", start: offset, end: comment.span.end.offset - 1 },
    });
  }

  const elements: Element[] = [];
  let pending = 0;
  for (let i = 0; i <= code.length; i++) {
    while (pending < ownLine.length && ownLine[pending].before === i) elements.push(ownLine[pending++].element);
    if (i < code.length) elements.push(code[i]);
  }
  if (lastHeader) {
    const after = elements.indexOf(lastHeader) + 1;
    if (after < elements.length) elements[after].blankBefore = true;
  }

  const out: string[] = [];
  elements.forEach((e, i) => {
    const previous = elements[i - 1];
    if (previous && (e.blankBefore || wantsBlank(previous, e, index))) out.push("");
    const body = "  ".repeat(e.depth) + e.text;
    out.push(e.trailing ? `${body}  ${e.trailing}` : body);
  });
  return `${out.join("\n")}\n`;
}

/** Keep one blank line where the source had one, except just inside a block's braces. */
function wantsBlank(previous: Element, next: Element, index: LineIndex): boolean {
  if (previous.role === "open" || previous.role === "middle") return false;
  if (next.role === "close" || next.role === "middle") return false;
  return index.position(next.start).line - index.position(previous.end).line >= 2;
}

/** The last token that starts before `offset` (tokens are in source order). */
function lastTokenBefore(tokens: readonly IToken[], offset: number): IToken | undefined {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? tokens[low - 1] : undefined;
}

/** The index of the first printed line that starts after `offset` (lines are in source order), or -1. */
function firstStartingAfter(code: readonly Element[], offset: number): number {
  let low = 0;
  let high = code.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (code[mid].start <= offset) low = mid + 1;
    else high = mid;
  }
  return low < code.length ? low : -1;
}

/** The last printed line that starts at or before a source offset. */
function lastLineFrom(code: readonly Element[], offset: number): Element | undefined {
  const after = firstStartingAfter(code, offset);
  const i = after < 0 ? code.length - 1 : after - 1;
  return i >= 0 ? code[i] : undefined;
}
