/**
 * The grammar of the flow mini-language: one Chevrotain EmbeddedActionsParser, rules as class
 * fields. Each rule fills a draft (build-ast.ts) with what it reads, and the draft builds the AST
 * node when the rule ends, so the AST comes straight out of the parser, with no CST in between.
 *
 *   flow        := sep* flowName? (sep | param)* (sep | step)*
 *   param       := "param" name (":" type)? ("=" literal)?
 *   step        := (session | input | display | pay | refund | print | acquire | status | call | wait | expect | if | for | repeat)
 *                  (newline* handler)*
 *   handler     := "on" name ("retry" (number | name)? | "use" expression)? block?
 *   session     := "session" "waiting" (duration ("on" type ("," type)*)? | type duration ("," type duration)*)
 *                  ("id" string)? newline* "<" (sep | step)* ">"
 *   pay         := "pay" expression ("tip" expression)? ("ref" string)? ("with" name)? ("within" duration)? ("as" name)?
 *   refund      := "refund" expression expression? ("as" name)?   (a lone bare name is the payment, else the amount)
 *   print       := "print" ("receipt" name ("customer" | "cashier")? | string+) ("as" name)?
 *   acquire     := "acquire" "card" ("within" duration)? ("as" name)?;  status := "status" name ("as" name)?
 *   call        := "call" string ("with" argument ("," argument)*)? ("as" name)?;  argument := name "=" expression
 *   if          := "if" expression newline* block (newline* "else" (if | block))?
 *   for         := "for" name "in" expression newline* block;  repeat := "repeat" expression "times" newline* block
 *   expression  := and ("or" and)*;  and := not ("and" not)*;  not := "not" not | comparison
 *   comparison  := arithmetic (op arithmetic)* (more than one op is reported)
 *   arithmetic  := unary (("+" | "-" | "*" | "/" | "..") unary)*   (precedence is the draft's: `..` < `+ -` < `* /`)
 *   unary       := "-" unary | primary
 *   primary     := number ("%" | currency)? | string | "true" | "false" | "(" expression ")" | reference
 *   reference   := name ("." word)* ("(" (expression ("," expression)*)? ")")?
 *
 * Statements in a list are `(sep | step)*`, so two steps without a separator still parse; the draft
 * reports that as `missing-separator`, which keeps every later step in the tree.
 *
 * `>` is both "greater than" and the end of a session. It is a comparison only when something that
 * can start an operand follows it (a gate, so the grammar stays LL(k)); otherwise it ends the
 * session: `session waiting 5s < expect a > 1 >` compares `a > 1`, then closes.
 */
import { EmbeddedActionsParser, EOF, tokenMatcher, type IToken, type TokenType } from "chevrotain";
import type { Flow as FlowNode } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import {
  AndDraft,
  ArithmeticDraft,
  AstBuilder,
  BlockDraft,
  CaptureDraft,
  ComparisonDraft,
  DisplayDraft,
  type Draft,
  ExpectDraft,
  FlowDraft,
  FlowNameDraft,
  ForDraft,
  HandlerDraft,
  IfDraft,
  InputDraft,
  LiteralDraft,
  MenuEntriesDraft,
  NotDraft,
  OrDraft,
  ParamDraft,
  PayDraft,
  PrintDraft,
  AcquireDraft,
  StatusDraft,
  CallDraft,
  ArgumentDraft,
  RefundDraft,
  PrimaryDraft,
  ReferenceDraft,
  RepeatDraft,
  RequestTypeDraft,
  SessionDraft,
  StepDraft,
  UnaryDraft,
  WaitDraft,
  WaitingEntryDraft,
} from "./build-ast.js";
import { LIMITS, ReadingStopped } from "../limits.js";
import { FlowErrorMessages, type OpenBlock } from "./error-messages.js";
import type { LineIndex } from "./positions.js";
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
  Colon,
  DotDot,
  In,
  Percent,
  Plus,
  Repeat,
  Slash,
  Star,
  Times,
  Refund,
  Print,
  Acquire,
  Status,
  With,
  Call,
  Retry,
  Use,
} from "./tokens.js";

/** Tokens that can start an operand of a comparison: what makes a `>` a comparison. */
export const OPERAND_STARTS: readonly TokenType[] = [Minus, NumberLiteral, StringLiteral, True, False, LParen, Name];

