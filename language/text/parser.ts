/**
 * The grammar of the flow mini-language: one CstParser, rules as class fields.
 *
 *   flow        := sep* flowName? (sep | param)* (sep | step)*
 *   step        := session | input | display | pay | wait | expect | if
 *   session     := "session" "waiting" (duration ("on" type ("," type)*)? | type duration ("," type duration)*)
 *                  ("id" string)? newline* "<" (sep | step)* ">"
 *   if          := "if" expression newline* block (newline* "else" (if | block))?
 *   expression  := and ("or" and)*;  and := not ("and" not)*;  not := "not" not | comparison
 *   comparison  := unary (op unary)* (more than one op is reported);  unary := "-" unary | primary
 *
 * Statements in a list are `(sep | step)*`, so two steps without a separator still parse; to-ast
 * reports that as `missing-separator`, which keeps every later step in the tree.
 *
 * `>` is both "greater than" and the end of a session. It is a comparison only when something that
 * can start an operand follows it (a gate, so the grammar stays LL(k)); otherwise it ends the
 * session: `session waiting 5s < expect a > 1 >` compares `a > 1`, then closes.
 */
import { CstParser, tokenMatcher, type CstNode, type IToken, type TokenType } from "chevrotain";
import { FlowErrorMessages, type OpenBlock } from "./error-messages.js";
import {
  ALL_TOKENS,
  And,
  AnyWord,
  As,
  Display,
  Dot,
  Else,
  EqualEqual,
  Equals,
  Expect,
  False,
  Flow,
  For,
  Greater,
  GreaterEqual,
  Id,
  Identifier,
  Idle,
  If,
  Input,
  LBrace,
  LBracket,
  Less,
  LessEqual,
  LParen,
  Minus,
  Name,
  Newline,
  Not,
  NotEqual,
  NumberLiteral,
  On,
  Or,
  Param,
  Pay,
  RBrace,
  RBracket,
  Ref,
  RParen,
  Separator,
  Session,
  StringLiteral,
  Tip,
  True,
  Wait,
  Waiting,
  Within,
  Comma,
} from "./tokens.js";

/** Tokens that can start an operand of a comparison: what makes a `>` a comparison. */
export const OPERAND_STARTS: readonly TokenType[] = [Minus, NumberLiteral, StringLiteral, True, False, LParen, Name];

export interface FlowParserOptions {
  /** Run Chevrotain's grammar validations (ambiguities, left recursion...) at construction. */
  validate?: boolean;
}

/** The flow grammar. Make one (see `flowParser`) and reuse it: `parser.input = tokens`. */
export class FlowParser extends CstParser {
  /** Structured details (code, hint) of the messages built during the last parse. */
  readonly messages: FlowErrorMessages;

