/**
 * The mini-language front end: source text -> tokens -> AST (the parser builds it directly), with
 * every lexer, parser and draft problem as a Diagnostic. Never throws: an internal failure becomes
 * one diagnostic.
 */
import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { Flow, Span } from "../ast.js";
import type { Diagnostic, DiagnosticCode } from "../diagnostic.js";
import { LIMITS, ReadingStopped, sourceTooLarge, tooManyErrorsMessage } from "../limits.js";
import { firstAtOrAfter } from "./build-ast.js";
import { flowParser, flowParserWithoutRecovery, OPERAND_STARTS } from "./parser.js";
import { LineIndex } from "./positions.js";
import {
  AmpAmp,
  And,
  Bang,
  commentsOf,
  EqualEqual,
  Equals,
  Expect,
  If,
  LBrace,
  Separator,
  Greater,
  Less,
  lexFlowSource,
  Newline,
  Not,
  Or,
  PipePipe,
  Semicolon,
  SingleQuotedString,
  SlashComment,
  StringLiteral,
  tokenEnd,
  UnterminatedString,
} from "./tokens.js";

/** A `# ...` comment: its text as written (with the `#`) and where it is. */
export interface FlowComment {
  text: string;
  span: Span;
}

/** What parseFlowText returns: the AST whenever one could be built, and every problem found. */
export interface TextParseResult {
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
}

/** parseFlowText plus the comments, for `fmt`. */
export interface TextParseResultWithComments extends TextParseResult {
  comments: FlowComment[];
}

/** Parses mini-language source into the AST. Never throws; diagnostics are in source order. */
export function parseFlowText(source: string, file: string): TextParseResult {
  const { flow, diagnostics } = parseFlowTextWithComments(source, file);
  return { flow, diagnostics };
}

/** Like parseFlowText, and also returns the comments (the parser never sees them). */
export function parseFlowTextWithComments(source: string, file: string): TextParseResultWithComments {
  const text = typeof source === "string" ? source : String(source ?? "");
  const tooLarge = sourceTooLarge(text, file);
  if (tooLarge) return { flow: undefined, diagnostics: [tooLarge], comments: [] };
  const lines = new LineIndex(text, file);
  try {
    return parseChecked(text, lines);
  } catch (error) {
    return { flow: undefined, diagnostics: [internalError(error, lines)], comments: [] };
  }
}

/** The comments of a source text, in order, without parsing it. */
export function lexFlowText(source: string, file: string): { comments: FlowComment[]; diagnostics: Diagnostic[] } {
  const tooLarge = sourceTooLarge(source, file);
  if (tooLarge) return { comments: [], diagnostics: [tooLarge] };
  const lines = new LineIndex(source, file);
  try {
    const lexed = lexFlowSource(source);
    return {
      comments: commentsOf(lexed).map((c) => toComment(c, lines)),
      diagnostics: lexerDiagnostics(lexed.errors, lines),
    };
  } catch (error) {
    return { comments: [], diagnostics: [internalError(error, lines)] };
  }
}

function parseChecked(source: string, lines: LineIndex): TextParseResultWithComments {
  const lexed = lexFlowSource(source);
  const diagnostics = lexerDiagnostics(lexed.errors, lines);
  const tokens = withSlipsRead(lexed.tokens, lines, diagnostics);
  if (diagnostics.length > LIMITS.errors) {
    // Enough for one file: the parser would only add to them. Keep the first ones, say where it stopped.
    diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
    const next = diagnostics[LIMITS.errors].span.start.offset;
    return {
      flow: undefined,
      diagnostics: [
        ...diagnostics.slice(0, LIMITS.errors),
        stopDiagnostic(new ReadingStopped("too-many-errors", next), lines),
      ],
      comments: [],
    };
  }

  let parser = flowParserWithoutRecovery();
  let built = parser.parse(tokens, lines, LIMITS.errors - diagnostics.length);
  if (parser.errors.length > 0 || built.stopped) {
    parser = flowParser();
    built = parser.parse(tokens, lines, LIMITS.errors - diagnostics.length);
  }
  const syntaxErrors = parser.errors.slice(0, built.keptErrors).map((error) => syntaxDiagnostic(error, lines, tokens));
  const swallowed = misspeltSessionCloses(tokens, syntaxErrors);
  for (const d of syntaxErrors) {
    if (!(d.code === "unexpected-token" && swallowed.has(d.span.start.offset))) diagnostics.push(d);
  }
  if (built.stopped) {
    diagnostics.push(stopDiagnostic(built.stopped, lines));
    diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
    return { flow: undefined, diagnostics, comments: [] };
  }
  const syntaxStarts = diagnostics.map((d) => d.span.start.offset).sort((a, b) => a - b);

  // A token the parser already complained about needs no second, semantic complaint.
  for (const d of built.diagnostics) {
    const from = d.span.start.offset;
    const to = Math.max(d.span.end.offset, from + 1);
    const i = firstAtOrAfter(syntaxStarts, from);
    if (!(i < syntaxStarts.length && syntaxStarts[i] < to)) diagnostics.push(d);
  }
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { flow: built.flow, diagnostics, comments: commentsOf(lexed).map((c) => toComment(c, lines)) };
}

