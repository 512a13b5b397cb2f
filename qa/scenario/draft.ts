/**
 * What a front end reads from one scenario (one block, one examples row) before its flow is loaded:
 * the shared step between the text and YAML syntaxes and `load.ts`.
 */
import type { Span, Diagnostic } from "../../language/index.js";
import type { ExampleRow, Expectation, Given } from "./model.js";
import type { LineIndex } from "../../language/index.js";
import { remapSpans, type Substituted } from "./substitute.js";

/** Where the flow is: source text to parse (already masked to sit at its own offsets) or a file. */
export type FlowSourceDraft =
  | {
      kind: "inline";
      syntax: "flow" | "yaml";
      text: string;
      /** Set when `text` was rewritten for an examples row: maps its offsets back to the source. */
      toOriginal?: (offset: number) => number;
    }
  | { kind: "file"; path: string; span: Span };

export interface ScenarioDraft {
  name: string;
  span: Span;
  tags: string[];
  flow?: FlowSourceDraft;
  givens: Given[];
  expectations: Expectation[];
  diagnostics: Diagnostic[];
  example?: ExampleRow;
}

/**
 * Every character outside `keep` (ranges in order) becomes a space, newlines stay: offsets and lines
 * do not move. Linear in the text.
 */
export function maskOutside(text: string, keep: ReadonlyArray<readonly [number, number]>): string {
  const ranges = [...keep].sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  const blank = (to: number) => {
    if (to > at) out += text.slice(at, to).replace(/[^\r\n]/g, " ");
    at = Math.max(at, to);
  };
  for (const [a, b] of ranges) {
    blank(Math.min(a, text.length));
    if (b > at) {
      out += text.slice(at, b);
      at = b;
    }
  }
  blank(text.length);
  return out;
}

/**
 * The flow lines of one scenario as a text of their own: from the start of the first kept range's
 * line to the end of the last range, masked as `maskOutside` does (so columns stay), with the map
 * back to the file's offsets. A file of thousands of scenarios so parses each flow without a copy
 * of the whole file each time.
 */
export function flowExcerpt(
  text: string,
  keep: ReadonlyArray<readonly [number, number]>,
): FlowSourceDraft & { kind: "inline" } {
  const first = Math.min(...keep.map(([a]) => a));
  const last = Math.max(...keep.map(([, b]) => b));
  const start = Math.max(0, text.lastIndexOf("\n", first - 1) + 1);
  const excerpt = maskOutside(
    text.slice(start, last),
    keep.map(([a, b]) => [a - start, b - start] as const),
  );
  return { kind: "inline", syntax: "flow", text: excerpt, toOriginal: (offset) => offset + start };
}

/**
 * A draft read from one examples row's rewritten text, moved back onto the source: its spans point
 * at what the author wrote, and an inline flow (still to be parsed from the rewritten text) carries
 * the map to do the same once loaded.
 */
export function placeRowDraft(
  draft: ScenarioDraft,
  sub: Substituted,
  source: LineIndex,
  row: ExampleRow,
  problems: readonly Diagnostic[],
): ScenarioDraft {
  const flow = draft.flow;
  draft.flow = undefined;
  remapSpans(draft, source.file, sub.toOriginal, source);
  if (flow?.kind === "file") remapSpans(flow, source.file, sub.toOriginal, source);
  const inExcerpt = flow?.kind === "inline" ? flow.toOriginal : undefined;
  draft.flow =
    flow?.kind === "inline"
      ? { ...flow, toOriginal: inExcerpt ? (offset) => sub.toOriginal(inExcerpt(offset)) : sub.toOriginal }
      : flow;
  draft.example = row;
  draft.diagnostics.push(...problems);
  return draft;
}
