/**
 * A guard in front of the yaml package: absurdly deep nesting (thousands of `[` or of indented
 * levels) exhausts the call stack while parsing, and V8 can then die outright (compiling a regular
 * expression with no stack left is a fatal error, not an exception). A flow nests a few levels;
 * anything beyond MAX_NESTING is refused before yaml sees it.
 */

/** More levels than any real flow needs, far fewer than exhaust the stack. */
export const MAX_NESTING = 200;

/**
 * The offset where the nesting of flow collections (`[`, `{`) plus block levels (indentation and
 * `- ` items) first exceeds MAX_NESTING, or undefined. Quotes and comments are skipped roughly;
 * erring on the deep side only refuses files no flow would be.
 */
export function tooDeepAt(source: string): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\n" || c === "\r") {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === " ") {
        indent++;
        continue;
      }
      lineStart = false;
      if (c !== "#" && flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
    }
    if (c === "#" && (i === 0 || /\s/.test(source[i - 1]))) {
      while (i + 1 < source.length && source[i + 1] !== "\n" && source[i + 1] !== "\r") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      i = closingQuote(source, i);
      continue;
    }
    if (c === "-" && /\s/.test(source[i + 1] ?? " ") && flow === 0)
      indents.push(indent + (i - lineStartOf(source, i)) + 1);
    if (c === "[" || c === "{") flow++;
    else if ((c === "]" || c === "}") && flow > 0) flow--;
    if (flow + indents.length > MAX_NESTING) return i;
  }
  return undefined;
}

function lineStartOf(source: string, at: number): number {
  let i = at;
  while (i > 0 && source[i - 1] !== "\n" && source[i - 1] !== "\r") i--;
  return i;
}

/** The offset of the quote closing the one at `open` (or the end of the line when there is none). */
function closingQuote(source: string, open: number): number {
  const quote = source[open];
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && source[i + 1] === "'") i++;
      else return i;
    } else if (c === "\n" || c === "\r") return i - 1;
  }
  return source.length;
}
