/**
 * fast-check arbitraries for random valid ASTs (language/ast.ts). "Valid" means every syntax can
 * write it: names are not reserved words, texts are as a parser would keep them (`5s`, `12.50`),
 * template parts are normalised (no empty text, no two texts in a row), waiting screens come in
 * REQUEST_TYPES order, menu entries exist exactly on menus. Spans are one dummy span.
 */
import fc from "fast-check";
import {
  ARITHMETIC_OPERATORS,
  FUNCTION_NAMES,
  INPUT_KINDS,
  PARAM_TYPES,
  REQUEST_TYPES,
  COMPARISON_OPERATORS,
  OUTCOMES,
  ANY_FAILURE,
  RECEIPT_COPIES,
  type AcquireStep,
  type Handler,
  type PrintStep,
  type RefundStep,
  type StatusStep,
  type Amount,
  type CallStep,
  type Currency,
  type DisplayStep,
  type Duration,
  type Expression,
  type Flow,
  type ForStep,
  type Identifier,
  type IfStep,
  type InputStep,
  type Literal,
  type MoneyLiteral,
  type Param,
  type PayStep,
  type Reference,
  type RepeatStep,
  type SessionStep,
  type Span,
  type Step,
  type StringLiteral,
  type Template,
  type TemplatePart,
  type WaitingScreen,
  type WaitStep,
  type ExpectStep,
} from "../../language/ast.js";
import { decimalOfText, divideDecimals, numberOfDecimal } from "../../language/decimal.js";
import { toMinorUnits } from "../../language/money.js";

/** The span every generated node carries. */
export const dummySpan: Span = {
  file: "random.flow",
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
};
const span = dummySpan;

/** Words that can never be a name (they start steps or are operators and literals). */
export const RESERVED_WORDS = [
  "session",
  "input",
  "display",
  "pay",
  "wait",
  "expect",
  "if",
  "else",
  "and",
  "or",
  "not",
  "true",
  "false",
];

const wordArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/);

/** A name for captures, params and reference heads. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("payment", "split", "tip_ok", "table", "rating", "first", "id", "ref", "as", "waiting"),
  wordArb.filter((w) => !RESERVED_WORDS.includes(w)),
);

const identifierArb = (names: fc.Arbitrary<string>): fc.Arbitrary<Identifier> =>
  names.map((name) => ({ kind: "identifier", name, span }));

/** A capture named by a step (`refund p`, `status p`, `with card`): a name without fields. */
const bareReferenceArb: fc.Arbitrary<Reference> = identifierArb(nameArb).map((name) => ({
  kind: "reference",
  name,
  fields: [],
  span,
}));

/** A reference: a name and a path of fields (any word, keywords too). */
export const referenceArb: fc.Arbitrary<Reference> = fc
  .record({ name: identifierArb(nameArb), fields: fc.array(identifierArb(wordArb), { maxLength: 2 }) })
  .map(({ name, fields }) => ({ kind: "reference", name, fields, span }));

/** Text with the characters that need escaping, and some that look like syntax. */
export const textArb: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("a", "b", "Z", " ", "1", ".", ":") },
    { weight: 2, arbitrary: fc.constantFrom('"', "\\", "\n", "\r", "\t", "$", "{", "}", "#", ";", "<", ">", "'") },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 12,
});

function templateOf(parts: TemplatePart[]): Template {
  const merged: TemplatePart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === "text" && part.value === "") continue;
    if (part.kind === "text" && last?.kind === "text")
      merged[merged.length - 1] = { kind: "text", value: last.value + part.value };
    else merged.push(part);
  }
  const value = merged
    .map((p) =>
      p.kind === "text" ? p.value : `\${${[p.ref.name.name, ...p.ref.fields.map((f) => f.name)].join(".")}}`,
    )
    .join("");
  return { kind: "template", value, parts: merged, span };
}

/** A string that may interpolate `${name.field}`. */
export const templateArb: fc.Arbitrary<Template> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: textArb.map((value): TemplatePart => ({ kind: "text", value })) },
      { weight: 1, arbitrary: referenceArb.map((ref): TemplatePart => ({ kind: "interpolation", ref })) },
    ),
    { maxLength: 4 },
  )
  .map(templateOf);

/** A plain string (flow name, session id). */
export const stringLiteralArb: fc.Arbitrary<StringLiteral> = textArb.map((value) => ({ kind: "string", value, span }));

/** A duration written in any of the three forms. */
export const durationArb: fc.Arbitrary<Duration> = fc
  .tuple(fc.integer({ min: 0, max: 3_600_000 }), fc.constantFrom("ms", "s", ""))
  .map(([n, unit]) => {
    if (unit === "s") return { kind: "duration", ms: n * 1000, text: `${n}s`, span };
    return { kind: "duration", ms: n, text: `${n}${unit}`, span };
  });

