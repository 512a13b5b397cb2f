/**
 * The tokens of the flow mini-language and its one lexer.
 *
 * Newlines are tokens (they separate statements, like `;`); other whitespace is skipped; comments go
 * to the `comments` group so the parser never sees them but `fmt` can put them back.
 */
import {
  createToken,
  type CustomPatternMatcherFunc,
  Lexer,
  type ILexingResult,
  type IToken,
  type TokenType,
} from "chevrotain";

// ---- categories --------------------------------------------------------------------------------

/** Every keyword, for error messages and did-you-mean. */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA, label: "a keyword" });
/**
 * Where a name is expected (`as tip`, `param id`, `expect ref.x`): an identifier or a soft keyword,
 * i.e. a keyword that can never start or end an expression, so accepting it as a name is unambiguous.
 */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
/** After `.` in a reference any word is a field name, even `if` or `true`. */
export const AnyWord = createToken({ name: "AnyWord", pattern: Lexer.NA, label: "a field name" });
/** `;` or a newline: what separates two statements. */
export const Separator = createToken({ name: "Separator", pattern: Lexer.NA, label: "`;` or a new line" });

// ---- trivia ------------------------------------------------------------------------------------

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\f\v\ufeff\u00a0]+/,
  group: Lexer.SKIPPED,
});
export const Newline = createToken({
  name: "Newline",
  pattern: /\r\n?|\n/,
  line_breaks: true,
  categories: [Separator],
  label: "a new line",
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: "comments", label: "a comment" });

// ---- literals ----------------------------------------------------------------------------------

/**
 * Where the body of a quoted string starting at `start` ends: before its closing quote, a line
 * break or the end of the text, or before a `\` with nothing escapable after it. A body is any
 * character but the quote, `\` and line breaks, or `\` and the character after it.
 *
 * Strings are scanned, not matched with a regular expression: `(?:[^"\\]|\\.)*` over a 10 MB
 * string runs out of the regex engine's backtracking stack (a RangeError, which read as "nested too
 * deeply"), and even the unrolled form pushes one entry per escape.
 */
function bodyEnd(text: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote || c === 10 || c === 13) return i;
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (i + 1 >= text.length || next === 10 || next === 13) return i;
      i += 2;
    } else i++;
  }
  return i;
}

const DOUBLE = 34;
const SINGLE = 39;

function quotedPattern(quote: number, closing: "required" | "optional" | "none"): CustomPatternMatcherFunc {
  return (text, offset) => {
    if (text.charCodeAt(offset) !== quote) return null;
    let end = bodyEnd(text, offset, quote);
    if (closing === "required") {
      if (text.charCodeAt(end) !== quote) return null;
      end++;
    } else if (closing === "optional") {
      if (text.charCodeAt(end) === quote) end++;
    } else if (text.charCodeAt(end) === 92) end++; // a trailing `\` before the line break
    return [text.slice(offset, end)];
  };
}

