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

/** Every span in a value (diagnostics, related places, AST nodes). */
export function spansIn(value: unknown, out: Span[] = []): Span[] {
  if (Array.isArray(value)) value.forEach((v) => spansIn(v, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "span") out.push(v as Span);
      else spansIn(v, out);
    }
  }
  return out;
}
