/** Pieces the robustness property tests share: applying character edits, and finding every span. */
import type { Span } from "../../language/ast.js";

/** Applies `[kind, position, character]` edits in order: delete, insert, or swap two neighbours. */
export function mutate(source: string, mutations: [string, number, string][]): string {
  let s = source;
  for (const [kind, at, char] of mutations) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    if (kind === "delete") s = s.slice(0, i) + s.slice(i + 1);
    else if (kind === "insert") s = s.slice(0, i) + char + s.slice(i);
    else if (i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }
  return s;
}

/**
 * Every span in a value (diagnostics, related places, AST nodes). Iterative, so the deepest AST a
 * pathological input makes stays checkable.
 */
export function spansIn(value: unknown, out: Span[] = []): Span[] {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v && typeof v === "object")
      for (const [key, child] of Object.entries(v)) {
        if (key === "span") out.push(child as Span);
        else stack.push(child);
      }
  }
  return out;
}

class Key {
  constructor(readonly name: string) {}
}
const CLOSE = Symbol("close");

/**
 * A value written as text without its spans: two ASTs are the same flow exactly when their keys
 * are equal. Iterative (stripSpans and deepEqual recurse, and overflow on the deepest inputs).
 */
export function shapeKey(value: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === CLOSE) parts.push(")");
    else if (v instanceof Key) parts.push(`${JSON.stringify(v.name)}:`);
    else if (Array.isArray(v)) {
      parts.push("[");
      stack.push(CLOSE);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v && typeof v === "object") {
      parts.push("{");
      stack.push(CLOSE);
      const entries = Object.entries(v).filter(([k, child]) => k !== "span" && child !== undefined);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i][1], new Key(entries[i][0]));
    } else parts.push(`${JSON.stringify(v) ?? "undefined"},`);
  }
  return parts.join("");
}

/** A case's own seed: the run's seed, the family and the index, mixed (FNV-1a), so each case replays alone. */
export function caseSeed(seed: number, family: string, index: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const ch of `${family}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