/** Why reading stopped, where it stopped (the end of the file when that is where). */
function stopDiagnostic(stop: ReadingStopped, lines: LineIndex): Diagnostic {
  const at = Number.isFinite(stop.offset) ? stop.offset : lines.source.length;
  const span = lines.span(at, at);
  if (stop.code === "too-many-errors") {
    const { message, hint } = tooManyErrorsMessage();
    return { code: stop.code, severity: "error", message, span, hint };
  }
  return {
    code: stop.code,
    severity: "error",
    message: "the flow nests too deeply here for termflow to read",
    span,
    hint: "split deeply nested blocks or parentheses into simpler steps",
  };
}

/**
 * Slips with an obvious intent are reported once, then parsed as what was meant, so one slip does
 * not hide (or cause) the errors after it. Rewrites `tokens` in place and returns it.
 */
function withSlipsRead(tokens: IToken[], lines: LineIndex, diagnostics: Diagnostic[]): IToken[] {
  let kept = 0;
  // Inside the condition of an `if` or `expect`, a lone `=` can only be a comparison meant as `==`.
  let inCondition = false;
  for (const token of tokens) {
    if (tokenMatcher(token, If) || tokenMatcher(token, Expect)) inCondition = true;
    else if (tokenMatcher(token, Separator) || tokenMatcher(token, LBrace) || tokenMatcher(token, Less)) {
      inCondition = false;
    }
    const slip = inCondition && tokenMatcher(token, Equals) ? ASSIGNMENT_SLIP : SLIPS.get(token.tokenType);
    if (!slip) {
      tokens[kept++] = token;
      continue;
    }
    const span = lines.span(token.startOffset, tokenEnd(token));
    diagnostics.push({ code: slip.code, severity: "error", message: slip.message(token.image), span, hint: slip.hint });
    if (!slip.as) continue;
    const image = token.tokenType === SingleQuotedString ? doubleQuoted(token.image) : token.image;
    tokens[kept++] = { ...token, image, tokenType: slip.as, tokenTypeIdx: slip.as.tokenTypeIdx! };
  }
  tokens.length = kept;
  return tokens;
}

/**
 * The `>` that closes each misspelt session (`sesion waiting 5s < ... >`). Its `unknown-step` error
 * says it all; "no session is open here" at its `>` would be a second error for one slip. The
 * first `>` that is not a comparison (docs/language.md's rule) is taken as its end.
 */
function misspeltSessionCloses(tokens: readonly IToken[], errors: readonly Diagnostic[]): Set<number> {
  const closes = new Set<number>();
  for (const d of errors) {
    if (d.code !== "unknown-step" || d.hint !== "did you mean `session`?") continue;
    let i = indexAt(tokens, d.span.start.offset);
    if (i < 0) continue;
    while (
      i < tokens.length &&
      !tokenMatcher(tokens[i], Less) &&
      !tokenMatcher(tokens[i], Semicolon) &&
      !tokenMatcher(tokens[i], Greater)
    )
      i++;
    if (i >= tokens.length || !tokenMatcher(tokens[i], Less)) continue;
    for (i++; i < tokens.length; i++) {
      const next = tokens[i + 1];
      if (tokenMatcher(tokens[i], Greater) && !(next && OPERAND_STARTS.some((t) => tokenMatcher(next, t)))) {
        closes.add(tokens[i].startOffset);
        break;
      }
    }
  }
  return closes;
}

interface Slip {
  /** What the parser gets instead; nothing for a slip that is dropped. */
  as?: TokenType;
  code: DiagnosticCode;
  message: (image: string) => string;
  hint: string;
}

/** `if ok = true {`: reported once, then read as `==`. */
const ASSIGNMENT_SLIP: Slip = {
  as: EqualEqual,
  code: "unexpected-token",
  message: () => "unexpected `=`",
  hint: "compare with `==`",
};