export interface FlowParserOptions {
  /** Run Chevrotain's grammar validations (ambiguities, left recursion...) at construction. */
  validate?: boolean;
}

/**
 * Rules deep the parser follows before it stops reading: far fewer than exhaust Node's default
 * stack (about 1,000 did), far more than a flow within LIMITS needs (a parenthesis costs 6).
 */
const MAX_RULE_DEPTH = 300;

/** What the parser built from one token vector; the syntax errors are in `parser.errors`. */
export interface ParsedTokens {
  /** The AST, also after syntax errors (without what could not be read); none when reading stopped. */
  flow: FlowNode | undefined;
  /** What the drafts reported (bad durations, unknown input kinds, missing separators...). */
  diagnostics: Diagnostic[];
  /** Why and where reading stopped (too many errors, too deep), when it did. */
  stopped?: ReadingStopped;
  /** When reading stopped: how many of `parser.errors` came before (the rest is noise of the stop). */
  keptErrors?: number;
}

/** The flow grammar. Make one (see `flowParser()`) and reuse it for every file: `parser.parse(tokens, lines)`. */
export class FlowParser extends EmbeddedActionsParser {
  /** Structured details (code, hint) of the messages built during the last parse. */
  readonly messages: FlowErrorMessages;
  /** The drafts of the rules being parsed, innermost last. */
  private readonly open: Draft<unknown>[] = [];
  private builder: AstBuilder | undefined;
  private root: FlowDraft | undefined;
  /** Sessions and ifs open around the rule being parsed. */
  private stepDepth = 0;
  /** The tokens being parsed; while parsing, Chevrotain pads the array with EOF sentinels. */
  private tokens: readonly IToken[] = [];
  private tokenCount = 0;