const amountTextArb = fc
  .tuple(
    fc.oneof(fc.constant("0"), fc.integer({ min: 1, max: 9_999_999 }).map(String)),
    fc.option(fc.stringMatching(/^[0-9]{1,4}$/)),
  )
  .map(([whole, fraction]) => (fraction === null ? whole : `${whole}.${fraction}`));

const amountArb = (currency: string): fc.Arbitrary<Amount> =>
  amountTextArb.map((text) => ({ kind: "amount", text, minor: toMinorUnits(text, currency) ?? null, span }));

/** A currency code: mostly real ones (with 0, 2 and 3 decimals), sometimes an unknown one. */
export const currencyArb: fc.Arbitrary<Currency> = fc
  .constantFrom("EUR", "USD", "JPY", "KWD", "GBP", "XYZ")
  .map((code) => ({ kind: "currency", code, span }));

const numberTextArb = fc
  .tuple(
    fc.oneof(fc.constant("0"), fc.integer({ min: 1, max: 999_999 }).map(String)),
    fc.option(fc.stringMatching(/^[0-9]{1,3}$/)),
  )
  .map(([whole, fraction]) => (fraction === null ? whole : `${whole}.${fraction}`));

/** `12.50 EUR`: an amount in any currency (its minor units as the front ends compute them). */
export const moneyArb: fc.Arbitrary<MoneyLiteral> = currencyArb.chain((currency) =>
  amountArb(currency.code).map((amount): MoneyLiteral => ({ kind: "money", amount, currency, span })),
);

/** `10%`, `-2.5%`: a percentage, the number it stands for computed as the front ends do. */
function percentOf(text: string): Literal {
  const decimal = decimalOfText(text.slice(0, -1));
  const value = decimal ? numberOfDecimal(divideDecimals(decimal, { units: 100n, scale: 0 })) : Number.NaN;
  return { kind: "number", value, text, span };
}

/** A literal as an expression (no sign: `-5` is a unary minus in expressions). */
export const literalArb: fc.Arbitrary<Literal> = fc.oneof(
  numberTextArb.map((text): Literal => ({ kind: "number", value: Number(text), text, span })),
  numberTextArb.map((text) => percentOf(`${text}%`)),
  fc.boolean().map((value): Literal => ({ kind: "boolean", value, span })),
  templateArb.map((value): Literal => ({ kind: "string-literal", value, span })),
  moneyArb,
);

/** A param default: a literal, numbers and percentages possibly negative. */
export const paramDefaultArb: fc.Arbitrary<Literal> = fc.oneof(
  literalArb,
  numberTextArb.map((t): Literal => ({ kind: "number", value: Number(`-${t}`), text: `-${t}`, span })),
  numberTextArb.map((t) => percentOf(`-${t}%`)),
);

/** An expression tree of bounded depth. */
export const expressionArb: fc.Arbitrary<Expression> = fc.letrec<{ expr: Expression }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    literalArb,
    referenceArb,
    fc
      .tuple(fc.constantFrom("not" as const, "-" as const), tie("expr"))
      .map(([operator, operand]): Expression => ({ kind: "unary", operator, operand, span })),
    fc
      .tuple(
        fc.constantFrom("and" as const, "or" as const, ...COMPARISON_OPERATORS, ...ARITHMETIC_OPERATORS),
        tie("expr"),
        tie("expr"),
      )
      .map(([operator, left, right]): Expression => ({ kind: "binary", operator, left, right, span })),
    fc
      .tuple(fc.oneof(fc.constantFrom(...FUNCTION_NAMES), nameArb), fc.array(tie("expr"), { maxLength: 3 }))
      .map(([name, args]): Expression => ({ kind: "call", callee: { kind: "identifier", name, span }, args, span })),
    fc.tuple(tie("expr"), tie("expr")).map(([from, to]): Expression => ({ kind: "range", from, to, span })),
  ),
})).expr;

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function withOptional<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const inputArb: fc.Arbitrary<InputStep> = fc
  .record({
    input: fc.constantFrom(...INPUT_KINDS),
    prompt: templateArb,
    entries: fc.array(templateArb, { maxLength: 4 }),
    currency: optional(currencyArb),
    within: optional(durationArb),
    as: optional(identifierArb(nameArb)),
  })
  .map(({ input, prompt, entries, currency, within, as }) =>
    withOptional<InputStep>({
      kind: "input",
      input,
      prompt,
      entries: input === "menu" ? entries : undefined,
      currency: input === "amount" ? currency : undefined,
      within,
      as,
      span,
    }),
  );

