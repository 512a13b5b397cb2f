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
  /** Chevrotain's error recovery (on unless false): without it, reading stops at the first error. */
  recovery?: boolean;
}

/**
 * Rules deep the parser follows before it stops reading: far fewer than exhaust Node's default
 * stack (about 1,000 did), far more than a flow within LIMITS needs (a parenthesis costs 6).
 */
const MAX_RULE_DEPTH = 300;

/**
 * The labels of CONSUME and SUBRULE: only the grammar's record (its diagrams) reads them. One object
 * each, not one a call.
 */
const LABEL = labels(
  "acquisition",
  "amount",
  "args",
  "body",
  "card",
  "copy",
  "count",
  "currency",
  "duration",
  "else",
  "elseIf",
  "fields",
  "flow",
  "for",
  "id",
  "kind",
  "left",
  "line",
  "operands",
  "operator",
  "outcome",
  "over",
  "param",
  "payment",
  "prompt",
  "receipt",
  "ref",
  "right",
  "subject",
  "then",
  "timeout",
  "tip",
  "type",
  "use",
  "value",
  "variable",
  "within",
);

function labels<K extends string>(...names: K[]): Record<K, { LABEL: string }> {
  const out = {} as Record<K, { LABEL: string }>;
  for (const name of names) out[name] = { LABEL: name };
  return out;
}

