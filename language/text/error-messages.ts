/**
 * Human wording for syntax errors, plus the structured details (stable code, hint, related place)
 * that parse-text turns into Diagnostics. Chevrotain only keeps the message string on its errors,
 * so the details are remembered here, keyed by that message.
 */
import {
  EOF,
  tokenLabel,
  tokenMatcher,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from "chevrotain";
import { INPUT_KINDS } from "../ast.js";
import { LIMITS, ReadingStopped } from "../limits.js";
import type { DiagnosticCode } from "../diagnostic.js";
import { didYouMean } from "../suggest.js";
import {
  AnyWord,
  Comma,
  Dot,
  Else,
  Equals,
  Flow,
  Greater,
  Identifier,
  KEYWORD_TOKENS,
  KEYWORDS,
  LBrace,
  Less,
  Name,
  Newline,
  NumberLiteral,
  Param,
  RBrace,
  Refund,
  Separator,
  STEP_KEYWORDS,
  StringLiteral,
} from "./tokens.js";

/** Where the innermost open session or `{` block starts (1-based line and column). */
export interface OpenBlock {
  kind: "session" | "block";
  offset: number;
  line: number;
  column: number;
}

/** What a syntax error means, beyond its message. */
export interface SyntaxErrorDetail {
  code: DiagnosticCode;
  hint?: string;
  /** A second place to show: where the unclosed session starts. */
  related?: { message: string; offset: number; length: number };
}

const EXPRESSION_RULES = new Set([
  "expression",
  "andExpression",
  "notExpression",
  "comparison",
  "unary",
  "primary",
  "reference",
]);
const STEP_LIST_HINT = `a step starts with ${STEP_KEYWORDS.slice(0, -1)
  .map((k) => `\`${k}\``)
  .join(", ")} or \`${STEP_KEYWORDS[STEP_KEYWORDS.length - 1]}\``;
/**
 * The steps whose next word names a capture, and what it names: `status p`, `print receipt p`,
 * `pay ... with card`. A field there (`status p.result`) is a slip worth its own words.
 */
const NAMED_CAPTURES: Record<string, { what: string; step: string }> = {
  status: { what: "a payment", step: "status" },
  receipt: { what: "a payment", step: "print receipt" },
  with: { what: "a card acquisition", step: "with" },
};
const DURATION = "a duration (`5000`, `250ms` or `5s`)";

/** The parser's error message provider: one per parser instance. */
export class FlowErrorMessages implements IParserErrorMessageProvider {
  /** Set by the parser: the innermost open block while parsing. */
  openBlock: () => OpenBlock | undefined = () => undefined;
  /**
   * Set by the parser: the token before `token` in the input. Chevrotain's `previous` is the last
   * token consumed, which after in-repetition recovery is a skipped token, not the real neighbour.
   */
  tokenBefore: (token: IToken) => IToken | undefined = () => undefined;
  /** Set by the parser: the token after `token` in the input. */
  tokenAfter: (token: IToken) => IToken | undefined = () => undefined;
  /** How many syntax errors this parse may still report before reading stops (LIMITS.errors). */
  budget: number = LIMITS.errors;
  /** Reading has stopped: the errors Chevrotain builds on its way out are not counted again. */
  stopped = false;
  /** Set by the parser: how many syntax errors it has saved so far. */
  savedErrors: () => number = () => 0;
  /** How many of the parser's errors were saved before reading stopped (those after it are noise). */
  keptErrors: number | undefined;
  /** Set by the parser: whether a call's arguments are being read. */
  inCall: () => boolean = () => false;
  private readonly details = new Map<string, SyntaxErrorDetail>();

  /** Forget the details of the previous parse. */
  clear(): void {
    this.details.clear();
    this.budget = LIMITS.errors;
    this.stopped = false;
    this.keptErrors = undefined;
  }

  /** Stops reading: counts no more errors and remembers which of the saved ones to keep. */
  stop(): void {
    this.stopped = true;
    this.keptErrors = this.savedErrors();
  }

