/**
 * What every part of the YAML reader shares while reading one file: the source, its line counter,
 * spans for YAML nodes, and the diagnostics found so far.
 */
import { isCollection, isPair, isScalar, type Node, type Pair } from "yaml";
import type { Position, Span } from "../ast.js";
import type { Diagnostic, DiagnosticCode, Severity } from "../diagnostic.js";
import { LIMITS, ReadingStopped } from "../limits.js";
import { LineIndex } from "../text/positions.js";

export class YamlContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Errors reported so far. */
  private errors = 0;
  /** Sessions and ifs around the step being read (LIMITS.stepDepth). */
  stepDepth = 0;

  /**
   * Lines are counted here, not by yaml's LineCounter: that one stops counting at some syntax
   * errors, and both syntaxes must agree on what a line is (`\n`, `\r\n` and `\r` end one).
   */
  private readonly lines: LineIndex;

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    this.lines = new LineIndex(source, file);
  }

  /** The position of an offset, clamped into the file. */
  position(offset: number): Position {
    return this.lines.position(offset);
  }

  /** The half-open span [start, end); `end` is never before `start`. */
  span(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  /**
   * A node's span: from its start to the end of its last value, so a block map or list stops at its
   * last character, not after the comments and blank lines yaml counts in. A pair: key to value.
   */
  nodeSpan(node: Node | Pair | null | undefined): Span {
    const start = isPair(node)
      ? ((node.key as Node | null)?.range?.[0] ?? (node.value as Node | null)?.range?.[0])
      : node?.range?.[0];
    if (start === undefined) return this.span(0, 0);
    return this.span(start, Math.max(start, contentEnd(node) ?? start));
  }

  /** The span of a pair's key, or of the pair when the key has no range. */
  keySpan(pair: Pair): Span {
    return isScalar(pair.key) || (pair.key as Node | null)?.range
      ? this.nodeSpan(pair.key as Node)
      : this.nodeSpan(pair);
  }

  report(code: DiagnosticCode, message: string, span: Span, hint?: string, severity: Severity = "error"): void {
    this.add(hint ? { code, severity, message, span, hint } : { code, severity, message, span });
  }

  /**
   * Adds a diagnostic. Past LIMITS.errors errors, reading stops (ReadingStopped, caught by
   * parseFlowYaml): a file of mistakes is not worth a diagnostic for each of them.
   */
  add(diagnostic: Diagnostic): void {
    if (diagnostic.severity === "error" && ++this.errors > LIMITS.errors) {
      throw new ReadingStopped("too-many-errors", diagnostic.span.start.offset);
    }
    this.diagnostics.push(diagnostic);
  }
}

/** Where a node's content ends: yaml's value end for scalars and flow collections, else its last item's. */
function contentEnd(node: unknown): number | undefined {
  if (isPair(node)) {
    const value = node.value as Node | null;
    const valueEnd =
      value && !(isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1])
        ? contentEnd(value)
        : undefined;
    return valueEnd ?? (node.key as Node | null)?.range?.[1];
  }
  if (isCollection(node) && !node.flow && node.items.length > 0) return contentEnd(node.items[node.items.length - 1]);
  return (node as Node | null)?.range?.[1];
}
