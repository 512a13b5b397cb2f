/**
 * One-line check tests in the style of Peggy's `reportError`, with Langium's `<|...|>` markers:
 *
 *   expectDiagnostic("session waiting 5s < <|session waiting 1s < wait 1s >|> >", "nested-session");
 *   expectDiagnostic("pay 12.345 EUR", "amount-precision", "<|12.345|>");
 *   expectNoDiagnostic("pay 12.34 EUR");
 *
 * The source is the mini-language; it must parse without syntax errors, so a typo in a test cannot
 * pass for a check finding.
 */
import assert from "node:assert/strict";
import type { Flow, Span } from "../../../language/ast.js";
import { checkFlow } from "../../../language/checks/index.js";
import type { Diagnostic, Severity } from "../../../language/diagnostic.js";
import { renderDiagnostics } from "../../../language/render-diagnostics.js";
import { parseFlowText } from "../../../language/text/parse-text.js";

const FILE = "test.flow";
const OPEN = "<|";
const CLOSE = "|>";

export interface Marked {
  /** The text without markers. */
  source: string;
  /** Each `<|...|>` as [start, end) offsets into `source`. */
  ranges: { start: number; end: number }[];
}

/** Strips `<|` and `|>` and records where they were. */
export function stripMarkers(text: string): Marked {
  const ranges: Marked["ranges"] = [];
  const open: number[] = [];
  let source = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith(OPEN, i)) {
      open.push(source.length);
      i += OPEN.length;
    } else if (text.startsWith(CLOSE, i) && open.length > 0) {
      ranges.push({ start: open.pop() as number, end: source.length });
      i += CLOSE.length;
    } else source += text[i++];
  }
  assert.equal(open.length, 0, `unclosed ${OPEN} in ${JSON.stringify(text)}`);
  return { source, ranges: ranges.sort((a, b) => a.start - b.start) };
}

/** Parses a valid mini-language source (asserting no syntax errors) and returns its AST. */
export function parseValid(source: string): Flow {
  const parsed = parseFlowText(source, FILE);
  assert.deepEqual(
    parsed.diagnostics.map((d) => d.code),
    [],
    `the test source must parse cleanly:\n${renderDiagnostics(parsed.diagnostics, () => source)}`,
  );
  assert.ok(parsed.flow, "the parser returned no flow");
  return parsed.flow;
}

/** The check diagnostics of a mini-language source (markers stripped). */
export function check(text: string): Diagnostic[] {
  return checkFlow(parseValid(stripMarkers(text).source));
}

export interface ExpectOptions {
  severity?: Severity;
  /** A substring of, or a pattern for, the message. */
  message?: string | RegExp;
  /** A substring of, or a pattern for, the hint. */
  hint?: string | RegExp;
  /** The related locations, each as marked text like `at`. */
  related?: string[];
}

/**
 * Asserts that checking `text` reports `code` exactly where marked: by `<|...|>` in `text`, or by
 * `at`, the exact source text of the span (`"<|12.345|>"` or `"12.345"`), where `...` stands for
 * any text (`"<|session waiting 1s ...|>"`). Returns the diagnostic for further asserts.
 */
export function expectDiagnostic(text: string, code: string, at?: string, options: ExpectOptions = {}): Diagnostic {
  const { source, ranges } = stripMarkers(text);
  const all = checkFlow(parseValid(source));
  const found = all.filter((d) => d.code === code);
  const shown = (): string => renderDiagnostics(all, () => source) || "(no diagnostics)";
  assert.ok(found.length > 0, `expected \`${code}\` from ${JSON.stringify(source)}, got:\n${shown()}`);

  const wanted = ranges[0] ? exact(ranges[0]) : at !== undefined ? pattern(at) : undefined;
  const d = wanted ? found.find((x) => wanted(x.span, source)) : found[0];
  assert.ok(
    d,
    `\`${code}\` is not at ${ranges[0] ? "the marked range" : JSON.stringify(at)} in ${JSON.stringify(source)}:\n${shown()}`,
  );

  if (options.severity) assert.equal(d.severity, options.severity, `severity of \`${code}\``);
  if (options.message !== undefined) assertText(d.message, options.message, "message");
  if (options.hint !== undefined) assertText(d.hint ?? "", options.hint, "hint");
  if (options.related) {
    const related = d.related ?? [];
    assert.equal(
      related.length,
      options.related.length,
      `related of \`${code}\`: ${JSON.stringify(related.map((r) => r.message))}`,
    );
    options.related.forEach((r, i) =>
      assert.ok(pattern(r)(related[i].span, source), `related ${i} is not at ${JSON.stringify(r)}`),
    );
  }
  return d;
}

/** Asserts that checking `text` reports no diagnostic with `code`, or none at all without a code. */
export function expectNoDiagnostic(text: string, code?: string): void {
  const source = stripMarkers(text).source;
  const all = checkFlow(parseValid(source));
  const found = code === undefined ? all : all.filter((d) => d.code === code);
  assert.deepEqual(
    found.map((d) => d.code),
    [],
    renderDiagnostics(found, () => source),
  );
}

function exact(range: { start: number; end: number }) {
  return (span: Span): boolean => span.start.offset === range.start && span.end.offset === range.end;
}

/** Matches a span whose source text is `at` (markers optional), `...` standing for any text. */
function pattern(at: string) {
  const bare = at.startsWith(OPEN) && at.endsWith(CLOSE) ? at.slice(OPEN.length, -CLOSE.length) : at;
  const [head, ...rest] = bare.split("...");
  const tail = rest.length > 0 ? rest[rest.length - 1] : undefined;
  return (span: Span, source: string): boolean => {
    const text = source.slice(span.start.offset, span.end.offset);
    if (tail === undefined) return text === head;
    return text.startsWith(head) && text.endsWith(tail) && text.length >= head.length + tail.length;
  };
}

function assertText(actual: string, expected: string | RegExp, what: string): void {
  if (typeof expected === "string")
    assert.ok(actual.includes(expected), `${what} ${JSON.stringify(actual)} lacks ${JSON.stringify(expected)}`);
  else assert.match(actual, expected, what);
}
