/**
 * String literals of the mini-language: escapes (`\"` `\\` `\n` `\r` `\t` `\$`) and `${name.field}`
 * interpolation, read from a token and written back by the printer.
 */
import type { Identifier, Reference, TemplatePart } from "../ast.js";
import type { LineIndex } from "./positions.js";

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", r: "\r", t: "\t", $: "$" };
const REFERENCE_TEXT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A problem inside a string, at source offsets [start, end). */
export interface StringProblem {
  code: "bad-escape" | "bad-interpolation";
  message: string;
  hint: string;
  start: number;
  end: number;
}

/** What a string token says: its unescaped value, its parts, and what was wrong with it. */
export interface StringContent {
  /** Unescaped text; an interpolation stays as written (`${name.field}`). */
  value: string;
  /** Text and interpolations in order; no empty text, no two texts in a row. */
  parts: TemplatePart[];
  problems: StringProblem[];
}

/**
 * Reads a string token's image (`"..."`, the closing quote may be missing) that starts at `offset`
 * in the source. With `interpolate` off (flow names, session ids), `${...}` is plain text.
 */
export function readString(image: string, offset: number, interpolate: boolean, lines: LineIndex): StringContent {
  const end =
    image.length > 1 && image.endsWith('"') && !endsWithEscape(image.slice(0, -1)) ? image.length - 1 : image.length;
  const parts: TemplatePart[] = [];
  const problems: StringProblem[] = [];
  let value = "";
  let text = "";
  const flushText = () => {
    if (text) parts.push({ kind: "text", value: text });
    text = "";
  };
  // The next `}` at or after i + 2 (-1 once there is none): found once, not once per `${`.
  let nextClose = -2;
  let i = 1;
  while (i < end) {
    const c = image[i];
    if (c === "\\" && i + 1 < end) {
      const escaped = ESCAPES[image[i + 1]];
      if (escaped === undefined) {
        problems.push({
          code: "bad-escape",
          message: `unknown escape \`\\${image[i + 1]}\``,
          hint: 'a string knows `\\"`, `\\\\`, `\\n`, `\\r`, `\\t` and `\\$`; write `\\\\` for a backslash',
          start: offset + i,
          end: offset + i + 2,
        });
        text += image[i + 1];
        value += image[i + 1];
      } else {
        text += escaped;
        value += escaped;
      }
      i += 2;
    } else if (interpolate && c === "$" && image[i + 1] === "{") {
      const nameEnd = endOfName(image, i + 2, end);
      if (nextClose !== -1 && nextClose < nameEnd) nextClose = image.indexOf("}", nameEnd);
      const close = nextClose;
      const closed = close >= 0 && close < end;
      const name = closed && close === nameEnd ? image.slice(i + 2, close) : undefined;
      if (name === undefined || !REFERENCE_TEXT.test(name)) {
        const inner = closed ? shortInner(image, i + 2, close) : undefined;
        problems.push({
          code: "bad-interpolation",
          message: inner === undefined ? "`${` is never closed" : `\`\${${inner}}\` is not a name`,
          hint: "interpolate a name or a field: `${name}` or `${payment.result}`; write `\\${` for a literal `${`",
          start: offset + i,
          end: offset + (inner === undefined ? end : close + 1),
        });
        text += c;
        value += c;
        i += 1;
        continue;
      }
      flushText();
      parts.push({ kind: "interpolation", ref: referenceAt(name, offset + i + 2, lines) });
      value += `\${${name}}`;
      i = close + 1;
    } else {
      // A run of plain characters at once: a long text is not built one character at a time.
      let j = i + 1;
      for (; j < end; j++) {
        const d = image.charCodeAt(j);
        if (d === 92 /* \\ */ || (interpolate && d === 36) /* $ */) break;
      }
      const run = image.slice(i, j);
      text += run;
      value += run;
      i = j;
    }
  }
  flushText();
  return { value, parts, problems };
}

/** Where a run of name characters (letters, digits, `_`, `.`) starting at `from` ends. */
export function endOfName(text: string, from: number, end: number): number {
  let i = from;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    const name =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 46; /* . */
    if (!name) break;
  }
  return i;
}

/** The text of `${...}` between `from` and its `}` for a message: at most 40 characters. */
export function shortInner(text: string, from: number, close: number): string {
  return close - from > 40 ? `${text.slice(from, from + 37)}...` : text.slice(from, close);
}

/** `a.b.c` written at `start` as a Reference with spans. */
function referenceAt(text: string, start: number, lines: LineIndex): Reference {
  const names: Identifier[] = [];
  let at = start;
  for (const name of text.split(".")) {
    names.push({ kind: "identifier", name, span: lines.span(at, at + name.length) });
    at += name.length + 1;
  }
  return { kind: "reference", name: names[0], fields: names.slice(1), span: lines.span(start, start + text.length) };
}

function endsWithEscape(body: string): boolean {
  let n = 0;
  for (let i = body.length - 1; i >= 0 && body[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

/** A string literal for `text`, escaped so it reads back as exactly `text` (no interpolation). */
export function quoteText(text: string): string {
  return `"${escapeText(text)}"`;
}

/** A string literal for template parts; reads back to the same parts. */
export function quoteTemplate(parts: readonly TemplatePart[]): string {
  let out = "";
  let text = "";
  for (const part of parts) {
    if (part.kind === "text") {
      text += part.value;
      continue;
    }
    out += escapeText(text);
    text = "";
    out += `\${${[part.ref.name.name, ...part.ref.fields.map((f) => f.name)].join(".")}}`;
  }
  return `"${out}${escapeText(text)}"`;
}

function escapeText(text: string): string {
  return text.replace(/[\\"\n\r\t]|\$(?=\{)/g, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\${c}`,
  );
}
