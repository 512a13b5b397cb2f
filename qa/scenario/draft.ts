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

/** Every character outside `keep` becomes a space, newlines stay: offsets and lines do not move. */
export function maskOutside(text: string, keep: ReadonlyArray<readonly [number, number]>): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r" || keep.some(([a, b]) => i >= a && i < b)) out += ch;
    else out += " ";
  }
  return out;
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
  draft.flow = flow?.kind === "inline" ? { ...flow, toOriginal: sub.toOriginal } : flow;
  draft.example = row;
  draft.diagnostics.push(...problems);
  return draft;
}