/** `"..."` with `\"`, `\\`, `\n`, `\r`, `\t`, `\$` escapes and `${name.field}` interpolation. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: { exec: quotedPattern(DOUBLE, "required") },
  start_chars_hint: ['"'],
  line_breaks: false,
  label: "a string",
});
/**
 * A string that reaches the end of its line without a closing quote. Never reaches the parser:
 * parse-text reports it and hands the parser a StringLiteral instead, so one missing quote does not
 * hide every later error.
 */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: { exec: quotedPattern(DOUBLE, "none") },
  start_chars_hint: ['"'],
  line_breaks: false,
  label: "an unterminated string",
});
/** `'...'`: a common slip. Reported, then parsed as the string it was meant to be. */
export const SingleQuotedString = createToken({
  name: "SingleQuotedString",
  pattern: { exec: quotedPattern(SINGLE, "optional") },
  start_chars_hint: ["'"],
  line_breaks: false,
  label: "a single-quoted string",
});
/** `&&`, `||` and a lone `!`: reported, then parsed as `and`, `or`, `not`. */
export const AmpAmp = createToken({ name: "AmpAmp", pattern: /&&/, label: "`&&`" });
export const PipePipe = createToken({ name: "PipePipe", pattern: /\|\|/, label: "`||`" });
export const Bang = createToken({ name: "Bang", pattern: /!(?!=)/, label: "`!`" });
/** `// ...`: a comment in another language's syntax. Reported, then ignored like a comment. */
export const SlashComment = createToken({ name: "SlashComment", pattern: /\/\/[^\r\n]*/, label: "`//`" });
/**
 * Anything that starts with a digit: `5000`, `5s`, `12.50`, and also `5m` or `1.2.3`. The lexer is
 * generous on purpose so that the AST builder can say "`5m` is not a duration" instead of a token soup error.
 * A `..` ends it: `1..guests` is a range.
 */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /[0-9](?:[0-9A-Za-z_]|\.(?!\.))*/,
  label: "a number",
});

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name, AnyWord],
  label: "a name",
});

// ---- keywords ----------------------------------------------------------------------------------

function keyword(word: string, soft: boolean): TokenType {
  const name = word[0].toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: soft ? [Keyword, AnyWord, Name] : [Keyword, AnyWord],
    label: `\`${word}\``,
  });
}

// Steps and structure: hard keywords, never names.
export const Session = keyword("session", false);
export const Input = keyword("input", false);
export const Display = keyword("display", false);
export const Pay = keyword("pay", false);
export const Wait = keyword("wait", false);
export const Expect = keyword("expect", false);
export const If = keyword("if", false);
export const Else = keyword("else", false);
export const And = keyword("and", false);
export const Or = keyword("or", false);
export const Not = keyword("not", false);
export const True = keyword("true", false);
export const False = keyword("false", false);
// Clause words: soft keywords, also accepted as names.
export const Flow = keyword("flow", true);
export const Param = keyword("param", true);
export const Waiting = keyword("waiting", true);
export const On = keyword("on", true);
export const Id = keyword("id", true);
export const Within = keyword("within", true);
export const As = keyword("as", true);
export const For = keyword("for", true);
export const Idle = keyword("idle", true);
export const Tip = keyword("tip", true);
export const Ref = keyword("ref", true);
export const Repeat = keyword("repeat", true);
export const Times = keyword("times", true);
export const In = keyword("in", true);
// The steps of the rest of the Terminal API: soft, so flows that named a capture `status` still read.
export const Refund = keyword("refund", true);
export const Print = keyword("print", true);
export const Acquire = keyword("acquire", true);
export const Status = keyword("status", true);
export const With = keyword("with", true);
// `call "tip.flow"`: soft too, so a capture named `call` still reads.
export const Call = keyword("call", true);
// Failure handlers: `on declined retry 1 { ... }`, `on cancelled use false`.
export const Retry = keyword("retry", true);
export const Use = keyword("use", true);

/** Keyword tokens, longest first so none hides a longer one it prefixes (`wait`/`waiting`, `id`/`idle`). */
export const KEYWORD_TOKENS: readonly TokenType[] = [
  Session,
  Input,
  Display,
  Pay,
  Waiting,
  Wait,
  Expect,
  If,
  Else,
  And,
  Or,
  Not,
  True,
  False,
  Flow,
  Param,
  On,
  Id,
  Within,
  As,
  For,
  Idle,
  Tip,
  Ref,
  Repeat,
  Times,
  In,
  Refund,
  Print,
  Acquire,
  Status,
  With,
  Call,
  Retry,
  Use,
].sort((a, b) => String((b.PATTERN as RegExp).source).length - String((a.PATTERN as RegExp).source).length);