const displayArb: fc.Arbitrary<DisplayStep> = fc.oneof(
  fc.constant<DisplayStep>({ kind: "display", content: { kind: "idle", span }, span }),
  fc
    .record({ text: templateArb, for: optional(durationArb) })
    .map(({ text, for: f }) =>
      withOptional<DisplayStep>({ kind: "display", content: { kind: "text", text, span }, for: f, span }),
    ),
);

/** Written amounts of one currency (the YAML form's `{amount, currency, tip}`), or any expressions. */
const payArb: fc.Arbitrary<PayStep> = fc.oneof(
  currencyArb.chain((currency) =>
    fc
      .record({
        amount: amountArb(currency.code),
        tip: optional(amountArb(currency.code)),
        ref: optional(templateArb),
        with: optional(bareReferenceArb),
        within: optional(durationArb),
        as: optional(identifierArb(nameArb)),
      })
      .map(({ amount, tip, ref, with: card, within, as }) =>
        withOptional<PayStep>({
          kind: "pay",
          amount: { kind: "money", amount, currency, span },
          tip: tip ? { kind: "money", amount: tip, currency, span } : undefined,
          ref,
          with: card,
          within,
          as,
          span,
        }),
      ),
  ),
  fc
    .record({
      amount: expressionArb,
      tip: optional(expressionArb),
      ref: optional(templateArb),
      with: optional(bareReferenceArb),
      within: optional(durationArb),
      as: optional(identifierArb(nameArb)),
    })
    .map(({ amount, tip, ref, with: card, within, as }) =>
      withOptional<PayStep>({ kind: "pay", amount, tip, ref, with: card, within, as, span }),
    ),
);

/** `refund p`, `refund p <amount>`, `refund <amount>` (a lone name there is the payment: see the printer). */
const refundArb: fc.Arbitrary<RefundStep> = fc.oneof(
  fc
    .record({ payment: bareReferenceArb, amount: optional(expressionArb), as: optional(identifierArb(nameArb)) })
    .map(({ payment, amount, as }) => withOptional<RefundStep>({ kind: "refund", payment, amount, as, span })),
  fc
    .record({ amount: expressionArb, as: optional(identifierArb(nameArb)) })
    .map(({ amount, as }) => withOptional<RefundStep>({ kind: "refund", amount, as, span })),
);

/** `print receipt p [cashier]` or `print "line" ...`. */
const printArb: fc.Arbitrary<PrintStep> = fc
  .record({
    content: fc.oneof(
      fc
        .record({ payment: bareReferenceArb, copy: fc.constantFrom(...RECEIPT_COPIES) })
        .map(({ payment, copy }): PrintStep["content"] => ({ kind: "receipt", payment, copy, span })),
      fc
        .array(templateArb, { minLength: 1, maxLength: 3 })
        .map((lines): PrintStep["content"] => ({ kind: "lines", lines, span })),
    ),
    as: optional(identifierArb(nameArb)),
  })
  .map(({ content, as }) => withOptional<PrintStep>({ kind: "print", content, as, span }));

const acquireArb: fc.Arbitrary<AcquireStep> = fc
  .record({ within: optional(durationArb), as: optional(identifierArb(nameArb)) })
  .map(({ within, as }) => withOptional<AcquireStep>({ kind: "acquire", within, as, span }));

const statusArb: fc.Arbitrary<StatusStep> = fc
  .record({ payment: bareReferenceArb, as: optional(identifierArb(nameArb)) })
  .map(({ payment, as }) => withOptional<StatusStep>({ kind: "status", payment, as, span }));

/** `call "shared/tip.flow" with bill = <expr>, ... as t`. */
const callArb: fc.Arbitrary<CallStep> = fc
  .record({
    path: fc.stringMatching(/^(?:[a-z]{1,8}\/)?[a-z][a-z-]{0,8}\.flow(?:\.yaml)?$/),
    // Each param once: a YAML map cannot hold a key twice (the text form can, and checks say so).
    with: fc.uniqueArray(
      fc.record({ name: identifierArb(nameArb), value: expressionArb }).map(({ name, value }) => ({
        kind: "argument" as const,
        name,
        value,
        span,
      })),
      { maxLength: 3, selector: (arg) => arg.name.name },
    ),
    as: optional(identifierArb(nameArb)),
  })
  .map(({ path, with: args, as }) =>
    withOptional<CallStep>({ kind: "call", flow: { kind: "string", value: path, span }, with: args, as, span }),
  );