  /**
   * Counts one more syntax error, at `token`; past the budget, stops reading by throwing
   * ReadingStopped (Chevrotain lets errors that are not its own through). Without the stop, a file
   * of broken lines costs memory and stack for each: Chevrotain recovers from consecutive errors in
   * a repetition by recursion, and ~1,400 of them exhausted the stack.
   */
  private count(token: IToken | undefined): void {
    if (this.stopped) return;
    if (--this.budget >= 0) return;
    this.stop();
    throw new ReadingStopped("too-many-errors", token?.startOffset ?? Number.NaN);
  }

  /** The code and hint behind a message this provider built. */
  detailOf(message: string): SyntaxErrorDetail | undefined {
    return this.details.get(message);
  }

  buildMismatchTokenMessage(options: {
    expected: TokenType;
    actual: IToken;
    previous: IToken;
    ruleName: string;
  }): string {
    const { expected, actual, previous, ruleName } = options;
    this.count(actual);
    const atList =
      ruleName === "flow" ||
      (ruleName === "sessionStep" && expected === Greater) ||
      (ruleName === "block" && expected === RBrace);
    if (atList) return this.statementListError(actual, previous, ruleName);

    const wanted = expectedLabel(expected, ruleName);
    if (KEYWORD_TOKENS.includes(expected) && tokenMatcher(actual, AnyWord)) {
      const word = tokenLabel(expected).replace(/`/g, "");
      if (didYouMean(actual.image, [word])) {
        return this.record(`expected ${wanted} but found ${describe(actual)}`, {
          code: "misspelt-keyword",
          hint: `did you mean \`${word}\`?`,
        });
      }
    }
    if (ruleName === "sessionStep" && expected === Less) {
      return this.record(`expected \`<\` to open the session's steps but found ${describe(actual)}`, {
        code: "expected-token",
        hint: "a session reads `session waiting 5000 < ...steps... >`",
      });
    }
    const slip = this.amountSlip(actual);
    if (slip) return this.record(slip.message, { code: "expected-token", hint: slip.hint });
    return this.record(`expected ${wanted} but found ${describe(actual)}`, {
      code: "expected-token",
      hint: wordHint(actual, ruleName === "inputStep" && expected === Identifier ? INPUT_KINDS : KEYWORDS),
    });
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    this.count(options.firstRedundant);
    // Input left over after the last statement the top level could read: word it like any other
    // token that cannot continue the list of statements.
    return this.statementListError(options.firstRedundant, options.firstRedundant, "flow");
  }

  buildNoViableAltMessage(options: {
    expectedPathsPerAlt: TokenType[][][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const actual = options.actual[0];
    this.count(actual);
    const found = describe(actual);
    if (EXPRESSION_RULES.has(options.ruleName) && options.previous && tokenMatcher(options.previous, Refund)) {
      return this.record(`expected the payment or the amount to refund but found ${found}`, {
        code: "expected-expression",
        hint: "refund a payment (`refund p`), part of it (`refund p 5.00 EUR`) or an amount without one (`refund 5.00 EUR`)",
      });
    }
    if (EXPRESSION_RULES.has(options.ruleName)) {
      return this.record(`expected an expression but found ${found}`, {
        code: "expected-expression",
        hint: "an expression is a number, a string, `true`, `false`, a name like `payment.result`, or a comparison of them",
      });
    }
    switch (options.ruleName) {
      case "sessionStep":
        return this.record(`expected a timeout or request types after \`waiting\` but found ${found}`, {
          code: "expected-token",
          hint: "write `session waiting 5000 < ... >` or `session waiting input 15000, display 10000 < ... >`",
        });
      case "displayStep":
        return this.record(`expected the text to show or \`idle\` after \`display\` but found ${found}`, {
          code: "expected-token",
          hint: 'write `display "Thanks"` or `display idle`',
        });
      case "literal":
        return this.record(`expected a string, a number, \`true\` or \`false\` but found ${found}`, {
          code: "expected-token",
        });
      case "printStep":
        return this.record(`expected \`receipt\` or the lines to print after \`print\` but found ${found}`, {
          code: "expected-token",
          hint: 'print a payment\'s receipt (`print receipt p`) or lines of text (`print "Table 7" "Thank you"`)',
        });
      case "requestType":
        return this.record(`expected a request type (input, display or payment) but found ${found}`, {
          code: "expected-token",
          hint: wordHint(actual, ["input", "display", "payment"]),
        });
      default:
        return this.record(`unexpected ${found}`, { code: "unexpected-token", hint: wordHint(actual, KEYWORDS) });
    }
  }

  buildEarlyExitMessage(options: {
    expectedIterationPaths: TokenType[][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    this.count(options.actual[0]);
    const first = options.expectedIterationPaths[0]?.[0];
    const wanted = first ? tokenLabel(first) : "more input";
    return this.record(`expected ${wanted} but found ${describe(options.actual[0])}`, { code: "expected-token" });
  }

  /**
   * An amount written the way a person, not termflow, would: `1,50 EUR`. The message names the
   * amount since the hint depends on it and details are looked up by message.
   */
  private amountSlip(actual: IToken): { message: string; hint: string } | undefined {
    const before = this.tokenBefore(actual);
    const after = this.tokenAfter(actual);
    // Inside a call's arguments (`split(total, 3)`) a comma after a number is the next argument.
    if (tokenMatcher(actual, Comma) && before && tokenMatcher(before, NumberLiteral) && !this.inCall()) {
      const decimals =
        after && tokenMatcher(after, NumberLiteral) && /^\d+$/.test(after.image) ? after.image : undefined;
      const written = decimals === undefined ? `${before.image},` : `${before.image},${decimals}`;
      return {
        message: `unexpected \`,\` in the amount \`${written}\``,
        hint: `use a decimal point: \`${before.image}.${decimals ?? "50"}\``,
      };
    }
    return undefined;
  }

  /** `status p.result`: a field where a step names a capture. */
  private fieldSlip(actual: IToken, before: IToken | undefined): { message: string; hint: string } | undefined {
    if (!tokenMatcher(actual, Dot) || !before || !tokenMatcher(before, Name)) return undefined;
    const word = this.tokenBefore(before);
    const named = word && tokenMatcher(word, AnyWord) ? NAMED_CAPTURES[word.image] : undefined;
    if (!named) return undefined;
    return {
      message: `\`${named.step}\` names ${named.what}, not one of its fields`,
      hint: `write \`${named.step} ${before.image}\``,
    };
  }

  /** A token that cannot continue a list of statements (top level, session or `{ }` block). */
  private statementListError(actual: IToken, previous: IToken, ruleName: string): string {
    const open = ruleName === "flow" ? undefined : this.openBlock();
    const where = open ? `${open.line}:${open.column}` : "";
    const related = open
      ? {
          message: open.kind === "session" ? "the session starts here" : "the block starts here",
          offset: open.offset,
          length: open.kind === "session" ? "session".length : 1,
        }
      : undefined;
    const isEnd = tokenMatcher(actual, EOF);
    if (ruleName === "sessionStep" && (isEnd || tokenMatcher(actual, RBrace))) {
      return this.record(
        `expected \`>\` to close the session started at ${where}${isEnd ? "" : ` but found ${describe(actual)}`}`,
        { code: "missing-session-close", hint: "end the session's steps with `>`", related },
      );
    }
    if (ruleName === "block" && (isEnd || tokenMatcher(actual, Greater))) {
      return this.record(
        `expected \`}\` to close the block opened at ${where}${isEnd ? "" : ` but found ${describe(actual)}`}`,
        { code: "missing-block-close", hint: "end the block with `}`", related },
      );
    }

    const before = tokenMatcher(actual, EOF) ? previous : this.tokenBefore(actual);
    const atStatementStart =
      before === undefined ||
      tokenMatcher(before, EOF) ||
      tokenMatcher(before, Separator) ||
      (ruleName === "sessionStep" && tokenMatcher(before, Less)) ||
      (ruleName === "block" && tokenMatcher(before, LBrace));
    if (!atStatementStart) {
      if (tokenMatcher(actual, Equals)) {
        return this.record("unexpected `=`", { code: "unexpected-token", hint: "compare with `==`" });
      }
      const slip = this.amountSlip(actual);
      if (slip) return this.record(slip.message, { code: "expected-token", hint: slip.hint });
      const field = this.fieldSlip(actual, before);
      if (field) return this.record(field.message, { code: "unexpected-token", hint: field.hint });
      return this.record(`expected \`;\` or a new line after the step but found ${describe(actual)}`, {
        code: "unexpected-token",
        hint: wordHint(actual, KEYWORDS) ?? "end each step with `;` or a new line",
      });
    }
    if (tokenMatcher(actual, Identifier)) {
      const candidates = ruleName === "flow" ? [...STEP_KEYWORDS, "flow", "param"] : STEP_KEYWORDS;
      return this.record(`unknown step \`${actual.image}\``, {
        code: "unknown-step",
        hint: wordHint(actual, candidates) ?? STEP_LIST_HINT,
      });
    }
    if (tokenMatcher(actual, Param)) {
      return this.record("`param` must come before the steps", {
        code: "misplaced-declaration",
        hint: 'declare params at the top of the file, right after `flow "name"`',
      });
    }
    if (tokenMatcher(actual, Flow)) {
      return this.record('`flow "name"` must come first', {
        code: "misplaced-declaration",
        hint: 'name the flow on the first line: `flow "Pay at table"`',
      });
    }
    if (tokenMatcher(actual, Else)) {
      return this.record("`else` without an `if`", {
        code: "unexpected-token",
        hint: "`else` follows the `}` that closes an `if` block",
      });
    }
    if (tokenMatcher(actual, Greater)) {
      return this.record("unexpected `>`: no session is open here", { code: "unexpected-token" });
    }
    if (tokenMatcher(actual, RBrace)) {
      return this.record("unexpected `}`: no block is open here", { code: "unexpected-token" });
    }
    return this.record(`expected a step but found ${describe(actual)}`, {
      code: "unexpected-token",
      hint: wordHint(actual, STEP_KEYWORDS) ?? STEP_LIST_HINT,
    });
  }

  private record(message: string, detail: SyntaxErrorDetail): string {
    if (detail.hint === undefined) delete detail.hint;
    if (detail.related === undefined) delete detail.related;
    this.details.set(message, detail);
    return message;
  }
}

/** What the parser wanted, in the words of the statement it was reading. */
function expectedLabel(expected: TokenType, ruleName: string): string {
  if (expected === NumberLiteral) {
    if (ruleName === "payStep") return "an amount like `12.50`";
    if (ruleName === "literal" || EXPRESSION_RULES.has(ruleName)) return "a number";
    return DURATION;
  }
  if (expected === Identifier) {
    if (ruleName === "payStep") return "a currency code like `EUR`";
    if (ruleName === "inputStep") return "an input kind (confirm, digits, text, amount, phone, signature or menu)";
  }
  if (expected === StringLiteral) {
    if (ruleName === "inputStep") return "the prompt (a string)";
    if (ruleName === "flowName") return "the flow's name (a string)";
    if (ruleName === "sessionStep") return "the session id (a string)";
    if (ruleName === "payStep") return "the reference (a string)";
    if (ruleName === "callStep") return 'the file to call (a string like `"shared/tip.flow"`)';
  }
  if (expected === Name) {
    if (ruleName === "statusStep") return "the payment to ask about (a `pay ... as p` capture)";
    if (ruleName === "printStep") return "the payment whose receipt to print (a `pay ... as p` capture)";
    if (ruleName === "payStep") return "the card acquisition to continue (an `acquire card as card` capture)";
    if (ruleName === "acquireStep") return "`card`";
  }
  if (expected === Newline) return "a new line";
  return tokenLabel(expected);
}

/** `the end of the file`, `the end of the line`, or the token's text in backticks. */
export function describe(token: IToken | undefined): string {
  if (!token || tokenMatcher(token, EOF)) return "the end of the file";
  if (tokenMatcher(token, Newline)) return "the end of the line";
  const image = token.image.length > 40 ? `${token.image.slice(0, 37)}...` : token.image;
  return `\`${image}\``;
}

function wordHint(token: IToken | undefined, candidates: readonly string[]): string | undefined {
  if (!token || !tokenMatcher(token, AnyWord)) return undefined;
  const match = didYouMean(token.image, candidates);
  return match && match !== token.image ? `did you mean \`${match}\`?` : undefined;
}
