/**
 * One-line YAML front-end tests. `<|...|>` marks where a diagnostic must point:
 *
 *   expectYamlDiagnostic("steps: [{<|dispaly|>: Hi}]", "unknown-step", { hint: "`display`" });
 *   expectYamlAt("steps:\n\t- wait: 1s\n", "yaml-tab-as-indent", "2:1");
 *   const flow = parseYamlValid("steps: [{wait: 2s}]");
 */
import assert from "node:assert/strict";
import { stripSpans, type Flow, type Span } from "../../../language/ast.js";
import type { Diagnostic } from "../../../language/diagnostic.js";
import { renderDiagnostics } from "../../../language/render-diagnostics.js";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { parseFlowYaml } from "../../../language/yaml/parse-yaml.js";

export const FILE = "test.flow.yaml";

/** Strips `<|` `|>` markers; returns the source and the marked [start, end) ranges. */
export function stripMarkers(text: string): { source: string; ranges: { start: number; end: number }[] } {
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  let source = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("<|", i)) {
      open.push(source.length);
      i += 2;
    } else if (text.startsWith("|>", i) && open.length > 0) {
      ranges.push({ start: open.pop()!, end: source.length });
      i += 2;
    } else source += text[i++];
  }
  return { source, ranges };
}

/** The rendered diagnostics, for assertion messages. */
export function rendered(diagnostics: readonly Diagnostic[], source: string): string {
  return renderDiagnostics(diagnostics, () => source);
}

/** Parses YAML that must be clean; returns its AST. */
export function parseYamlValid(source: string): Flow {
  const parsed = parseFlowYaml(source, FILE);
  assert.deepEqual(
    parsed.diagnostics.map((d) => d.code),
    [],
    `expected no diagnostics:\n${rendered(parsed.diagnostics, source)}`,
  );
  assert.ok(parsed.flow, "no flow");
  return parsed.flow;
}

/** Parses mini-language text that must be clean; returns its AST. */
export function parseTextValid(source: string): Flow {
  const parsed = parseFlowText(source, "test.flow");
  assert.deepEqual(
    parsed.diagnostics.map((d) => d.code),
    [],
    `expected no diagnostics:\n${rendered(parsed.diagnostics, source)}`,
  );
  assert.ok(parsed.flow, "no flow");
  return parsed.flow;
}

/** The steps of a clean YAML flow, without spans. */
export function stepsOf(source: string): unknown[] {
  return stripSpans(parseYamlValid(source).steps);
}

/** Asserts that a YAML and a mini-language source give the same AST, spans aside. */
export function expectSameAst(yaml: string, text: string): void {
  assert.deepStrictEqual(stripSpans(parseYamlValid(yaml)), stripSpans(parseTextValid(text)));
}

export interface Expected {
  message?: string | RegExp;
  hint?: string | RegExp;
  /** How many diagnostics the source gives in all (default 1). */
  total?: number;
}

/**
 * Asserts that parsing `marked` reports `code` exactly at the `<|...|>` range (or, without a marker,
 * anywhere), and nothing else unless `total` says so. Returns the diagnostic.
 */
export function expectYamlDiagnostic(marked: string, code: string, expected: Expected = {}): Diagnostic {
  const { source, ranges } = stripMarkers(marked);
  const { diagnostics } = parseFlowYaml(source, FILE);
  const shown = rendered(diagnostics, source);
  const found = diagnostics.find((d) => d.code === code);
  assert.ok(found, `expected ${code}, got:\n${shown || "(nothing)"}`);
  if (ranges[0]) {
    const at = JSON.stringify(source.slice(found.span.start.offset, found.span.end.offset));
    const expected = JSON.stringify(source.slice(ranges[0].start, ranges[0].end));
    assert.deepEqual(
      [found.span.start.offset, found.span.end.offset],
      [ranges[0].start, ranges[0].end],
      `${code} points at ${at}, expected ${expected}:\n${shown}`,
    );
  }
  assert.equal(diagnostics.length, expected.total ?? 1, `expected ${expected.total ?? 1} diagnostic(s):\n${shown}`);
  if (expected.message) assertMatches(found.message, expected.message, "message");
  if (expected.hint) assertMatches(found.hint ?? "", expected.hint, "hint");
  return found;
}

/** Asserts `code` is reported starting at `line:col`. */
export function expectYamlAt(source: string, code: string, lineCol: string): Diagnostic {
  const { diagnostics } = parseFlowYaml(source, FILE);
  const found = diagnostics.find((d) => d.code === code);
  assert.ok(found, `expected ${code}, got:\n${rendered(diagnostics, source) || "(nothing)"}`);
  assert.equal(`${found.span.start.line}:${found.span.start.column}`, lineCol, rendered([found], source));
  return found;
}

/** The source text a span covers. */
export function textAt(source: string, span: Span): string {
  return source.slice(span.start.offset, span.end.offset);
}

function assertMatches(actual: string, expected: string | RegExp, what: string): void {
  if (typeof expected === "string")
    assert.ok(actual.includes(expected), `${what} ${JSON.stringify(actual)} lacks ${JSON.stringify(expected)}`);
  else assert.match(actual, expected);
}