const waitArb: fc.Arbitrary<WaitStep> = durationArb.map((duration) => ({ kind: "wait", duration, span }));
const expectArb: fc.Arbitrary<ExpectStep> = expressionArb.map((condition) => ({ kind: "expect", condition, span }));

/** Waiting screens: a non-empty subset of the request types, in order; one shared timeout or one each. */
export const waitingArb: fc.Arbitrary<WaitingScreen[]> = fc
  .tuple(
    fc.subarray([...REQUEST_TYPES], { minLength: 1 }),
    durationArb,
    fc.array(durationArb, { minLength: 3, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([types, shared, each, same]) =>
    types.map((request, i) => ({ request, timeout: same ? shared : each[i], span })),
  );

/** `on <outcome> [retry n | use <expr>] { ... }`, any outcome (the checks, not the syntax, decide which fit). */
const handlerArb = (steps: fc.Arbitrary<Step[]>): fc.Arbitrary<Handler> =>
  fc
    .record({
      outcome: fc.constantFrom(...OUTCOMES, ANY_FAILURE),
      extra: fc.oneof(
        fc.constant(undefined),
        fc.integer({ min: 1, max: 3 }).map((count) => ({ retry: count })),
        expressionArb.map((use) => ({ use })),
      ),
      steps,
    })
    .map(({ outcome, extra, steps: body }) =>
      withOptional<Handler>({
        kind: "handler",
        outcome: { kind: "outcome", name: outcome, span },
        retry:
          extra && "retry" in extra
            ? { kind: "retry", count: extra.retry, text: String(extra.retry), span }
            : undefined,
        use: extra && "use" in extra ? extra.use : undefined,
        steps: body,
        span,
      }),
    );

/**
 * A request step with 0 to 2 handlers of different outcomes: YAML keys handlers by outcome, so a
 * second handler of one outcome (which never runs: a check error) has only the text form.
 */
const handledArb = (request: fc.Arbitrary<Step>, steps: fc.Arbitrary<Step[]>): fc.Arbitrary<Step> =>
  fc
    .tuple(request, fc.uniqueArray(handlerArb(steps), { maxLength: 2, selector: (h) => h.outcome.name }))
    .map(([step, handlers]) => {
      if (handlers.length === 0) return step;
      const { span: at, ...fields } = step;
      return { ...fields, handlers, span: at } as Step;
    });

/** Any step, sessions and ifs nested to a bounded depth. */
export const stepArb: fc.Arbitrary<Step> = fc.letrec<{ step: Step; steps: Step[] }>((tie) => ({
  step: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    inputArb,
    displayArb,
    payArb,
    refundArb,
    printArb,
    acquireArb,
    statusArb,
    callArb,
    handledArb(fc.oneof(inputArb, displayArb, payArb, refundArb, printArb, acquireArb, statusArb), tie("steps")),
    waitArb,
    expectArb,
    fc
      .record({ waiting: waitingArb, id: optional(templateArb), steps: tie("steps") })
      .map(({ waiting, id, steps }) => withOptional<SessionStep>({ kind: "session", waiting, id, steps, span })),
    fc
      .record({ condition: expressionArb, then: tie("steps"), else: optional(tie("steps")) })
      .map(({ condition, then, else: otherwise }) =>
        withOptional<IfStep>({ kind: "if", condition, then, else: otherwise, span }),
      ),
    fc
      .record({ variable: identifierArb(nameArb), over: expressionArb, steps: tie("steps") })
      .map(({ variable, over, steps }): ForStep => ({ kind: "for", variable, over, steps, span })),
    fc
      .record({ count: expressionArb, steps: tie("steps") })
      .map(({ count, steps }): RepeatStep => ({ kind: "repeat", count, steps, span })),
  ),
  steps: fc.array(tie("step"), { maxLength: 3 }),
})).step;

const paramArb: fc.Arbitrary<Param> = fc
  .record({
    name: identifierArb(nameArb),
    type: optional(fc.constantFrom(...PARAM_TYPES)),
    default: optional(paramDefaultArb),
  })
  .map(({ name, type, default: d }) =>
    withOptional<Param>({
      kind: "param",
      name,
      type: type ? { kind: "type", name: type, span } : undefined,
      default: d,
      span,
    }),
  );

/** A whole flow. */
export const flowArb: fc.Arbitrary<Flow> = fc
  .record({
    name: optional(stringLiteralArb),
    params: fc.array(paramArb, { maxLength: 3 }),
    steps: fc.array(stepArb, { maxLength: 5 }),
  })
  .map(({ name, params, steps }) => withOptional<Flow>({ kind: "flow", name, params, steps, span }));
