/** A cursor over one sentence's tokens that reports the first problem as a Diagnostic. */
import type { Span, Diagnostic, DiagnosticCode } from "../../language/index.js";
import { didYouMeanHint, parseDuration } from "../../language/index.js";
import type { Token } from "./sentence-tokens.js";
import type { Value } from "./model.js";

/** Thrown inside sentence parsing only, caught by the sentence parser: one error per sentence. */
export class SentenceError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export class Cursor {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    /** Where "end of line" errors point: just after the sentence. */
    private readonly endSpan: Span,
  ) {}

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  get atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  /** The span of the token before the cursor (the last one consumed). */
  get lastSpan(): Span {
    return this.tokens[this.index - 1]?.span ?? this.endSpan;
  }

  next(): Token {
    return this.tokens[this.index++];
  }

  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t?.kind === "word" && words.includes(t.text.toLowerCase());
  }

  /** Consumes the next token when it is one of `words`. */
  takeWord(...words: string[]): Token | undefined {
    return this.isWord(...words) ? this.next() : undefined;
  }

  /** Consumes one of `words` or fails with a did-you-mean over them. */
  expectWord(what: string, words: readonly string[]): string {
    const t = this.peek();
    if (t?.kind === "word" && words.includes(t.text.toLowerCase())) {
      this.index++;
      return t.text.toLowerCase();
    }
    const list = words.map((w) => `\`${w}\``).join(", ");
    this.fail(
      t === undefined ? "expected-word" : "unknown-word",
      t === undefined ? `expected ${what} here` : `expected ${what}, found ${describe(t)}`,
      t?.span,
      (t?.kind === "word" ? (didYouMeanHint(t.text, words) ?? prefixHint(t.text, words)) : undefined) ??
        `one of ${list}`,
    );
  }

  expectString(what: string): Token {
    const t = this.peek();
    if (t?.kind === "string") return this.next();
    this.fail(
      "expected-string",
      `expected ${what} in double quotes, found ${t ? describe(t) : "the end of the line"}`,
      t?.span,
    );
  }

  expectDuration(what: string): { ms: number; token: Token } {
    const t = this.peek();
    if (t?.kind === "number") {
      const ms = parseDuration(t.text);
      if (ms !== undefined) {
        this.index++;
        return { ms, token: t };
      }
      this.fail(
        "bad-duration",
        `\`${t.text}\` is not a duration`,
        t.span,
        "write milliseconds (`5000`, `250ms`) or seconds (`5s`)",
      );
    }
    this.fail(
      "expected-duration",
      `expected ${what}, found ${t ? describe(t) : "the end of the line"}`,
      t?.span,
      "e.g. `5000`, `250ms` or `5s`",
    );
  }

  expectInteger(what: string): number {
    const t = this.peek();
    if (t?.kind === "number" && /^[0-9]+$/.test(t.text)) {
      this.index++;
      return Number(t.text);
    }
    this.fail("expected-number", `expected ${what}, found ${t ? describe(t) : "the end of the line"}`, t?.span);
  }

  /** `yes`/`no`/`true`/`false`, a number, a string, or any other word. */
  expectValue(what: string): Value {
    const t = this.peek();
    if (t === undefined || t.kind === "op" || t.kind === "comma") {
      this.fail(
        "expected-value",
        `expected ${what}, found ${t ? describe(t) : "the end of the line"}`,
        t?.span,
        'e.g. `yes`, `no`, `"1234"` or `12.50`',
      );
    }
    this.index++;
    // `12.50 EUR`: a number and a currency code make one amount.
    const next = this.peek();
    if (t.kind === "number" && next?.kind === "word" && /^[A-Z]{3}$/.test(next.text)) {
      this.index++;
      return { kind: "money", text: `${t.text} ${next.text}` };
    }
    return literalOf(t);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t)
      this.fail(
        "unexpected-token",
        `unexpected ${describe(t)} at the end of this line`,
        t.span,
        "remove it, or start a new line",
      );
  }

  fail(code: DiagnosticCode, message: string, span?: Span, hint?: string): never {
    throw new SentenceError({
      code,
      severity: "error",
      message,
      span: span ?? this.endSpan,
      ...(hint ? { hint } : {}),
    });
  }
}

/** `waits` -> `waiting`: a word that shares its first four letters with exactly one candidate. */
function prefixHint(word: string, words: readonly string[]): string | undefined {
  if (word.length < 4) return undefined;
  const head = word.slice(0, 4).toLowerCase();
  const matches = words.filter((w) => w.startsWith(head));
  return matches.length === 1 ? `did you mean \`${matches[0]}\`?` : undefined;
}

/** The literal a token writes. */
export function literalOf(t: Token): Value {
  if (t.kind === "string") return { kind: "string", value: t.text };
  if (t.kind === "number") return { kind: "number", text: t.text };
  const word = t.text.toLowerCase();
  if (word === "yes" || word === "true") return { kind: "boolean", value: true, text: t.text };
  if (word === "no" || word === "false") return { kind: "boolean", value: false, text: t.text };
  return { kind: "word", value: t.text };
}

export function describe(t: Token): string {
  if (t.kind === "string") return `the string ${JSON.stringify(t.text)}`;
  return `\`${t.text}\``;
}
