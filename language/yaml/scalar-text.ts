/**
 * The text of a YAML scalar as written, and where each of its characters sits in the source, so
 * that nodes found inside a scalar (an interpolation, a name in an expression) get spans into the
 * YAML file even when the scalar is quoted or spans lines.
 */
import { Scalar } from "yaml";
import type { Span } from "../ast.js";
import type { YamlContext } from "./context.js";

/**
 * A scalar's text before the core schema typed it: `12.50` stays `12.50`, `5000` stays `5000`,
 * a quoted or block scalar gives its value. Never a float's decimal rendering.
 */
export function scalarText(node: Scalar): string {
  if (typeof node.source === "string") return node.source;
  return typeof node.value === "string" ? node.value : String(node.value);
}

/** Spans for slices of a scalar's text. */
export interface TextSpans {
  /** The span of text characters [from, to). */
  span(from: number, to: number): Span;
}

/**
 * Spans into the source for the characters of `text`, the value of `node`. When the characters
 * cannot be placed (a folded multi-line scalar with escapes, an alias), every slice gets the
 * whole scalar's span: still inside the file, just less precise.
 */
export function textSpans(ctx: YamlContext, node: Scalar, text: string): TextSpans {
  const whole = ctx.nodeSpan(node);
  const placed = node.range ? placeCharacters(ctx.source, node, text) : undefined;
  if (!placed) return { span: () => whole };
  const { starts, ends } = placed;
  return {
    span(from: number, to: number): Span {
      const a = Math.max(0, Math.min(from, text.length));
      const b = Math.max(a, Math.min(to, text.length));
      const start = a < text.length ? starts[a] : ends.length > 0 ? ends[ends.length - 1] : whole.start.offset;
      const end = b > a ? ends[b - 1] : start;
      return ctx.span(start, end);
    },
  };
}

interface Placement {
  /** Source offset where character i starts. */
  starts: number[];
  /** Source offset just after character i (an escape like `\u00e9` is several source characters). */
  ends: number[];
}

function placeCharacters(source: string, node: Scalar, text: string): Placement | undefined {
  const [start, end] = node.range as [number, number, number];
  const raw = source.slice(start, end);
  switch (node.type) {
    case Scalar.PLAIN:
      return raw === text ? identity(start, text.length) : align(source, start, end, text);
    case Scalar.QUOTE_SINGLE:
      return placeSingleQuoted(source, start, end, text) ?? align(source, start + 1, end - 1, text);
    case Scalar.QUOTE_DOUBLE:
      return placeDoubleQuoted(source, start, end, text) ?? align(source, start + 1, end - 1, text);
    default: {
      // Block scalars: the content starts on the line after the `|` / `>` header.
      const newline = source.indexOf("\n", start);
      return newline < 0 || newline >= end ? undefined : align(source, newline + 1, end, text);
    }
  }
}

function identity(start: number, length: number): Placement {
  const starts = Array.from({ length }, (_, i) => start + i);
  return { starts, ends: starts.map((s) => s + 1) };
}

/** `'it''s'`: a doubled quote is one character. Single line only. */
function placeSingleQuoted(source: string, start: number, end: number, text: string): Placement | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = start + 1;
  const stop = end - 1;
  while (at < stop) {
    const c = source[at];
    if (c === "\n" || c === "\r") return undefined;
    const width = c === "'" && source[at + 1] === "'" ? 2 : 1;
    starts.push(at);
    ends.push(at + width);
    at += width;
  }
  return verified(starts, ends, text, (i) => (source.slice(starts[i], ends[i]) === "''" ? "'" : source[starts[i]]));
}

/** `"a\tb\u00e9"`: each escape is one character (two for an astral `\U`). Single line only. */
function placeDoubleQuoted(source: string, start: number, end: number, text: string): Placement | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = start + 1;
  const stop = end - 1;
  while (at < stop) {
    const c = source[at];
    if (c === "\n" || c === "\r") return undefined;
    if (c !== "\\") {
      starts.push(at);
      ends.push(at + 1);
      at += 1;
      continue;
    }
    const e = source[at + 1];
    const width = e === "x" ? 4 : e === "u" ? 6 : e === "U" ? 10 : 2;
    const units = e === "U" ? String.fromCodePoint(parseInt(source.slice(at + 2, at + 10), 16) || 0).length : 1;
    for (let u = 0; u < units; u++) {
      starts.push(at);
      ends.push(at + width);
    }
    at += width;
  }
  return starts.length === text.length ? { starts, ends } : undefined;
}

function verified(
  starts: number[],
  ends: number[],
  text: string,
  charAt: (i: number) => string,
): Placement | undefined {
  if (starts.length !== text.length) return undefined;
  for (let i = 0; i < text.length; i++) if (charAt(i) !== text[i]) return undefined;
  return { starts, ends };
}

/**
 * Multi-line scalars: match each character of the text to the next equal source character,
 * letting only whitespace (folded line breaks, indentation) go unmatched. undefined when that fails.
 */
function align(source: string, from: number, to: number, text: string): Placement | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = from;
  for (const c of text) {
    for (let u = 0; u < c.length; u++) {
      const want = c[u];
      const blank = want === " " || want === "\n" || want === "\t";
      while (at < to && source[at] !== want) {
        const s = source[at];
        const skippable = s === " " || s === "\t" || s === "\n" || s === "\r";
        if (!skippable && !blank) return undefined;
        if (!skippable) break;
        at++;
      }
      if (at >= to) {
        // A folded line break at the very end (`|` keeps the last newline): place it at the end.
        if (!blank) return undefined;
        starts.push(to);
        ends.push(to);
        continue;
      }
      if (source[at] !== want) {
        starts.push(at);
        ends.push(at);
        continue;
      }
      starts.push(at);
      ends.push(at + 1);
      at++;
    }
  }
  return { starts, ends };
}