/** Rules whose invocations count toward LIMITS.stepDepth. */
function countsAsStep(draft: Draft<unknown>): boolean {
  return (
    draft instanceof SessionDraft ||
    draft instanceof IfDraft ||
    draft instanceof ForDraft ||
    draft instanceof RepeatDraft ||
    draft instanceof HandlerDraft
  );
}

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
      recoveryEnabled: options.recovery ?? true,
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
      return { flow: undefined, diagnostics: [], stopped: error, keptErrors: this.messages.keptErrors };
    } finally {
      // Chevrotain pads the input with EOF sentinels while parsing and may not have taken them off:
      // the caller gets its tokens back as given (a file with an error is parsed a second time).
      tokens.length = this.tokenCount;
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
   *
   * `define` runs once, when the grammar is defined, and returns the rule's body. The alternatives,
   * repetitions and options it hands Chevrotain are made there, once, and find the draft being
   * filled with `draft()` (the innermost open one): written inline in the body they were arrays,
   * objects and closures made anew at every rule invocation, most of what a parse allocated.
   */
  private rule<D extends Draft<unknown>>(
    name: string,
    make: () => D,
    define: (draft: () => D) => (draft: D) => void,
  ): () => void {
    const open = this.open;
    const body = define(() => open[open.length - 1] as D);
    const step = countsAsStep(make());
    return this.RULE(name, () => {
      const draft = make();
      if (this.RECORDING_PHASE) {
        open.push(draft);
        try {
          body(draft);
        } finally {
          open.pop();
        }
        return;
      }
      if (open.length >= MAX_RULE_DEPTH) {
        this.messages.stop();
        throw new ReadingStopped("too-deeply-nested", this.LA(1).startOffset);
      }
      if (step && ++this.stepDepth > LIMITS.stepDepth) draft.tooDeep = true;
      open.push(draft);
      try {
        body(draft);
      } finally {
        if (step) this.stepDepth--;
        open.pop();
        this.builder?.finish(draft);
        const parent = open[open.length - 1];
        if (parent) parent.addChild(draft);
        else if (draft instanceof FlowDraft) this.root = draft;
      }
    });
  }

  /** `%` or a currency after a number: alike in a param's default and in an expression. */
  private numberSuffixes(draft: () => LiteralDraft | PrimaryDraft) {
    return [
      {
        ALT: () => {
          const d = draft();
          d.percent = d.add(this.CONSUME(Percent));
        },
      },
      {
        ALT: () => {
          const d = draft();
          d.currency = d.add(this.CONSUME(Identifier, LABEL.currency));
        },
      },
    ];
  }

  /** A string, `true` or `false`: alike in a param's default and in an expression. */
  private stringsAndBooleans(draft: () => LiteralDraft | PrimaryDraft) {
    return [
      {
        ALT: () => {
          const d = draft();
          d.string = d.add(this.CONSUME(StringLiteral));
        },
      },
      {
        ALT: () => {
          const d = draft();
          d.boolean = d.add(this.CONSUME(True));
        },
      },
      {
        ALT: () => {
          const d = draft();
          d.boolean = d.add(this.CONSUME(False));
        },
      },
    ];
  }

  public flow = this.rule(
    "flow",
    () => new FlowDraft(),
    (draft) => {
      const separator = () => {
        const d = draft();
        d.separators.push(d.add(this.CONSUME(Separator)));
      };
      const flowName = () => this.SUBRULE(this.flowName);
      const head = [
        {
          ALT: () => {
            const d = draft();
            d.separators.push(d.add(this.CONSUME2(Separator)));
          },
        },
        { ALT: () => this.SUBRULE(this.param) },
      ];
      const headItem = () => this.OR(head);
      const statements = [
        {
          ALT: () => {
            const d = draft();
            d.separators.push(d.add(this.CONSUME3(Separator)));
          },
        },
        { ALT: () => this.SUBRULE(this.step) },
      ];
      const statement = () => this.OR2(statements);
      return () => {
        this.MANY(separator);
        this.OPTION(flowName);
        this.MANY2(headItem);
        this.MANY3(statement);
      };
    },
  );

  public flowName = this.rule(
    "flowName",
    () => new FlowNameDraft(),
    () => (d) => {
      d.add(this.CONSUME(Flow));
      d.string = d.add(this.CONSUME(StringLiteral));
    },
  );

  public param = this.rule(
    "param",
    () => new ParamDraft(),
    (draft) => {
      const type = () => {
        const d = draft();
        d.add(this.CONSUME(Colon));
        d.type = d.add(this.CONSUME(Identifier, LABEL.type));
      };
      const value = () => {
        draft().add(this.CONSUME(Equals));
        this.SUBRULE(this.literal);
      };
      return (d) => {
        d.add(this.CONSUME(Param));
        d.name = d.add(this.CONSUME(Name));
        this.OPTION(type);
        this.OPTION2(value);
      };
    },
  );

  public literal = this.rule(
    "literal",
    () => new LiteralDraft(),
    (draft) => {
      const minus = () => {
        const d = draft();
        d.minus = d.add(this.CONSUME(Minus));
      };
      const suffixes = this.numberSuffixes(draft);
      const suffix = () => this.OR2(suffixes);
      const literals = [
        ...this.stringsAndBooleans(draft),
        {
          ALT: () => {
            this.OPTION(minus);
            const d = draft();
            d.number = d.add(this.CONSUME(NumberLiteral));
            this.OPTION2(suffix);
          },
        },
      ];
      return () => this.OR(literals);
    },
  );

  public step = this.rule(
    "step",
    () => new StepDraft(),
    () => {
      const steps = [
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
      ];
      const newline = () => this.CONSUME(Newline);
      // `on declined { ... }` after the step, on its line or a later one: what happens when it fails.
      const handlers = {
        GATE: () => this.handlerFollows(),
        DEF: () => {
          this.MANY2(newline);
          this.SUBRULE(this.handler);
        },
      };
      return () => {
        this.OR(steps);
        this.MANY(handlers);
      };
    },
  );

  public handler: () => void = this.rule(
    "handler",
    () => new HandlerDraft(),
    (draft) => {
      const counts = [
        {
          ALT: () => {
            const d = draft();
            d.count = d.add(this.CONSUME(NumberLiteral, LABEL.count));
          },
        },
        {
          ALT: () => {
            const d = draft();
            d.count = d.add(this.CONSUME2(Name, LABEL.count));
          },
        },
      ];
      const count = () => this.OR2(counts);
      const actions = [
        {
          ALT: () => {
            const d = draft();
            d.retry = d.add(this.CONSUME(Retry));
            this.OPTION2(count);
          },
        },
        {
          ALT: () => {
            const d = draft();
            d.add(this.CONSUME(Use));
            d.uses = true;
            this.SUBRULE(this.expression, LABEL.use);
          },
        },
      ];
      const action = () => this.OR(actions);
      const body = () => this.SUBRULE(this.block, LABEL.body);
      return (d) => {
        d.add(this.CONSUME(On));
        d.outcome = d.add(this.CONSUME(Name, LABEL.outcome));
        this.OPTION(action);
        this.OPTION3(body);
      };
    },
  );

  public sessionStep = this.rule(
    "sessionStep",
    () => new SessionDraft(),
    (draft) => {
      const moreTypes = () => {
        draft().add(this.CONSUME(Comma));
        this.SUBRULE2(this.requestType);
      };
      const types = () => {
        const d = draft();
        d.add(this.CONSUME(On));
        d.on = true;
        this.SUBRULE(this.requestType);
        this.MANY(moreTypes);
      };
      const moreEntries = () => {
        draft().add(this.CONSUME2(Comma));
        this.SUBRULE2(this.waitingEntry);
      };
      const waiting = [
        {
          ALT: () => {
            const d = draft();
            d.timeout = d.add(this.CONSUME(NumberLiteral, LABEL.timeout));
            this.OPTION(types);
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.waitingEntry);
            this.MANY2(moreEntries);
          },
        },
      ];
      const id = () => {
        const d = draft();
        d.add(this.CONSUME(Id));
        d.id = d.add(this.CONSUME(StringLiteral, LABEL.id));
      };
      const newline = () => draft().add(this.CONSUME(Newline));
      const statements = [
        {
          ALT: () => {
            const d = draft();
            d.separators.push(d.add(this.CONSUME(Separator)));
          },
        },
        { ALT: () => this.SUBRULE(this.step) },
      ];
      const statement = () => this.OR2(statements);
      return (d) => {
        d.add(this.CONSUME(Session));
        d.add(this.CONSUME(Waiting));
        this.OR(waiting);
        this.OPTION2(id);
        this.MANY3(newline);
        d.add(this.CONSUME(Less));
        this.MANY4(statement);
        d.add(this.CONSUME(Greater));
      };
    },
  );

  public waitingEntry = this.rule(
    "waitingEntry",
    () => new WaitingEntryDraft(),
    () => (d) => {
      this.SUBRULE(this.requestType);
      d.timeout = d.add(this.CONSUME(NumberLiteral, LABEL.timeout));
    },
  );

  public requestType = this.rule(
    "requestType",
    () => new RequestTypeDraft(),
    (draft) => {
      const words = [
        {
          ALT: () => {
            const d = draft();
            d.word = d.add(this.CONSUME(Input));
          },
        },
        {
          ALT: () => {
            const d = draft();
            d.word = d.add(this.CONSUME(Display));
          },
        },
        {
          ALT: () => {
            const d = draft();
            d.word = d.add(this.CONSUME(Identifier));
          },
        },
      ];
      return () => this.OR(words);
    },
  );

  public inputStep = this.rule(
    "inputStep",
    () => new InputDraft(),
    (draft) => {
      const menu = () => this.SUBRULE(this.menuEntries);
      const currency = () => {
        const d = draft();
        d.add(this.CONSUME(In));
        d.currency = d.add(this.CONSUME2(Identifier, LABEL.currency));
      };
      const within = () => {
        const d = draft();
        d.add(this.CONSUME(Within));
        d.within = d.add(this.CONSUME(NumberLiteral, LABEL.within));
      };
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Input));
        d.kind = d.add(this.CONSUME(Identifier, LABEL.kind));
        d.prompt = d.add(this.CONSUME(StringLiteral, LABEL.prompt));
        this.OPTION(menu);
        this.OPTION4(currency);
        this.OPTION2(within);
        this.OPTION3(capture);
      };
    },
  );

  public menuEntries = this.rule(
    "menuEntries",
    () => new MenuEntriesDraft(),
    (draft) => {
      const more = () => {
        const d = draft();
        d.add(this.CONSUME(Comma));
        d.strings.push(d.add(this.CONSUME2(StringLiteral)));
      };
      const entries = () => {
        const d = draft();
        d.strings.push(d.add(this.CONSUME(StringLiteral)));
        this.MANY(more);
      };
      return (d) => {
        d.add(this.CONSUME(LBracket));
        this.OPTION(entries);
        d.add(this.CONSUME(RBracket));
      };
    },
  );

  public capture = this.rule(
    "capture",
    () => new CaptureDraft(),
    () => (d) => {
      d.add(this.CONSUME(As));
      d.name = d.add(this.CONSUME(Name));
    },
  );

  public displayStep = this.rule(
    "displayStep",
    () => new DisplayDraft(),
    (draft) => {
      const duration = () => {
        const d = draft();
        d.add(this.CONSUME(For));
        d.for = d.add(this.CONSUME(NumberLiteral, LABEL.for));
      };
      const contents = [
        {
          ALT: () => {
            const d = draft();
            d.idle = d.add(this.CONSUME(Idle));
          },
        },
        {
          ALT: () => {
            const d = draft();
            d.text = d.add(this.CONSUME(StringLiteral));
            this.OPTION(duration);
          },
        },
      ];
      return (d) => {
        d.add(this.CONSUME(Display));
        this.OR(contents);
      };
    },
  );

  public payStep = this.rule(
    "payStep",
    () => new PayDraft(),
    (draft) => {
      const tip = () => {
        const d = draft();
        d.add(this.CONSUME(Tip));
        d.tipped = true;
        this.SUBRULE2(this.expression, LABEL.tip);
      };
      const ref = () => {
        const d = draft();
        d.add(this.CONSUME(Ref));
        d.ref = d.add(this.CONSUME(StringLiteral, LABEL.ref));
      };
      const acquisition = () => {
        const d = draft();
        d.add(this.CONSUME(With));
        d.with = d.add(this.CONSUME(Name, LABEL.acquisition));
      };
      const within = () => {
        const d = draft();
        d.add(this.CONSUME(Within));
        d.within = d.add(this.CONSUME(NumberLiteral, LABEL.within));
      };
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Pay));
        this.SUBRULE(this.expression, LABEL.amount);
        this.OPTION(tip);
        this.OPTION2(ref);
        this.OPTION4(acquisition);
        this.OPTION5(within);
        this.OPTION3(capture);
      };
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
    (draft) => {
      // `refund sale (total / 2)`: the payment, then an amount in parentheses, not a call of `sale`.
      const payment = {
        GATE: () => this.paymentBeforeParenthesis(),
        DEF: () => {
          const d = draft();
          d.payment = d.add(this.CONSUME(Name, LABEL.payment));
        },
      };
      // `as` and `on` are soft keywords, so they could start an expression: here they start the
      // capture and a handler.
      const amount = {
        GATE: () => draft().payment === undefined && !tokenMatcher(this.LA(1), As) && !tokenMatcher(this.LA(1), On),
        DEF: () => this.SUBRULE2(this.expression, LABEL.amount),
      };
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Refund));
        this.OPTION3(payment);
        this.SUBRULE(this.expression, LABEL.subject);
        this.OPTION(amount);
        this.OPTION2(capture);
      };
    },
  );

  public printStep = this.rule(
    "printStep",
    () => new PrintDraft(),
    (draft) => {
      const copy = () => {
        const d = draft();
        d.copy = d.add(this.CONSUME2(Identifier, LABEL.copy));
      };
      const line = () => {
        const d = draft();
        d.lines.push(d.add(this.CONSUME(StringLiteral, LABEL.line)));
      };
      const contents = [
        {
          ALT: () => {
            const d = draft();
            d.receipt = d.add(this.CONSUME(Identifier, LABEL.receipt));
            d.payment = d.add(this.CONSUME(Name, LABEL.payment));
            this.OPTION(copy);
          },
        },
        { ALT: () => this.AT_LEAST_ONE(line) },
      ];
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Print));
        this.OR(contents);
        this.OPTION2(capture);
      };
    },
  );

  public acquireStep = this.rule(
    "acquireStep",
    () => new AcquireDraft(),
    (draft) => {
      const within = () => {
        const d = draft();
        d.add(this.CONSUME(Within));
        d.within = d.add(this.CONSUME(NumberLiteral, LABEL.within));
      };
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Acquire));
        d.what = d.add(this.CONSUME(Name, LABEL.card));
        this.OPTION(within);
        this.OPTION2(capture);
      };
    },
  );

  public statusStep = this.rule(
    "statusStep",
    () => new StatusDraft(),
    () => {
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Status));
        d.payment = d.add(this.CONSUME(Name, LABEL.payment));
        this.OPTION(capture);
      };
    },
  );

  public callStep = this.rule(
    "callStep",
    () => new CallDraft(),
    (draft) => {
      const more = () => {
        draft().add(this.CONSUME(Comma));
        this.SUBRULE2(this.callArgument);
      };
      const args = () => {
        draft().add(this.CONSUME(With));
        this.SUBRULE(this.callArgument);
        this.MANY(more);
      };
      const capture = () => this.SUBRULE(this.capture);
      return (d) => {
        d.add(this.CONSUME(Call));
        d.path = d.add(this.CONSUME(StringLiteral, LABEL.flow));
        this.OPTION(args);
        this.OPTION2(capture);
      };
    },
  );

  public callArgument = this.rule(
    "callArgument",
    () => new ArgumentDraft(),
    () => (d) => {
      d.name = d.add(this.CONSUME(Name, LABEL.param));
      d.add(this.CONSUME(Equals));
      this.SUBRULE(this.expression, LABEL.value);
    },
  );

  public waitStep = this.rule(
    "waitStep",
    () => new WaitDraft(),
    () => (d) => {
      d.add(this.CONSUME(Wait));
      d.duration = d.add(this.CONSUME(NumberLiteral, LABEL.duration));
    },
  );

  public expectStep = this.rule(
    "expectStep",
    () => new ExpectDraft(),
    () => (d) => {
      d.add(this.CONSUME(Expect));
      this.SUBRULE(this.expression);
    },
  );

  public ifStep: () => void = this.rule(
    "ifStep",
    () => new IfDraft(),
    (draft) => {
      const newline = () => draft().add(this.CONSUME(Newline));
      const newline2 = () => draft().add(this.CONSUME2(Newline));
      const elses = [
        { ALT: () => this.SUBRULE(this.ifStep, LABEL.elseIf) },
        { ALT: () => this.SUBRULE2(this.block, LABEL.else) },
      ];
      const otherwise = {
        // `}` then `else` on a later line still belongs to this `if`.
        GATE: () => this.elseFollows(),
        DEF: () => {
          this.MANY2(newline2);
          draft().add(this.CONSUME(Else));
          this.OR(elses);
        },
      };
      return (d) => {
        d.add(this.CONSUME(If));
        this.SUBRULE(this.expression);
        this.MANY(newline);
        this.SUBRULE(this.block, LABEL.then);
        this.OPTION(otherwise);
      };
    },
  );

  public forStep = this.rule(
    "forStep",
    () => new ForDraft(),
    (draft) => {
      const newline = () => draft().add(this.CONSUME(Newline));
      return (d) => {
        d.add(this.CONSUME(For));
        d.variable = d.add(this.CONSUME(Name, LABEL.variable));
        d.add(this.CONSUME(In));
        this.SUBRULE(this.expression, LABEL.over);
        this.MANY(newline);
        this.SUBRULE(this.block, LABEL.body);
      };
    },
  );

  public repeatStep = this.rule(
    "repeatStep",
    () => new RepeatDraft(),
    (draft) => {
      const newline = () => draft().add(this.CONSUME(Newline));
      return (d) => {
        d.add(this.CONSUME(Repeat));
        this.SUBRULE(this.expression, LABEL.count);
        d.add(this.CONSUME(Times));
        this.MANY(newline);
        this.SUBRULE(this.block, LABEL.body);
      };
    },
  );

  public block = this.rule(
    "block",
    () => new BlockDraft(),
    (draft) => {
      const statements = [
        {
          ALT: () => {
            const d = draft();
            d.separators.push(d.add(this.CONSUME(Separator)));
          },
        },
        { ALT: () => this.SUBRULE(this.step) },
      ];
      const statement = () => this.OR(statements);
      return (d) => {
        d.add(this.CONSUME(LBrace));
        this.MANY(statement);
        d.add(this.CONSUME(RBrace));
      };
    },
  );

  // ---- expressions: one rule per precedence level, loosest first ----------------------------

  public expression: () => void = this.rule(
    "expression",
    () => new OrDraft(),
    (draft) => {
      const more = () => {
        draft().add(this.CONSUME(Or));
        this.SUBRULE2(this.andExpression, LABEL.operands);
      };
      return () => {
        this.SUBRULE(this.andExpression, LABEL.operands);
        this.MANY(more);
      };
    },
  );

  public andExpression = this.rule(
    "andExpression",
    () => new AndDraft(),
    (draft) => {
      const more = () => {
        draft().add(this.CONSUME(And));
        this.SUBRULE2(this.notExpression, LABEL.operands);
      };
      return () => {
        this.SUBRULE(this.notExpression, LABEL.operands);
        this.MANY(more);
      };
    },
  );

  public notExpression: () => void = this.rule(
    "notExpression",
    () => new NotDraft(),
    (draft) => {
      const forms = [
        {
          ALT: () => {
            const d = draft();
            d.not = d.add(this.CONSUME(Not));
            this.SUBRULE(this.notExpression);
          },
        },
        { ALT: () => this.SUBRULE(this.comparison) },
      ];
      return () => this.OR(forms);
    },
  );

  public comparison = this.rule(
    "comparison",
    () => new ComparisonDraft(),
    (draft) => {
      const operator = (type: TokenType) => ({
        ALT: () => {
          const d = draft();
          d.operators.push(d.add(this.CONSUME(type, LABEL.operator)));
        },
      });
      const operators = [
        operator(EqualEqual),
        operator(NotEqual),
        operator(LessEqual),
        operator(GreaterEqual),
        operator(Less),
        operator(Greater),
      ];
      // A repetition, not an option: `a < b < c` parses whole so the draft can say comparisons do not chain.
      const more = {
        GATE: () => !tokenMatcher(this.LA(1), Greater) || OPERAND_STARTS.some((t) => tokenMatcher(this.LA(2), t)),
        DEF: () => {
          this.OR(operators);
          this.SUBRULE2(this.arithmetic, LABEL.right);
        },
      };
      return () => {
        this.SUBRULE(this.arithmetic, LABEL.left);
        this.MANY(more);
      };
    },
  );

  /** `+ - * /` and `..` in one rule: the draft orders them by precedence, so no rule per level. */
  public arithmetic = this.rule(
    "arithmetic",
    () => new ArithmeticDraft(),
    (draft) => {
      const operator = (type: TokenType) => ({
        ALT: () => {
          const d = draft();
          d.operators.push(d.add(this.CONSUME(type, LABEL.operator)));
        },
      });
      const operators = [operator(Plus), operator(Minus), operator(Star), operator(Slash), operator(DotDot)];
      const more = () => {
        this.OR(operators);
        this.SUBRULE2(this.unary, LABEL.operands);
      };
      return () => {
        this.SUBRULE(this.unary, LABEL.operands);
        this.MANY(more);
      };
    },
  );

  public unary: () => void = this.rule(
    "unary",
    () => new UnaryDraft(),
    (draft) => {
      const forms = [
        {
          ALT: () => {
            const d = draft();
            d.add(this.CONSUME(Minus));
            d.minus = true;
            this.SUBRULE(this.unary);
          },
        },
        { ALT: () => this.SUBRULE(this.primary) },
      ];
      return () => this.OR(forms);
    },
  );

  public primary = this.rule(
    "primary",
    () => new PrimaryDraft(),
    (draft) => {
      const suffixes = this.numberSuffixes(draft);
      const suffix = () => this.OR2(suffixes);
      const forms = [
        {
          ALT: () => {
            const d = draft();
            d.number = d.add(this.CONSUME(NumberLiteral));
            this.OPTION(suffix);
          },
        },
        ...this.stringsAndBooleans(draft),
        {
          ALT: () => {
            draft().add(this.CONSUME(LParen));
            this.SUBRULE(this.expression);
            draft().add(this.CONSUME(RParen));
          },
        },
        { ALT: () => this.SUBRULE(this.reference) },
      ];
      return () => this.OR(forms);
    },
  );

  public reference = this.rule(
    "reference",
    () => new ReferenceDraft(),
    (draft) => {
      const field = () => {
        const d = draft();
        d.add(this.CONSUME(Dot));
        d.fields.push(d.add(this.CONSUME(AnyWord, LABEL.fields)));
      };
      const moreArgs = () => {
        draft().add(this.CONSUME(Comma));
        this.SUBRULE2(this.expression, LABEL.args);
      };
      const args = () => {
        this.SUBRULE(this.expression, LABEL.args);
        this.MANY2(moreArgs);
      };
      const call = () => {
        const d = draft();
        d.add(this.CONSUME(LParen));
        d.call = true;
        this.OPTION2(args);
        d.add(this.CONSUME(RParen));
      };
      return (d) => {
        d.head = d.add(this.CONSUME(Name));
        this.MANY(field);
        this.OPTION(call);
      };
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
let withoutRecovery: FlowParser | undefined;

/**
 * The one parser instance, built on first use (so loading the language costs nothing until a flow
 * is parsed), with grammar validations off: tests build one with them on.
 */
export function flowParser(): FlowParser {
  shared ??= new FlowParser();
  return shared;
}

/**
 * A parser without error recovery, for a first try at a file: Chevrotain computes the follows that
 * recovery re-synchronises on only for a parser with it (about 70 M instructions at start-up). A
 * file it finds no error in parses the same with `flowParser()`; a file with one is parsed again
 * with that, so what users see of an error comes from the recovering parser.
 */
export function flowParserWithoutRecovery(): FlowParser {
  withoutRecovery ??= new FlowParser({ recovery: false });
  return withoutRecovery;
}

/** A parser with Chevrotain's grammar validations on, for tests and the diagram script. */
export function createValidatedFlowParser(): FlowParser {
  return new FlowParser({ validate: true });
}