  constructor(options: FlowParserOptions = {}, messages = new FlowErrorMessages()) {
    super(ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      errorMessageProvider: messages,
      skipValidations: !options.validate,
      // The grammar is LL(1); the one place that looks further (`>`) does so in a GATE.
      maxLookahead: 1,
    });
    this.messages = messages;
    messages.openBlock = () => this.openBlock();
    messages.savedErrors = () => this.errors.length;
    messages.tokenBefore = (token) => {
      const index = this.indexOf(token);
      return index > 0 ? this.tokens[index - 1] : undefined;
    };
    messages.inCall = () => this.open.some((d) => d instanceof ReferenceDraft && d.call);
    messages.tokenAfter = (token) => {
      const index = this.indexOf(token);
      return index >= 0 && index + 1 < this.tokenCount ? this.tokens[index + 1] : undefined;
    };
    this.performSelfAnalysis();
  }

  /**
   * Parses one file's tokens (sorted, as the lexer made them) into the AST. `errorBudget` is how many
   * syntax errors may still be reported (the lexer's count too) before reading stops.
   */
  parse(tokens: IToken[], lines: LineIndex, errorBudget: number = LIMITS.errors): ParsedTokens {
    this.input = tokens;
    this.tokens = tokens;
    this.tokenCount = tokens.length;
    this.builder = new AstBuilder(lines);
    this.messages.budget = errorBudget;
    try {
      this.flow();
      const root = this.root;
      return { flow: root?.value, diagnostics: root?.notes ?? [] };
    } catch (error) {
      if (!(error instanceof ReadingStopped)) throw error;
      // Chevrotain pads the input with EOF sentinels while parsing and may not have taken them off.
      tokens.length = this.tokenCount;
      return { flow: undefined, diagnostics: [], stopped: error, keptErrors: this.messages.keptErrors };
    } finally {
      this.builder = undefined;
      this.root = undefined;
      this.tokens = [];
      this.open.length = 0;
      this.stepDepth = 0;
    }
  }

  override reset(): void {
    super.reset();
    this.messages?.clear();
  }

  /**
   * A rule whose body fills a draft. The draft builds its node when the rule ends, also when a
   * syntax error cuts it short, and goes to the rule that called it: what was read before an
   * error stays in the tree, as it would in a CST.
   */
  private rule<D extends Draft<unknown>>(name: string, make: () => D, body: (draft: D) => void): () => void {
    return this.RULE(name, () => {
      const draft = make();
      if (this.RECORDING_PHASE) {
        body(draft);
        return;
      }
      if (this.open.length >= MAX_RULE_DEPTH) {
        this.messages.stop();
        throw new ReadingStopped("too-deeply-nested", this.LA(1).startOffset);
      }
      const step =
        draft instanceof SessionDraft ||
        draft instanceof IfDraft ||
        draft instanceof ForDraft ||
        draft instanceof RepeatDraft ||
        draft instanceof HandlerDraft;
      if (step && ++this.stepDepth > LIMITS.stepDepth) draft.tooDeep = true;
      this.open.push(draft);
      try {
        body(draft);
      } finally {
        if (step) this.stepDepth--;
        this.open.pop();
        this.builder?.finish(draft);
        const parent = this.open[this.open.length - 1];
        if (parent) parent.addChild(draft);
        else if (draft instanceof FlowDraft) this.root = draft;
      }
    });
  }

  public flow = this.rule(
    "flow",
    () => new FlowDraft(),
    (d) => {
      this.MANY(() => d.separators.push(d.add(this.CONSUME(Separator))));
      this.OPTION(() => this.SUBRULE(this.flowName));
      this.MANY2(() =>
        this.OR([
          { ALT: () => d.separators.push(d.add(this.CONSUME2(Separator))) },
          { ALT: () => this.SUBRULE(this.param) },
        ]),
      );
      this.MANY3(() =>
        this.OR2([
          { ALT: () => d.separators.push(d.add(this.CONSUME3(Separator))) },
          { ALT: () => this.SUBRULE(this.step) },
        ]),
      );
    },
  );

  public flowName = this.rule(
    "flowName",
    () => new FlowNameDraft(),
    (d) => {
      d.add(this.CONSUME(Flow));
      d.string = d.add(this.CONSUME(StringLiteral));
    },
  );

  public param = this.rule(
    "param",
    () => new ParamDraft(),
    (d) => {
      d.add(this.CONSUME(Param));
      d.name = d.add(this.CONSUME(Name));
      this.OPTION(() => {
        d.add(this.CONSUME(Colon));
        d.type = d.add(this.CONSUME(Identifier, { LABEL: "type" }));
      });
      this.OPTION2(() => {
        d.add(this.CONSUME(Equals));
        this.SUBRULE(this.literal);
      });
    },
  );

  public literal = this.rule(
    "literal",
    () => new LiteralDraft(),
    (d) => {
      this.OR([
        { ALT: () => (d.string = d.add(this.CONSUME(StringLiteral))) },
        { ALT: () => (d.boolean = d.add(this.CONSUME(True))) },
        { ALT: () => (d.boolean = d.add(this.CONSUME(False))) },
        {
          ALT: () => {
            this.OPTION(() => (d.minus = d.add(this.CONSUME(Minus))));
            d.number = d.add(this.CONSUME(NumberLiteral));
            this.OPTION2(() =>
              this.OR2([
                { ALT: () => (d.percent = d.add(this.CONSUME(Percent))) },
                { ALT: () => (d.currency = d.add(this.CONSUME(Identifier, { LABEL: "currency" }))) },
              ]),
            );
          },
        },
      ]);
    },
  );

  public step = this.rule(
    "step",
    () => new StepDraft(),
    () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.sessionStep) },
        { ALT: () => this.SUBRULE(this.inputStep) },
        { ALT: () => this.SUBRULE(this.displayStep) },
        { ALT: () => this.SUBRULE(this.payStep) },
        { ALT: () => this.SUBRULE(this.refundStep) },
        { ALT: () => this.SUBRULE(this.printStep) },
        { ALT: () => this.SUBRULE(this.acquireStep) },
        { ALT: () => this.SUBRULE(this.statusStep) },
        { ALT: () => this.SUBRULE(this.callStep) },
        { ALT: () => this.SUBRULE(this.waitStep) },
        { ALT: () => this.SUBRULE(this.expectStep) },
        { ALT: () => this.SUBRULE(this.ifStep) },
        { ALT: () => this.SUBRULE(this.forStep) },
        { ALT: () => this.SUBRULE(this.repeatStep) },
      ]);
      // `on declined { ... }` after the step, on its line or a later one: what happens when it fails.
      this.MANY({
        GATE: () => this.handlerFollows(),
        DEF: () => {
          this.MANY2(() => this.CONSUME(Newline));
          this.SUBRULE(this.handler);
        },
      });
    },
  );

  public handler: () => void = this.rule(
    "handler",
    () => new HandlerDraft(),
    (d) => {
      d.add(this.CONSUME(On));
      d.outcome = d.add(this.CONSUME(Name, { LABEL: "outcome" }));
      this.OPTION(() =>
        this.OR([
          {
            ALT: () => {
              d.retry = d.add(this.CONSUME(Retry));
              this.OPTION2(() =>
                this.OR2([
                  { ALT: () => (d.count = d.add(this.CONSUME(NumberLiteral, { LABEL: "count" }))) },
                  { ALT: () => (d.count = d.add(this.CONSUME2(Name, { LABEL: "count" }))) },
                ]),
              );
            },
          },
          {
            ALT: () => {
              d.add(this.CONSUME(Use));
              d.uses = true;
              this.SUBRULE(this.expression, { LABEL: "use" });
            },
          },
        ]),
      );
      this.OPTION3(() => this.SUBRULE(this.block, { LABEL: "body" }));
    },
  );

  public sessionStep = this.rule(
    "sessionStep",
    () => new SessionDraft(),
    (d) => {
      d.add(this.CONSUME(Session));
      d.add(this.CONSUME(Waiting));
      this.OR([
        {
          ALT: () => {
            d.timeout = d.add(this.CONSUME(NumberLiteral, { LABEL: "timeout" }));
            this.OPTION(() => {
              d.add(this.CONSUME(On));
              d.on = true;
              this.SUBRULE(this.requestType);
              this.MANY(() => {
                d.add(this.CONSUME(Comma));
                this.SUBRULE2(this.requestType);
              });
            });
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.waitingEntry);
            this.MANY2(() => {
              d.add(this.CONSUME2(Comma));
              this.SUBRULE2(this.waitingEntry);
            });
          },
        },
      ]);
      this.OPTION2(() => {
        d.add(this.CONSUME(Id));
        d.id = d.add(this.CONSUME(StringLiteral, { LABEL: "id" }));
      });
      this.MANY3(() => d.add(this.CONSUME(Newline)));
      d.add(this.CONSUME(Less));
      this.MANY4(() =>
        this.OR2([
          { ALT: () => d.separators.push(d.add(this.CONSUME(Separator))) },
          { ALT: () => this.SUBRULE(this.step) },
        ]),
      );
      d.add(this.CONSUME(Greater));
    },
  );

  public waitingEntry = this.rule(
    "waitingEntry",
    () => new WaitingEntryDraft(),
    (d) => {
      this.SUBRULE(this.requestType);
      d.timeout = d.add(this.CONSUME(NumberLiteral, { LABEL: "timeout" }));
    },
  );

  public requestType = this.rule(
    "requestType",
    () => new RequestTypeDraft(),
    (d) => {
      this.OR([
        { ALT: () => (d.word = d.add(this.CONSUME(Input))) },
        { ALT: () => (d.word = d.add(this.CONSUME(Display))) },
        { ALT: () => (d.word = d.add(this.CONSUME(Identifier))) },
      ]);
    },
  );

  public inputStep = this.rule(
    "inputStep",
    () => new InputDraft(),
    (d) => {
      d.add(this.CONSUME(Input));
      d.kind = d.add(this.CONSUME(Identifier, { LABEL: "kind" }));
      d.prompt = d.add(this.CONSUME(StringLiteral, { LABEL: "prompt" }));
      this.OPTION(() => this.SUBRULE(this.menuEntries));
      this.OPTION4(() => {
        d.add(this.CONSUME(In));
        d.currency = d.add(this.CONSUME2(Identifier, { LABEL: "currency" }));
      });
      this.OPTION2(() => {
        d.add(this.CONSUME(Within));
        d.within = d.add(this.CONSUME(NumberLiteral, { LABEL: "within" }));
      });
      this.OPTION3(() => this.SUBRULE(this.capture));
    },
  );

  public menuEntries = this.rule(
    "menuEntries",
    () => new MenuEntriesDraft(),
    (d) => {
      d.add(this.CONSUME(LBracket));
      this.OPTION(() => {
        d.strings.push(d.add(this.CONSUME(StringLiteral)));
        this.MANY(() => {
          d.add(this.CONSUME(Comma));
          d.strings.push(d.add(this.CONSUME2(StringLiteral)));
        });
      });
      d.add(this.CONSUME(RBracket));
    },
  );

  public capture = this.rule(
    "capture",
    () => new CaptureDraft(),
    (d) => {
      d.add(this.CONSUME(As));
      d.name = d.add(this.CONSUME(Name));
    },
  );

  public displayStep = this.rule(
    "displayStep",
    () => new DisplayDraft(),
    (d) => {
      d.add(this.CONSUME(Display));
      this.OR([
        { ALT: () => (d.idle = d.add(this.CONSUME(Idle))) },
        {
          ALT: () => {
            d.text = d.add(this.CONSUME(StringLiteral));
            this.OPTION(() => {
              d.add(this.CONSUME(For));
              d.for = d.add(this.CONSUME(NumberLiteral, { LABEL: "for" }));
            });
          },
        },
      ]);
    },
  );

  public payStep = this.rule(
    "payStep",
    () => new PayDraft(),
    (d) => {
      d.add(this.CONSUME(Pay));
      this.SUBRULE(this.expression, { LABEL: "amount" });
      this.OPTION(() => {
        d.add(this.CONSUME(Tip));
        d.tipped = true;
        this.SUBRULE2(this.expression, { LABEL: "tip" });
      });
      this.OPTION2(() => {
        d.add(this.CONSUME(Ref));
        d.ref = d.add(this.CONSUME(StringLiteral, { LABEL: "ref" }));
      });
      this.OPTION4(() => {
        d.add(this.CONSUME(With));
        d.with = d.add(this.CONSUME(Name, { LABEL: "acquisition" }));
      });
      this.OPTION5(() => {
        d.add(this.CONSUME(Within));
        d.within = d.add(this.CONSUME(NumberLiteral, { LABEL: "within" }));
      });
      this.OPTION3(() => this.SUBRULE(this.capture));
    },
  );

  /**
   * `refund sale (total / 2)`: a name, a space, then `(` right after `refund` is the payment and a
   * parenthesised amount; a call has its `(` right after the name (`split(total, 2)`).
   */
  private paymentBeforeParenthesis(): boolean {
    const name = this.LA(1);
    const paren = this.LA(2);
    return (
      tokenMatcher(name, Name) &&
      tokenMatcher(paren, LParen) &&
      paren.startOffset > name.startOffset + name.image.length
    );
  }

  public refundStep = this.rule(
    "refundStep",
    () => new RefundDraft(),
    (d) => {
      d.add(this.CONSUME(Refund));
      // `refund sale (total / 2)`: the payment, then an amount in parentheses, not a call of `sale`.
      this.OPTION3({
        GATE: () => this.paymentBeforeParenthesis(),
        DEF: () => {
          d.payment = d.add(this.CONSUME(Name, { LABEL: "payment" }));
        },
      });
      this.SUBRULE(this.expression, { LABEL: "subject" });
      // `as` and `on` are soft keywords, so they could start an expression: here they start the
      // capture and a handler.
      this.OPTION({
        GATE: () => d.payment === undefined && !tokenMatcher(this.LA(1), As) && !tokenMatcher(this.LA(1), On),
        DEF: () => this.SUBRULE2(this.expression, { LABEL: "amount" }),
      });
      this.OPTION2(() => this.SUBRULE(this.capture));
    },
  );

  public printStep = this.rule(
    "printStep",
    () => new PrintDraft(),
    (d) => {
      d.add(this.CONSUME(Print));
      this.OR([
        {
          ALT: () => {
            d.receipt = d.add(this.CONSUME(Identifier, { LABEL: "receipt" }));
            d.payment = d.add(this.CONSUME(Name, { LABEL: "payment" }));
            this.OPTION(() => (d.copy = d.add(this.CONSUME2(Identifier, { LABEL: "copy" }))));
          },
        },
        { ALT: () => this.AT_LEAST_ONE(() => d.lines.push(d.add(this.CONSUME(StringLiteral, { LABEL: "line" })))) },
      ]);
      this.OPTION2(() => this.SUBRULE(this.capture));
    },
  );

  public acquireStep = this.rule(
    "acquireStep",
    () => new AcquireDraft(),
    (d) => {
      d.add(this.CONSUME(Acquire));
      d.what = d.add(this.CONSUME(Name, { LABEL: "card" }));
      this.OPTION(() => {
        d.add(this.CONSUME(Within));
        d.within = d.add(this.CONSUME(NumberLiteral, { LABEL: "within" }));
      });
      this.OPTION2(() => this.SUBRULE(this.capture));
    },
  );

  public statusStep = this.rule(
    "statusStep",
    () => new StatusDraft(),
    (d) => {
      d.add(this.CONSUME(Status));
      d.payment = d.add(this.CONSUME(Name, { LABEL: "payment" }));
      this.OPTION(() => this.SUBRULE(this.capture));
    },
  );

  public callStep = this.rule(
    "callStep",
    () => new CallDraft(),
    (d) => {
      d.add(this.CONSUME(Call));
      d.path = d.add(this.CONSUME(StringLiteral, { LABEL: "flow" }));
      this.OPTION(() => {
        d.add(this.CONSUME(With));
        this.SUBRULE(this.callArgument);
        this.MANY(() => {
          d.add(this.CONSUME(Comma));
          this.SUBRULE2(this.callArgument);
        });
      });
      this.OPTION2(() => this.SUBRULE(this.capture));
    },
  );

  public callArgument = this.rule(
    "callArgument",
    () => new ArgumentDraft(),
    (d) => {
      d.name = d.add(this.CONSUME(Name, { LABEL: "param" }));
      d.add(this.CONSUME(Equals));
      this.SUBRULE(this.expression, { LABEL: "value" });
    },
  );

  public waitStep = this.rule(
    "waitStep",
    () => new WaitDraft(),
    (d) => {
      d.add(this.CONSUME(Wait));
      d.duration = d.add(this.CONSUME(NumberLiteral, { LABEL: "duration" }));
    },
  );

  public expectStep = this.rule(
    "expectStep",
    () => new ExpectDraft(),
    (d) => {
      d.add(this.CONSUME(Expect));
      this.SUBRULE(this.expression);
    },
  );

  public ifStep: () => void = this.rule(
    "ifStep",
    () => new IfDraft(),
    (d) => {
      d.add(this.CONSUME(If));
      this.SUBRULE(this.expression);
      this.MANY(() => d.add(this.CONSUME(Newline)));
      this.SUBRULE(this.block, { LABEL: "then" });
      this.OPTION({
        // `}` then `else` on a later line still belongs to this `if`.
        GATE: () => this.elseFollows(),
        DEF: () => {
          this.MANY2(() => d.add(this.CONSUME2(Newline)));
          d.add(this.CONSUME(Else));
          this.OR([
            { ALT: () => this.SUBRULE(this.ifStep, { LABEL: "elseIf" }) },
            { ALT: () => this.SUBRULE2(this.block, { LABEL: "else" }) },
          ]);
        },
      });
    },
  );

  public forStep = this.rule(
    "forStep",
    () => new ForDraft(),
    (d) => {
      d.add(this.CONSUME(For));
      d.variable = d.add(this.CONSUME(Name, { LABEL: "variable" }));
      d.add(this.CONSUME(In));
      this.SUBRULE(this.expression, { LABEL: "over" });
      this.MANY(() => d.add(this.CONSUME(Newline)));
      this.SUBRULE(this.block, { LABEL: "body" });
    },
  );

  public repeatStep = this.rule(
    "repeatStep",
    () => new RepeatDraft(),
    (d) => {
      d.add(this.CONSUME(Repeat));
      this.SUBRULE(this.expression, { LABEL: "count" });
      d.add(this.CONSUME(Times));
      this.MANY(() => d.add(this.CONSUME(Newline)));
      this.SUBRULE(this.block, { LABEL: "body" });
    },
  );

  public block = this.rule(
    "block",
    () => new BlockDraft(),
    (d) => {
      d.add(this.CONSUME(LBrace));
      this.MANY(() =>
        this.OR([
          { ALT: () => d.separators.push(d.add(this.CONSUME(Separator))) },
          { ALT: () => this.SUBRULE(this.step) },
        ]),
      );
      d.add(this.CONSUME(RBrace));
    },
  );

  // ---- expressions: one rule per precedence level, loosest first ----------------------------

  public expression: () => void = this.rule(
    "expression",
    () => new OrDraft(),
    (d) => {
      this.SUBRULE(this.andExpression, { LABEL: "operands" });
      this.MANY(() => {
        d.add(this.CONSUME(Or));
        this.SUBRULE2(this.andExpression, { LABEL: "operands" });
      });
    },
  );

  public andExpression = this.rule(
    "andExpression",
    () => new AndDraft(),
    (d) => {
      this.SUBRULE(this.notExpression, { LABEL: "operands" });
      this.MANY(() => {
        d.add(this.CONSUME(And));
        this.SUBRULE2(this.notExpression, { LABEL: "operands" });
      });
    },
  );

  public notExpression: () => void = this.rule(
    "notExpression",
    () => new NotDraft(),
    (d) => {
      this.OR([
        {
          ALT: () => {
            d.not = d.add(this.CONSUME(Not));
            this.SUBRULE(this.notExpression);
          },
        },
        { ALT: () => this.SUBRULE(this.comparison) },
      ]);
    },
  );

  public comparison = this.rule(
    "comparison",
    () => new ComparisonDraft(),
    (d) => {
      this.SUBRULE(this.arithmetic, { LABEL: "left" });
      // A repetition, not an option: `a < b < c` parses whole so the draft can say comparisons do not chain.
      this.MANY({
        GATE: () => !tokenMatcher(this.LA(1), Greater) || OPERAND_STARTS.some((t) => tokenMatcher(this.LA(2), t)),
        DEF: () => {
          this.OR([
            { ALT: () => d.operators.push(d.add(this.CONSUME(EqualEqual, { LABEL: "operator" }))) },
            { ALT: () => d.operators.push(d.add(this.CONSUME(NotEqual, { LABEL: "operator" }))) },
            { ALT: () => d.operators.push(d.add(this.CONSUME(LessEqual, { LABEL: "operator" }))) },
            { ALT: () => d.operators.push(d.add(this.CONSUME(GreaterEqual, { LABEL: "operator" }))) },
            { ALT: () => d.operators.push(d.add(this.CONSUME(Less, { LABEL: "operator" }))) },
            { ALT: () => d.operators.push(d.add(this.CONSUME(Greater, { LABEL: "operator" }))) },
          ]);
          this.SUBRULE2(this.arithmetic, { LABEL: "right" });
        },
      });
    },
  );

  /** `+ - * /` and `..` in one rule: the draft orders them by precedence, so no rule per level. */
  public arithmetic = this.rule(
    "arithmetic",
    () => new ArithmeticDraft(),
    (d) => {
      this.SUBRULE(this.unary, { LABEL: "operands" });
      this.MANY(() => {
        this.OR([
          { ALT: () => d.operators.push(d.add(this.CONSUME(Plus, { LABEL: "operator" }))) },
          { ALT: () => d.operators.push(d.add(this.CONSUME(Minus, { LABEL: "operator" }))) },
          { ALT: () => d.operators.push(d.add(this.CONSUME(Star, { LABEL: "operator" }))) },
          { ALT: () => d.operators.push(d.add(this.CONSUME(Slash, { LABEL: "operator" }))) },
          { ALT: () => d.operators.push(d.add(this.CONSUME(DotDot, { LABEL: "operator" }))) },
        ]);
        this.SUBRULE2(this.unary, { LABEL: "operands" });
      });
    },
  );

  public unary: () => void = this.rule(
    "unary",
    () => new UnaryDraft(),
    (d) => {
      this.OR([
        {
          ALT: () => {
            d.add(this.CONSUME(Minus));
            d.minus = true;
            this.SUBRULE(this.unary);
          },
        },
        { ALT: () => this.SUBRULE(this.primary) },
      ]);
    },
  );

  public primary = this.rule(
    "primary",
    () => new PrimaryDraft(),
    (d) => {
      this.OR([
        {
          ALT: () => {
            d.number = d.add(this.CONSUME(NumberLiteral));
            this.OPTION(() =>
              this.OR2([
                { ALT: () => (d.percent = d.add(this.CONSUME(Percent))) },
                { ALT: () => (d.currency = d.add(this.CONSUME(Identifier, { LABEL: "currency" }))) },
              ]),
            );
          },
        },
        { ALT: () => (d.string = d.add(this.CONSUME(StringLiteral))) },
        { ALT: () => (d.boolean = d.add(this.CONSUME(True))) },
        { ALT: () => (d.boolean = d.add(this.CONSUME(False))) },
        {
          ALT: () => {
            d.add(this.CONSUME(LParen));
            this.SUBRULE(this.expression);
            d.add(this.CONSUME(RParen));
          },
        },
        { ALT: () => this.SUBRULE(this.reference) },
      ]);
    },
  );

  public reference = this.rule(
    "reference",
    () => new ReferenceDraft(),
    (d) => {
      d.head = d.add(this.CONSUME(Name));
      this.MANY(() => {
        d.add(this.CONSUME(Dot));
        d.fields.push(d.add(this.CONSUME(AnyWord, { LABEL: "fields" })));
      });
      this.OPTION(() => {
        d.add(this.CONSUME(LParen));
        d.call = true;
        this.OPTION2(() => {
          this.SUBRULE(this.expression, { LABEL: "args" });
          this.MANY2(() => {
            d.add(this.CONSUME(Comma));
            this.SUBRULE2(this.expression, { LABEL: "args" });
          });
        });
        d.add(this.CONSUME(RParen));
      });
    },
  );

  /**
   * The token type error recovery re-synchronises on. Chevrotain finds it by scanning forward from
   * the error for a token that may follow one of the rules being parsed; at the top level only the
   * end of the file may, so every error there scanned to the end: a file of broken lines took
   * quadratic time. The answer is the same without the scan. (Chevrotain internals, pinned ~11.2.)
   */
  findReSyncTokenType(): TokenType {
    const internals = this as unknown as RecoveryInternals;
    if (internals.flattenFollowSet().every((type) => type === EOF)) return EOF;
    return CHEVROTAIN_FIND_RESYNC.call(this);
  }

  /** True when the next tokens are new lines and then `else`. */
  private elseFollows(): boolean {
    for (let k = 1; ; k++) {
      const token: IToken = this.LA(k);
      if (tokenMatcher(token, Else)) return true;
      if (!tokenMatcher(token, Newline)) return false;
    }
  }

  /** True when the next tokens are new lines and then `on`: a handler of the step just read. */
  private handlerFollows(): boolean {
    for (let k = 1; ; k++) {
      const token: IToken = this.LA(k);
      if (tokenMatcher(token, On)) return true;
      if (!tokenMatcher(token, Newline)) return false;
    }
  }

  /** The innermost session or `{` block being parsed, for "close the session started at 2:1". */
  private openBlock(): OpenBlock | undefined {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const draft = this.open[i];
      if (!(draft instanceof SessionDraft) && !(draft instanceof BlockDraft)) continue;
      if (!Number.isFinite(draft.start) || !this.builder) return undefined;
      const at = this.builder.lines.position(draft.start);
      return {
        kind: draft instanceof SessionDraft ? "session" : "block",
        offset: at.offset,
        line: at.line,
        column: at.column,
      };
    }
    return undefined;
  }

  /** Where a token sits in the input (a binary search: tokens are in source order), or -1. */
  private indexOf(token: IToken): number {
    const input = this.tokens;
    const offset = token.startOffset;
    if (!Number.isFinite(offset)) return -1;
    let low = 0;
    let high = this.tokenCount - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = input[mid].startOffset;
      if (at < offset) low = mid + 1;
      else if (at > offset) high = mid - 1;
      else return input[mid] === token ? mid : -1;
    }
    return -1;
  }
}

/** The recovery methods of Chevrotain's parser that findReSyncTokenType builds on. */
interface RecoveryInternals {
  flattenFollowSet(): TokenType[];
  findReSyncTokenType(): TokenType;
}

const CHEVROTAIN_FIND_RESYNC = (EmbeddedActionsParser.prototype as unknown as RecoveryInternals).findReSyncTokenType;

let shared: FlowParser | undefined;

/**
 * The one parser instance, built on first use (so loading the language costs nothing until a flow
 * is parsed), with grammar validations off: tests build one with them on.
 */
export function flowParser(): FlowParser {
  shared ??= new FlowParser();
  return shared;
}

/** A parser with Chevrotain's grammar validations on, for tests and the diagram script. */
export function createValidatedFlowParser(): FlowParser {
  return new FlowParser({ validate: true });
}
