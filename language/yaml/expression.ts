/**
 * Expressions in the YAML form are written in the mini-language (`expect: split == true`), so they
 * are parsed by the mini-language parser, as the one statement `expect <text>`, and every span it
 * gives (nodes and diagnostics) is moved from that one-line text into the YAML file.
 */
import type { Scalar } from "yaml";
import type { Expression, Span } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { parseFlowTextWithComments } from "../text/parse-text.js";
import type { YamlContext } from "./context.js";
import { scalarText, textSpans, type TextSpans } from "./scalar-text.js";

const PREFIX = "expect ";

/** The expression a scalar holds, or undefined after reporting why it is not one. */
export function readExpression(ctx: YamlContext, node: Scalar): Expression | undefined {
  const text = scalarText(node);
  const spans = textSpans(ctx, node, text);
  // Line breaks would end the statement; inside an expression they are just spaces (same length).
  const oneLine = text.replace(/[\r\n]/g, " ");
  if (oneLine.trim() === "") {
    ctx.report(
      "expected-expression",
      "expected an expression but found nothing",
      ctx.nodeSpan(node),
      "write a condition such as `split == true`",
    );
    return undefined;
  }
  const parsed = parseFlowTextWithComments(PREFIX + oneLine, ctx.file);
  const move = (span: Span): Span => spans.span(span.start.offset - PREFIX.length, span.end.offset - PREFIX.length);
  for (const d of parsed.diagnostics) ctx.add(moved(d, move));
  if (parsed.diagnostics.length > 0) return undefined;

  const steps = parsed.flow?.steps ?? [];
  const step = steps[0];
  if (step?.kind !== "expect") return undefined;
  // All of the text parsed cleanly; only a `# comment` or a second statement can follow unnoticed.
  const after = parsed.comments[0]?.span.start.offset ?? steps[1]?.span.start.offset;
  if (after !== undefined) {
    let at = after - PREFIX.length;
    while (at > 0 && /[\s;]/.test(oneLine[at - 1])) at--;
    if (oneLine[at] !== ";") at = oneLine.slice(at).search(/\S/) + at;
    reportTrailing(ctx, oneLine, at, spans);
    return undefined;
  }
  return withSpans(step.condition, move);
}

function reportTrailing(ctx: YamlContext, text: string, at: number, spans: TextSpans): void {
  const what = text.slice(at).trim();
  const shown = what.length > 20 ? `${what.slice(0, 17)}...` : what;
  ctx.report(
    "unexpected-token",
    `unexpected \`${shown}\` after the expression`,
    spans.span(at, text.trimEnd().length),
    what.startsWith("#")
      ? "`#` starts a comment in the mini-language; remove it"
      : "an expression is one condition; join conditions with `and` or `or`",
  );
}

function moved(d: Diagnostic, move: (span: Span) => Span): Diagnostic {
  const out: Diagnostic = {
    ...d,
    message: d.message.replace(/the end of the file/g, "the end of the expression"),
    span: move(d.span),
  };
  if (d.related) out.related = d.related.map((r) => ({ ...r, span: move(r.span) }));
  return out;
}

/** A deep copy of an AST value with every `span` moved. */
function withSpans<T>(value: T, move: (span: Span) => Span): T {
  if (Array.isArray(value)) return value.map((v) => withSpans(v, move)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  const from = value as Record<string, unknown>;
  for (const key in from) out[key] = key === "span" ? move(from[key] as Span) : withSpans(from[key], move);
  return out as T;
}
