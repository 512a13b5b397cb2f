import assert from "node:assert/strict";
import { tokenMatcher } from "chevrotain";
import {
  Name,
  Keyword,
  AnyWord,
  Separator,
  lexFlowSource,
  commentsOf,
  KEYWORDS,
  ALL_TOKENS,
  createValidatedFlowLexer,
  flowLexer,
} from "../../../language/text/tokens.js";

const kinds = (source: string) => lexFlowSource(source).tokens.map((t) => t.tokenType.name);
const images = (source: string) => lexFlowSource(source).tokens.map((t) => t.image);
const first = (source: string) => lexFlowSource(source).tokens[0];

describe("mini-language tokens", () => {
  it("lexes a pay step", () =>
    assert.deepEqual(kinds("pay 12.50 EUR as payment"), ["Pay", "NumberLiteral", "Identifier", "As", "Identifier"]));
  it("keeps a keyword that prefixes another apart", () =>
    assert.deepEqual(kinds("waiting wait idle id"), ["Waiting", "Wait", "Idle", "Id"]));
  it("does not split words that start with a keyword", () =>
    assert.deepEqual(kinds("payment displayed iffy asap"), ["Identifier", "Identifier", "Identifier", "Identifier"]));
  it("makes newlines tokens and skips other blanks", () =>
    assert.deepEqual(kinds("a \t\nb;c"), ["Identifier", "Newline", "Identifier", "Semicolon", "Identifier"]));
  it("reads \\r\\n as one newline", () =>
    assert.deepEqual(kinds("a\r\nb\rc"), ["Identifier", "Newline", "Identifier", "Newline", "Identifier"]));
  it("puts comments in their own group, out of the token stream", () => {
    const lexed = lexFlowSource("wait 1s # pause\n# alone");
    assert.deepEqual(
      lexed.tokens.map((t) => t.image),
      ["wait", "1s", "\n"],
    );
    assert.deepEqual(
      commentsOf(lexed).map((c) => c.image),
      ["# pause", "# alone"],
    );
  });
  it("lexes strings with escapes and interpolation as one token", () =>
    assert.deepEqual(images('display "a \\" ${b.c} \\\\" x'), ["display", '"a \\" ${b.c} \\\\"', "x"]));
  it("marks a string without its closing quote", () =>
    assert.deepEqual(kinds('display "abc\nwait 1'), [
      "Display",
      "UnterminatedString",
      "Newline",
      "Wait",
      "NumberLiteral",
    ]));
  it("lexes operators longest first", () =>
    assert.deepEqual(images("<= >= == != < > = -"), ["<=", ">=", "==", "!=", "<", ">", "=", "-"]));
  it("takes anything starting with a digit as one number, for clear errors later", () =>
    assert.deepEqual(images("5m 1.2.3 250ms"), ["5m", "1.2.3", "250ms"]));
  it("reports an unexpected character and goes on", () => {
    const lexed = lexFlowSource("wait @ 1s");
    assert.deepEqual(
      lexed.errors.map((e) => [e.offset, e.length]),
      [[5, 1]],
    );
    assert.deepEqual(
      lexed.tokens.map((t) => t.image),
      ["wait", "1s"],
    );
  });
  it("accepts soft keywords as names", () =>
    assert.ok(tokenMatcher(first("as"), Name) && tokenMatcher(first("id"), Name)));
  it("never accepts a step keyword as a name", () =>
    assert.ok(!tokenMatcher(first("display"), Name) && !tokenMatcher(first("true"), Name)));
  it("accepts any word as a field name", () =>
    assert.ok(tokenMatcher(first("if"), AnyWord) && tokenMatcher(first("x"), AnyWord)));
  it("puts every keyword in the Keyword category", () =>
    assert.ok(KEYWORDS.every((k) => tokenMatcher(first(k), Keyword))));
  it("treats `;` and newlines as separators", () =>
    assert.ok(tokenMatcher(first(";"), Separator) && tokenMatcher(first("\n"), Separator)));
  it("gives every token a label for messages", () =>
    assert.ok(ALL_TOKENS.every((t) => t.LABEL !== undefined || t.GROUP !== undefined)));
  it("builds its lexer with Chevrotain's validations and the first-character optimisation", () => {
    for (const lexer of [createValidatedFlowLexer(), flowLexer()]) {
      const modes = (lexer as unknown as { canModeBeOptimized: Record<string, boolean> }).canModeBeOptimized;
      assert.deepEqual(Object.values(modes), [true]);
    }
  });
});
