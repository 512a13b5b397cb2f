/** One-line helpers for the mini-language tests (Peggy/Langium style). */
import assert from "node:assert/strict";
import { stripSpans, type Expression, type Flow, type Step } from "../../../language/ast.js";
import type { Diagnostic } from "../../../language/diagnostic.js";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { printExpression } from "../../../language/text/print-text.js";

export const FILE = "test.flow";

/** The AST of a source that must parse cleanly, spans stripped. */
export function ast(source: string): Flow {
  const result = parseFlowText(source, FILE);
  assert.deepEqual(result.diagnostics.map(brief), [], `unexpected diagnostics for ${JSON.stringify(source)}`);
  return stripSpans(result.flow!);
}

/** The only step of a clean source, spans stripped. */
export function step(source: string): Step {
  const steps = ast(source).steps;
  assert.equal(steps.length, 1, `expected one step in ${JSON.stringify(source)}`);
  return steps[0];
}

/** The condition of `expect <source>` as an s-expression: `(or a (and b c))`. */
export function tree(source: string): string {
  const s = step(`expect ${source}`);
  assert.equal(s.kind, "expect");
  return sexpr((s as { condition: Expression }).condition);
}

export function sexpr(e: Expression): string {
  switch (e.kind) {
    case "binary":
      return `(${e.operator} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case "unary":
      return `(${e.operator} ${sexpr(e.operand)})`;
    default:
      return printExpression(e);
  }
}

/** `code@line:col` for each diagnostic of a source. */
export function problems(source: string): string[] {
  return parseFlowText(source, FILE).diagnostics.map(brief);
}

/** The one diagnostic of a source. */
export function problem(source: string): Diagnostic {
  const { diagnostics } = parseFlowText(source, FILE);
  assert.equal(diagnostics.length, 1, `expected one diagnostic, got ${JSON.stringify(diagnostics.map(brief))}`);
  return diagnostics[0];
}

export function brief(d: Diagnostic): string {
  return `${d.code}@${d.span.start.line}:${d.span.start.column}`;
}

/**
 * A source with one `<|...|>` range marker (Langium style): the source without the marker and
 * the marked offsets, so expected spans are written inline instead of counted by hand.
 */
export function marked(text: string): { source: string; start: number; end: number } {
  const start = text.indexOf("<|");
  const end = text.indexOf("|>");
  assert.ok(start >= 0 && end > start, "marker <|...|> missing");
  return { source: text.slice(0, start) + text.slice(start + 2, end) + text.slice(end + 2), start, end: end - 2 };
}