/** The words that start a statement, for `unknown step` did-you-mean. */
export const STEP_KEYWORDS: readonly string[] = [
  "session",
  "input",
  "display",
  "pay",
  "wait",
  "expect",
  "if",
  "for",
  "repeat",
  "refund",
  "print",
  "acquire",
  "status",
  "call",
];
/** Every keyword as written. */
export const KEYWORDS: readonly string[] = KEYWORD_TOKENS.map((t) => String((t.PATTERN as RegExp).source));

// ---- punctuation -------------------------------------------------------------------------------

function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return createToken({ name, pattern, label: `\`${text}\``, categories });
}

export const EqualEqual = punctuation("EqualEqual", "==");
export const NotEqual = punctuation("NotEqual", "!=");
export const LessEqual = punctuation("LessEqual", "<=");
export const GreaterEqual = punctuation("GreaterEqual", ">=");
export const Less = punctuation("Less", "<");
export const Greater = punctuation("Greater", ">");
export const Equals = punctuation("Equals", "=");
export const LParen = punctuation("LParen", "(");
export const RParen = punctuation("RParen", ")");
export const LBrace = punctuation("LBrace", "{");
export const RBrace = punctuation("RBrace", "}");
export const LBracket = punctuation("LBracket", "[");
export const RBracket = punctuation("RBracket", "]");
export const Comma = punctuation("Comma", ",");
export const Semicolon = punctuation("Semicolon", ";", [Separator]);
export const DotDot = punctuation("DotDot", "..");
export const Dot = punctuation("Dot", ".");
export const Minus = punctuation("Minus", "-");
export const Plus = punctuation("Plus", "+");
export const Star = punctuation("Star", "*");
export const Slash = punctuation("Slash", "/");
export const Percent = punctuation("Percent", "%");
export const Colon = punctuation("Colon", ":");

/** Every token type, in lexing order (the first pattern that matches wins). */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  Newline,
  Comment,
  SlashComment,
  StringLiteral,
  UnterminatedString,
  SingleQuotedString,
  NumberLiteral,
  ...KEYWORD_TOKENS,
  Identifier,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equals,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Semicolon,
  DotDot,
  Dot,
  Minus,
  Plus,
  Star,
  Slash,
  Percent,
  Colon,
  AmpAmp,
  PipePipe,
  Bang,
  Keyword,
  Name,
  AnyWord,
  Separator,
];

/**
 * Lines and columns come from LineIndex (one binary search per position), so tokens carry offsets
 * only: a smaller token, and one object the lexer need not fill per token.
 */
const LEXER_CONFIG = {
  ensureOptimizations: true,
  positionTracking: "onlyOffset",
  // parse-text words lexer errors from their offsets; Chevrotain's own sentence for each of them
  // would only cost memory (a file of stray characters has one error per character).
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: () => "unexpected characters",
    buildUnableToPopLexerModeMessage: () => "unexpected end of a lexer mode",
  },
} as const;

let sharedLexer: Lexer | undefined;

/**
 * The one lexer (lexing is pure, so one instance serves every file), built on first use, with
 * Chevrotain's token validations off: tests build one with them on (createValidatedFlowLexer).
 */
export function flowLexer(): Lexer {
  sharedLexer ??= new Lexer(ALL_TOKENS as TokenType[], { ...LEXER_CONFIG, skipValidations: true });
  return sharedLexer;
}

/** A lexer with Chevrotain's token validations on, for tests. */
export function createValidatedFlowLexer(): Lexer {
  return new Lexer(ALL_TOKENS as TokenType[], LEXER_CONFIG);
}

/** Tokens, comments (`groups.comments`) and lexer errors of one source text. */
export function lexFlowSource(source: string): ILexingResult {
  return flowLexer().tokenize(source);
}

/**
 * Where a token ends (exclusive): the lexer tracks start offsets only, and every token's image is
 * exactly its source text. NaN for a token made up by error recovery.
 */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** The comments of a lex result, in source order. */
export function commentsOf(result: ILexingResult): IToken[] {
  return result.groups.comments ?? [];
}
