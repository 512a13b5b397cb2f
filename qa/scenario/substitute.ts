/**
 * `${column}` substitution for data-driven scenarios. The scenario source is rewritten once per
 * `examples` row and parsed again; `toOriginal` maps offsets of the rewritten text back to the
 * source, so every span (of a given, an expectation, a flow step) still points at what the author
 * wrote — a substituted value points at its `${column}`.
 */
import type { Span } from "../../language/index.js";
import type { LineIndex } from "../../language/index.js";

export interface Substituted {
  text: string;
  /** Offset in `text` -> offset in the original source. */
  toOriginal(offset: number): number;
}

interface Replacement {
  /** Where the `${name}` was in the original, and where its value landed in the new text. */
  from: number;
  to: number;
  newFrom: number;
  newTo: number;
}

/**
 * `text[start, end)` without `cut` (the examples table: a row's scenario is read without it), with
 * the map back to `text`'s offsets. What a row rewrites is its own scenario, never the whole file.
 */
export function excerpt(text: string, start: number, end: number, cut?: readonly [number, number]): Substituted {
  if (!cut || cut[0] >= cut[1] || cut[0] < start || cut[1] > end)
    return { text: text.slice(start, end), toOriginal: (offset) => offset + start };
  const kept = cut[0] - start;
  return {
    text: text.slice(start, cut[0]) + text.slice(cut[1], end),
    toOriginal: (offset) => start + offset + (offset < kept ? 0 : cut[1] - cut[0]),
  };
}

/** `inner`'s offsets through `outer`: a rewrite of an excerpt maps back in two steps. */
export function within(outer: Substituted, inner: Substituted): Substituted {
  return { text: inner.text, toOriginal: (offset) => outer.toOriginal(inner.toOriginal(offset)) };
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${name}` for every `name` in `values` inside `[start, end)` of `text`, leaving the
 * `skip` ranges (the examples table itself) and unknown names alone.
 */
export function substitute(
  text: string,
  values: Readonly<Record<string, string>>,
  start: number,
  end: number,
  skip: ReadonlyArray<readonly [number, number]> = [],
): Substituted {
  const replacements: Replacement[] = [];
  let out = "";
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const from = m.index ?? 0;
    const to = from + m[0].length;
    if (from < start || to > end || !Object.hasOwn(values, m[1])) continue;
    if (skip.some(([a, b]) => from >= a && from < b)) continue;
    out += text.slice(last, from);
    const value = values[m[1]];
    replacements.push({ from, to, newFrom: out.length, newTo: out.length + value.length });
    out += value;
    last = to;
  }
  out += text.slice(last);
  return {
    text: out,
    toOriginal(offset: number): number {
      let shift = 0;
      for (const r of replacements) {
        if (offset < r.newFrom) break;
        // Inside a substituted value: point at the placeholder (its end for an end position).
        if (offset < r.newTo) return offset === r.newFrom ? r.from : r.to;
        shift = r.to - r.newTo;
      }
      return offset + shift;
    },
  };
}

function isSpan(value: unknown): value is Span {
  const v = value as Span;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.file === "string" &&
    typeof v.start?.offset === "number" &&
    typeof v.end?.offset === "number"
  );
}

/** Rewrites, in place, every span of `file` found anywhere inside `value` through `map`. */
export function remapSpans(value: unknown, file: string, map: (offset: number) => number, index: LineIndex): void {
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (isSpan(node)) {
      if (node.file === file) {
        node.start = index.position(map(node.start.offset));
        node.end = index.position(map(node.end.offset));
      }
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(value);
}