  constructor(options: FlowParserOptions = {}, messages = new FlowErrorMessages()) {
    super(ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      nodeLocationTracking: "full",
      errorMessageProvider: messages,
      skipValidations: !options.validate,
      // The grammar is LL(1); the one place that looks further (`>`) does so in a GATE.
      maxLookahead: 1,
    });
    this.messages = messages;
    messages.openBlock = () => this.openBlock();
    messages.tokenBefore = (token) => {
      const index = this.input.indexOf(token);
      return index > 0 ? this.input[index - 1] : undefined;
    };
    messages.tokenAfter = (token) => {
      const index = this.input.indexOf(token);
      return index >= 0 ? this.input[index + 1] : undefined;
    };
    this.performSelfAnalysis();
  }

  override reset(): void {
    super.reset();
    this.messages?.clear();
  }

  public flow = this.RULE("flow", () => {
    this.MANY(() => this.CONSUME(Separator));
    this.OPTION(() => this.SUBRULE(this.flowName));
    this.MANY2(() => this.OR([{ ALT: () => this.CONSUME2(Separator) }, { ALT: () => this.SUBRULE(this.param) }]));
    this.MANY3(() => this.OR2([{ ALT: () => this.CONSUME3(Separator) }, { ALT: () => this.SUBRULE(this.step) }]));
  });

  public flowName = this.RULE("flowName", () => {
    this.CONSUME(Flow);
    this.CONSUME(StringLiteral);
  });

  public param = this.RULE("param", () => {
    this.CONSUME(Param);
    this.CONSUME(Name);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.literal);
    });
  });

  public literal = this.RULE("literal", () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Minus));
          this.CONSUME(NumberLiteral);
        },
      },
    ]);
  });

  public step = this.RULE("step", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.sessionStep) },
      { ALT: () => this.SUBRULE(this.inputStep) },
      { ALT: () => this.SUBRULE(this.displayStep) },
      { ALT: () => this.SUBRULE(this.payStep) },
      { ALT: () => this.SUBRULE(this.waitStep) },
      { ALT: () => this.SUBRULE(this.expectStep) },
      { ALT: () => this.SUBRULE(this.ifStep) },
    ]);
  });

  public sessionStep = this.RULE("sessionStep", () => {
    this.CONSUME(Session);
    this.CONSUME(Waiting);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(NumberLiteral, { LABEL: "timeout" });
          this.OPTION(() => {
            this.CONSUME(On);
            this.SUBRULE(this.requestType);
            this.MANY(() => {
              this.CONSUME(Comma);
              this.SUBRULE2(this.requestType);
            });
          });
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.waitingEntry);
          this.MANY2(() => {
            this.CONSUME2(Comma);
            this.SUBRULE2(this.waitingEntry);
          });
        },
      },
    ]);
    this.OPTION2(() => {
      this.CONSUME(Id);
      this.CONSUME(StringLiteral, { LABEL: "id" });
    });
    this.MANY3(() => this.CONSUME(Newline));
    this.CONSUME(Less);
    this.MANY4(() => this.OR2([{ ALT: () => this.CONSUME(Separator) }, { ALT: () => this.SUBRULE(this.step) }]));
    this.CONSUME(Greater);
  });

  public waitingEntry = this.RULE("waitingEntry", () => {
    this.SUBRULE(this.requestType);
    this.CONSUME(NumberLiteral, { LABEL: "timeout" });
  });

  public requestType = this.RULE("requestType", () => {
    this.OR([
      { ALT: () => this.CONSUME(Input) },
      { ALT: () => this.CONSUME(Display) },
      { ALT: () => this.CONSUME(Identifier) },
    ]);
  });

  public inputStep = this.RULE("inputStep", () => {
    this.CONSUME(Input);
    this.CONSUME(Identifier, { LABEL: "kind" });
    this.CONSUME(StringLiteral, { LABEL: "prompt" });
    this.OPTION(() => this.SUBRULE(this.menuEntries));
    this.OPTION2(() => {
      this.CONSUME(Within);
      this.CONSUME(NumberLiteral, { LABEL: "within" });
    });
    this.OPTION3(() => this.SUBRULE(this.capture));
  });

  public menuEntries = this.RULE("menuEntries", () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.CONSUME(StringLiteral);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.CONSUME2(StringLiteral);
      });
    });
    this.CONSUME(RBracket);
  });

  public capture = this.RULE("capture", () => {
    this.CONSUME(As);
    this.CONSUME(Name);
  });

  public displayStep = this.RULE("displayStep", () => {
    this.CONSUME(Display);
    this.OR([
      { ALT: () => this.CONSUME(Idle) },
      {
        ALT: () => {
          this.CONSUME(StringLiteral);
          this.OPTION(() => {
            this.CONSUME(For);
            this.CONSUME(NumberLiteral, { LABEL: "for" });
          });
        },
      },
    ]);
  });

  public payStep = this.RULE("payStep", () => {
    this.CONSUME(Pay);
    this.CONSUME(NumberLiteral, { LABEL: "amount" });
    this.CONSUME(Identifier, { LABEL: "currency" });
    this.OPTION(() => {
      this.CONSUME(Tip);
      this.CONSUME2(NumberLiteral, { LABEL: "tip" });
    });
    this.OPTION2(() => {
      this.CONSUME(Ref);
      this.CONSUME(StringLiteral, { LABEL: "ref" });
    });
    this.OPTION3(() => this.SUBRULE(this.capture));
  });

  public waitStep = this.RULE("waitStep", () => {
    this.CONSUME(Wait);
    this.CONSUME(NumberLiteral, { LABEL: "duration" });
  });

  public expectStep = this.RULE("expectStep", () => {
    this.CONSUME(Expect);
    this.SUBRULE(this.expression);
  });

  public ifStep = this.RULE("ifStep", () => {
    this.CONSUME(If);
    this.SUBRULE(this.expression);
    this.MANY(() => this.CONSUME(Newline));
    this.SUBRULE(this.block, { LABEL: "then" });
    this.OPTION({
      // `}` then `else` on a later line still belongs to this `if`.
      GATE: () => this.elseFollows(),
      DEF: () => {
        this.MANY2(() => this.CONSUME2(Newline));
        this.CONSUME(Else);
        this.OR([
          { ALT: () => this.SUBRULE(this.ifStep, { LABEL: "elseIf" }) },
          { ALT: () => this.SUBRULE2(this.block, { LABEL: "else" }) },
        ]);
      },
    });
  });

  public block = this.RULE("block", () => {
    this.CONSUME(LBrace);
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(Separator) }, { ALT: () => this.SUBRULE(this.step) }]));
    this.CONSUME(RBrace);
  });

  // ---- expressions: one rule per precedence level, loosest first ----------------------------

  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpression, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpression, { LABEL: "operands" });
    });
  });

  public andExpression = this.RULE("andExpression", () => {
    this.SUBRULE(this.notExpression, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.notExpression, { LABEL: "operands" });
    });
  });

  public notExpression = this.RULE("notExpression", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  public comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.unary, { LABEL: "left" });
    // A repetition, not an option: `a < b < c` parses whole so to-ast can say comparisons do not chain.
    this.MANY({
      GATE: () => !tokenMatcher(this.LA(1), Greater) || OPERAND_STARTS.some((t) => tokenMatcher(this.LA(2), t)),
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(EqualEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(NotEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(LessEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(GreaterEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(Less, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(Greater, { LABEL: "operator" }) },
        ]);
        this.SUBRULE2(this.unary, { LABEL: "right" });
      },
    });
  });

  public unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  public primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });

  public reference = this.RULE("reference", () => {
    this.CONSUME(Name);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME(AnyWord, { LABEL: "fields" });
    });
  });

  /** True when the next tokens are new lines and then `else`. */
  private elseFollows(): boolean {
    for (let k = 1; ; k++) {
      const token: IToken = this.LA(k);
      if (tokenMatcher(token, Else)) return true;
      if (!tokenMatcher(token, Newline)) return false;
    }
  }

  /** The innermost session or `{` block being parsed, for "close the session started at 2:1". */
  private openBlock(): OpenBlock | undefined {
    const stack = (this as unknown as { CST_STACK: CstNode[] }).CST_STACK ?? [];
    for (let i = stack.length - 1; i >= 0; i--) {
      const node = stack[i];
      if (node.name !== "sessionStep" && node.name !== "block") continue;
      const loc = node.location;
      if (!loc || !Number.isFinite(loc.startOffset) || !Number.isFinite(loc.startLine)) return undefined;
      return {
        kind: node.name === "sessionStep" ? "session" : "block",
        offset: loc.startOffset,
        line: loc.startLine ?? 0,
        column: loc.startColumn ?? 0,
      };
    }
    return undefined;
  }
}

/** The one parser instance (validations off: tests build one with them on). */
export const flowParser: FlowParser = new FlowParser();

/** A parser with Chevrotain's grammar validations on, for tests and the diagram script. */
export function createValidatedFlowParser(): FlowParser {
  return new FlowParser({ validate: true });
}
