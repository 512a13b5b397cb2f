/**
 * Tokens of a scenario sentence (`shopper answers "Split the bill?" with yes`). One sentence is one
 * line in the text form and one list item in the YAML form, so the tokenizer works on a string plus
 * a map from its characters back to source offsets (YAML quoting shifts them).
 */
import type { Diagnostic, Span } from "../../language/index.js";
import type { LineIndex } from "../../language/index.js";
import { didYouMean } from "../../language/index.js";

export type TokenKind = "word" | "string" | "number" | "op" | "comma";

export interface Token {
  kind: TokenKind;
  /** The word, the unescaped string, the number as written, or the operator. */
  text: string;
  span: Span;
}

/** A sentence and where its characters are in the scenario source. */
export interface SentenceText {
  text: string;
  /** Source offset of `text[i]` (and of its end for `i === text.length`). */
  offsetAt(i: number): number;
  source: LineIndex;
  /** The scenario's examples columns, for did-you-mean on a mistyped `${column}`. */
  columns?: readonly string[];
}

/** A sentence that sits verbatim in the source from `start` on (text form, plain YAML scalars). */
export function verbatimSentence(source: LineIndex, start: number, end: number): SentenceText {
  return { text: source.source.slice(start, end), offsetAt: (i) => start + i, source };
}

const WORD = /[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*/y;
const NUMBER = /[0-9][0-9A-Za-z_.]*/y;
const OPERATOR = /==|!=|<=|>=|<|>|=/y;
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", $: "$" };

/** A `${name}` left after substitution: no examples column has that name. */
export function unknownVariable(placeholder: string, span: Span, columns: readonly string[] = []): Diagnostic {
  const name = placeholder.replace(/^\$\{|\}$/g, "");
  const near = didYouMean(name, columns);
  return {
    code: "unknown-variable",
    severity: "error",
    message: `\`${placeholder}\` is not a column of this scenario's examples`,
    span,
    hint:
      near !== undefined
        ? `did you mean \`\${${near}}\`?`
        : columns.length > 0
          ? `the columns are ${columns.map((c) => `\`${c}\``).join(", ")}`
          : "scenario lines can use the columns of an `examples` table; check captures with `then capture <name> == <value>`",
  };
}

/** Splits a sentence into tokens; `#` after a blank starts a comment. Never throws. */
export function tokenize(sentence: SentenceText, diagnostics: Diagnostic[]): Token[] {
  const { text } = sentence;
  const tokens: Token[] = [];
  const span = (from: number, to: number): Span => sentence.source.span(sentence.offsetAt(from), sentence.offsetAt(to));
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]))) break;
    if (ch === '"') {
      const start = i;
      let value = "";
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === "\\" && i + 1 < text.length) {
          value += ESCAPES[text[i + 1]] ?? text[i + 1];
          i += 2;
          continue;
        }
        if (c === "$" && text[i + 1] === "{") {
          // Left over after the examples were substituted: a column that does not exist.
          const close = text.indexOf("}", i);
          const end = close < 0 ? text.length : close + 1;
          diagnostics.push(unknownVariable(text.slice(i, end), span(i, end), sentence.columns));
          value += text.slice(i, end);
          i = end;
          continue;
        }
        value += c;
        i++;
      }
      if (!closed) {
        diagnostics.push({
          code: "unterminated-string",
          severity: "error",
          message: "this string has no closing quote",
          span: span(start, i),
          hint: 'end it with `"` on the same line',
        });
      }
      tokens.push({ kind: "string", text: value, span: span(start, i) });
      continue;
    }
    if (ch === ",") {
      tokens.push({ kind: "comma", text: ",", span: span(i, i + 1) });
      i++;
      continue;
    }
    if (ch === "$" && text[i + 1] === "{") {
      const close = text.indexOf("}", i);
      const end = close < 0 ? text.length : close + 1;
      diagnostics.push(unknownVariable(text.slice(i, end), span(i, end), sentence.columns));
      i = end;
      continue;
    }
    const matched = match(WORD, "word") ?? match(NUMBER, "number") ?? match(OPERATOR, "op");
    if (matched) continue;
    diagnostics.push({
      code: "unexpected-character",
      severity: "error",
      message: `unexpected character \`${ch}\``,
      span: span(i, i + 1),
    });
    i++;
  }
  return tokens;

  function match(pattern: RegExp, kind: TokenKind): true | undefined {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (!m) return undefined;
    tokens.push({ kind, text: m[0], span: span(i, i + m[0].length) });
    i += m[0].length;
    return true;
  }
}