const SLIPS = new Map<TokenType, Slip>([
  [
    UnterminatedString,
    {
      as: StringLiteral,
      code: "unterminated-string",
      message: () => "unterminated string",
      hint: 'close the string with `"` on the same line',
    },
  ],
  [
    SingleQuotedString,
    {
      as: StringLiteral,
      code: "single-quoted-string",
      message: () => "strings use double quotes",
      hint: "write `\"Thanks\"`, not `'Thanks'`",
    },
  ],
  [AmpAmp, { as: And, code: "c-style-operator", message: () => "unknown operator `&&`", hint: "write `and`" }],
  [PipePipe, { as: Or, code: "c-style-operator", message: () => "unknown operator `||`", hint: "write `or`" }],
  [
    SlashComment,
    { code: "slash-comment", message: () => "comments start with `#`", hint: "write `# ...` instead of `// ...`" },
  ],
  [
    Bang,
    {
      as: Not,
      code: "c-style-operator",
      message: () => "unknown operator `!`",
      hint: "write `not`, or `!=` to compare",
    },
  ],
]);

/** `'x'` -> `"x"`, same length, so offsets inside the string stay true. */
function doubleQuoted(image: string): string {
  const closed = image.length > 1 && image.endsWith("'");
  return `"${image.slice(1, closed ? -1 : undefined)}${closed ? '"' : ""}`;
}

function lexerDiagnostics(errors: readonly { offset: number; length: number }[], lines: LineIndex): Diagnostic[] {
  // One past the limit is enough to say where reading stopped.
  return errors.slice(0, LIMITS.errors + 1).map((e) => {
    const text = lines.source.slice(e.offset, e.offset + e.length);
    const hint = characterHint(text);
    const d: Diagnostic = {
      code: "unexpected-character",
      severity: "error",
      message: `unexpected ${text.length === 1 ? "character" : "characters"} \`${text.length > 20 ? `${text.slice(0, 17)}...` : text}\``,
      span: lines.span(e.offset, e.offset + e.length),
    };
    return hint ? { ...d, hint } : d;
  });
}

function characterHint(text: string): string | undefined {
  if (text.startsWith("&")) return "write `and`";
  if (text.startsWith("|")) return "write `or`";
  if (text.startsWith("/")) return "comments start with `#`";
  return undefined;
}

function syntaxDiagnostic(error: IRecognitionException, lines: LineIndex, tokens: readonly IToken[]): Diagnostic {
  const detail = flowParser().messages.detailOf(error.message);
  const d: Diagnostic = {
    code: detail?.code ?? "syntax-error",
    severity: "error",
    message: error.message,
    span: errorSpan(error, lines, tokens),
  };
  if (detail?.hint) d.hint = detail.hint;
  if (detail?.related) {
    const { message, offset, length } = detail.related;
    d.related = [{ message, span: lines.span(offset, offset + length) }];
  }
  return d;
}

/**
 * Where to point: the offending token, or (EOF and tokens inserted by recovery have NaN positions
 * on Chevrotain 11, -1 on 13) just after the token before it.
 */
function errorSpan(error: IRecognitionException, lines: LineIndex, tokens: readonly IToken[]): Span {
  const token = error.token;
  if (isReal(token)) return lines.span(token.startOffset, tokenEnd(token));
  const previous = (error as { previousToken?: IToken }).previousToken;
  if (isReal(previous)) {
    // After new lines (blank ones too), point just after the last code token, not at a later line.
    let last: IToken = previous;
    const at = indexAt(tokens, previous.startOffset);
    for (let i = (tokens[at] === previous ? at : -1) - 1; tokenMatcher(last, Newline) && i >= 0; i--) last = tokens[i];
    const end = tokenMatcher(last, Newline) ? last.startOffset : tokenEnd(last);
    return lines.span(end, end);
  }
  return lines.span(lines.source.length, lines.source.length);
}

/** The index of the token that starts at `offset` (tokens are in source order), or -1. */
function indexAt(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = tokens[mid].startOffset;
    if (at < offset) low = mid + 1;
    else if (at > offset) high = mid - 1;
    else return mid;
  }
  return -1;
}

function isReal(token: IToken | undefined): token is IToken {
  return (
    token !== undefined &&
    !tokenMatcher(token, EOF) &&
    !token.isInsertedInRecovery &&
    Number.isFinite(token.startOffset) &&
    token.startOffset >= 0
  );
}

function toComment(token: IToken, lines: LineIndex): FlowComment {
  return { text: token.image, span: lines.span(token.startOffset, tokenEnd(token)) };
}

function internalError(error: unknown, lines: LineIndex): Diagnostic {
  const tooDeep = error instanceof RangeError;
  return {
    code: tooDeep ? "too-deeply-nested" : "internal-error",
    severity: "error",
    message: tooDeep
      ? "the flow is nested too deeply to read"
      : "termflow could not read this file (an internal error)",
    span: lines.span(0, 0),
    hint: tooDeep
      ? "split deeply nested blocks or parentheses into simpler steps"
      : `please report this with the file attached: ${error instanceof Error ? error.message : String(error)}`,
  };
}
