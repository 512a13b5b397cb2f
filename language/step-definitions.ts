/**
 * The YAML form of a flow, described once. The YAML reader checks a document's shape against these
 * definitions (unknown key, wrong type, missing field, did-you-mean) and `yaml/json-schema.ts`
 * turns the same definitions into `schemas/flow.schema.json` for editors, so the two cannot drift.
 *
 * Only shape lives here. What a value means (is `5m` a duration? is `ERU` a currency?) is decided
 * by the reader and the checks, so both syntaxes report it with the same codes.
 */
import { INPUT_KINDS, PARAM_TYPES, RECEIPT_COPIES, REQUEST_TYPES, type HandlerOutcome, type StepKind } from "./ast.js";
import { DURATION_PATTERN } from "./duration.js";
import { HANDLER_OUTCOMES } from "./handlers.js";
import { LIMITS } from "./limits.js";
import { AMOUNT_PATTERN, CURRENCIES } from "./money.js";

/** The type of a YAML scalar as the core schema reads it. */
export type YamlScalarType = "string" | "number" | "boolean" | "null";

/** A JSON Schema fragment (draft-07); loose on purpose, it is only ever serialised. */
export type JsonSchema = { [key: string]: unknown };

/** What a scalar field holds. */
export interface ScalarKind {
  /** The scalar types the reader accepts; anything else is `wrong-type`. */
  accepts: readonly YamlScalarType[];
  /** For messages: "expected <expected>". */
  expected: string;
  /** The JSON Schema of the value (patterns and enums give editors errors and completion). */
  schema: JsonSchema;
}

const IDENTIFIER_SOURCE = "^[A-Za-z_][A-Za-z0-9_]*$";
const ANY_TEXT: readonly YamlScalarType[] = ["string", "number", "boolean"];

/** Every kind of scalar a field of the YAML form can hold. */
export const SCALARS = {
  text: {
    accepts: ANY_TEXT,
    expected: "a text",
    schema: { type: ["string", "number", "boolean"] },
  },
  string: {
    accepts: ANY_TEXT,
    expected: "a text",
    schema: { type: ["string", "number", "boolean"] },
  },
  name: {
    accepts: ["string"],
    expected: "a name like `split`",
    schema: { type: "string", pattern: IDENTIFIER_SOURCE },
  },
  duration: {
    accepts: ["number", "string"],
    expected: "a duration like `5s`, `250ms` or `5000`",
    schema: {
      anyOf: [
        { type: "integer", minimum: 0 },
        { type: "string", pattern: DURATION_PATTERN.source },
      ],
    },
  },
  amount: {
    accepts: ["string", "number"],
    expected: 'an amount like `"12.50"`',
    schema: {
      anyOf: [
        { type: "string", pattern: AMOUNT_PATTERN.source },
        { type: "number", minimum: 0 },
      ],
    },
  },
  currency: {
    accepts: ["string"],
    expected: "a currency code like `EUR`",
    schema: { type: "string", enum: [...CURRENCIES] },
  },
  expression: {
    accepts: ANY_TEXT,
    expected: "an expression like `split == true`",
    schema: { type: ["string", "boolean", "number"] },
  },
  "money-expression": {
    accepts: ["string", "number"],
    expected: "an amount like `12.50 EUR` or an expression like `total * 10%`",
    schema: { type: ["string", "number"] },
  },
  literal: {
    accepts: ["string", "number", "boolean", "null"],
    expected: "a default value (text, number, amount like `100.00 EUR`, true or false) or null",
    schema: { type: ["string", "number", "boolean", "null"] },
  },
  "param-type": {
    accepts: ["string"],
    expected: `a type (${PARAM_TYPES.join(", ")})`,
    schema: { enum: [...PARAM_TYPES] },
  },
  true: {
    accepts: ["boolean"],
    expected: "`true`",
    schema: { const: true },
  },
  "receipt-copy": {
    accepts: ["string"],
    expected: `a receipt (${RECEIPT_COPIES.join(", ")})`,
    schema: { enum: [...RECEIPT_COPIES] },
  },
  "retry-count": {
    // Any scalar, so `retry: forever` is told it is unbounded rather than of the wrong type.
    accepts: ["number", "string", "boolean"],
    expected: `a count like \`1\` (1 to ${LIMITS.retries})`,
    schema: { type: "integer", minimum: 1, maximum: LIMITS.retries },
  },
  "request-type": {
    accepts: ["string"],
    expected: `a request type (${REQUEST_TYPES.join(", ")})`,
    schema: { enum: [...REQUEST_TYPES] },
  },
} as const satisfies Record<string, ScalarKind>;

export type ScalarKindName = keyof typeof SCALARS;

/** The shape of a value in the YAML form. */
export type Shape =
  | { type: "scalar"; scalar: ScalarKindName }
  /** `minItems`: for the schema; the reader reports a shorter list itself, in the step's words. */
  | { type: "list"; items: Shape; expected: string; minItems?: number }
  | { type: "steps" }
  | { type: "params" }
  /** `with: {bill: total}`: a map of a called flow's param names to expressions. */
  | { type: "arguments" }
  | ObjectShape
  /** One of several shapes, told apart by the YAML node (scalar, map or list). */
  | { type: "either"; options: readonly Shape[] };

export interface ObjectShape {
  type: "object";
  /** For messages: "expected <expected>". */
  expected: string;
  /** Fields in their canonical order (the printer writes them in this order). */
  fields: Record<string, Field>;
  /** Exactly one of these keys must be present (`input: {confirm: ...}` or `{menu: ...}`...). */
  oneOf?: { keys: readonly string[]; what: string };
  /** At least this many keys. */
  minKeys?: number;
  /**
   * For the schema: at least one of these keys (`refund` needs `payment`, `amount` or both), and
   * keys that cannot go together (a handler's `retry` and `use`). The reader reports both itself,
   * in the step's words.
   */
  anyOf?: readonly string[];
  exclusive?: readonly string[];
  /** `field: other`: field is allowed only next to `other`, and `other` then needs it (`entries`/`menu`). */
  pairedWith?: Record<string, { key: string; requiredBy: boolean }>;
  /** Next to `key`, `field` takes a narrower shape (`amount` is a written amount next to `currency`). */
  narrowedBy?: { key: string; field: string; shape: Shape };
}

export interface Field {
  /** Hover text in editors; one sentence. */
  description: string;
  shape: Shape;
  required?: boolean;
}

const scalar = (name: ScalarKindName): Shape => ({ type: "scalar", scalar: name });
const STEPS: Shape = { type: "steps" };

/** The step keys of the YAML form, with what each one holds. Order is the documentation order. */
export interface StepDefinition {
  kind: StepKind;
  description: string;
  shape: Shape;
}

const WAITING_PER_TYPE: ObjectShape = {
  type: "object",
  expected: "a timeout per request type",
  minKeys: 1,
  fields: Object.fromEntries(
    REQUEST_TYPES.map((t) => [
      t,
      { description: `Waiting-screen timeout while a ${t} request runs.`, shape: scalar("duration") },
    ]),
  ),
};

/** What each input kind asks the shopper for: hover text. */
const INPUT_DESCRIPTIONS: Record<(typeof INPUT_KINDS)[number], string> = {
  confirm: "Ask a yes/no question; the capture is true or false.",
  digits: "Ask for digits; the capture is the text typed.",
  text: "Ask for a text; the capture is the text typed.",
  amount: "Ask for an amount; the capture is an amount in the input's `currency`.",
  phone: "Ask for a phone number; the capture is the text typed.",
  signature: "Ask for a signature; the capture is true once signed.",
  menu: "Show a menu (list its `entries`); the capture is the chosen entries.",
};

const INPUT_SHAPE: ObjectShape = {
  type: "object",
  expected: 'an input like `{confirm: "Split the bill?", as: split}`',
  fields: {
    ...Object.fromEntries(
      INPUT_KINDS.map((kind) => [kind, { description: INPUT_DESCRIPTIONS[kind], shape: scalar("text") }]),
    ),
    entries: {
      description: "The menu's entries, in order (only with `menu`).",
      shape: { type: "list", items: scalar("text"), expected: "a list of entries like `[Good, Bad]`" },
    },
    currency: {
      description: "The currency of the amount the shopper enters, e.g. `EUR` (only with `amount`).",
      shape: scalar("currency"),
    },
    within: { description: "The shopper's time limit (MaxInputTime), e.g. `30s`.", shape: scalar("duration") },
    as: { description: "Capture the shopper's answer under this name.", shape: scalar("name") },
  },
  oneOf: { keys: INPUT_KINDS, what: "an input kind" },
  pairedWith: { entries: { key: "menu", requiredBy: true }, currency: { key: "amount", requiredBy: false } },
};

const DISPLAY_SHAPE: Shape = {
  type: "either",
  options: [
    scalar("text"),
    {
      type: "object",
      expected: "a display like `{text: Thanks, for: 3s}` or `{idle: true}`",
      fields: {
        text: { description: "The text to show (write `{text: idle}` to show the word idle).", shape: scalar("text") },
        idle: { description: "Show the terminal's idle screen.", shape: scalar("true") },
        for: { description: "Minimum display time (MinimumDisplayTime), e.g. `3s`.", shape: scalar("duration") },
      },
      oneOf: { keys: ["text", "idle"], what: "`text` or `idle`" },
      pairedWith: { for: { key: "text", requiredBy: false } },
    },
  ],
};

/** Every step of the YAML form: a list item is a map with exactly one of these keys. */
export const STEP_DEFINITIONS: readonly StepDefinition[] = [
  {
    kind: "session",
    description: "A waiting-screen session: Admin Begin, the steps, Admin End.",
    shape: {
      type: "object",
      expected: "a session like `{waiting: 5s, steps: [...]}`",
      fields: {
        waiting: {
          description:
            "Waiting-screen timeout for every request type (`5s`), or one per type (`{input: 15s, display: 10s}`).",
          shape: { type: "either", options: [scalar("duration"), WAITING_PER_TYPE] },
          required: true,
        },
        on: {
          description: "With one `waiting` timeout: the request types that get the waiting screen (default: all).",
          shape: { type: "list", items: scalar("request-type"), expected: "a list like `[input, display]`" },
        },
        id: {
          description: "The session's Id on the wire, which may interpolate (`table-${table}`); made up when absent.",
          shape: scalar("text"),
        },
        steps: { description: "The steps run inside the session.", shape: STEPS, required: true },
      },
    },
  },
  {
    kind: "input",
    description: "Ask the shopper something on the terminal.",
    shape: INPUT_SHAPE,
  },
  {
    kind: "display",
    description: "Show a text (`display: Thanks`, `{text: Thanks, for: 3s}`) or the idle screen (`display: idle`).",
    shape: DISPLAY_SHAPE,
  },
  {
    kind: "pay",
    description:
      'Take a payment: `pay: 12.50 EUR` or `pay: share` when the amount is all, else `{amount: "12.50", currency: EUR, tip: "1.00", as: p}`.',
    shape: {
      type: "either",
      options: [
        scalar("money-expression"),
        {
          type: "object",
          expected: 'a payment like `{amount: "12.50", currency: EUR}` or `{amount: share}`',
          fields: {
            amount: {
              description:
                "The amount to pay: `12.50 EUR` or an expression like `total / guests`; " +
                'with `currency`, a written amount quoted to keep its decimals, `"12.50"`.',
              shape: scalar("money-expression"),
              required: true,
            },
            currency: {
              description: "ISO 4217 currency code of a written `amount` (and `tip`), e.g. `EUR`.",
              shape: scalar("currency"),
            },
            tip: {
              description:
                'Tip in the payment\'s currency: with `currency`, in major units (`"1.00"`); else an amount expression (`share * 10%`).',
              shape: scalar("money-expression"),
            },
            ref: { description: "Our transaction reference (made up when absent).", shape: scalar("text") },
            with: {
              description: "The card acquisition (`acquire: {as: card}`) this payment continues, e.g. `card`.",
              shape: scalar("name"),
            },
            within: {
              description:
                "Give up after this long, e.g. `90s`: AbortRequest, then TransactionStatus until the outcome is known.",
              shape: scalar("duration"),
            },
            as: { description: "Capture the payment's result under this name.", shape: scalar("name") },
          },
          narrowedBy: { key: "currency", field: "amount", shape: scalar("amount") },
        },
      ],
    },
  },
  {
    kind: "refund",
    description:
      'Refund a payment (`refund: p`, `{payment: p, amount: "5.00", currency: EUR}`) or an amount without one (`{amount: 5.00 EUR}`).',
    shape: {
      type: "either",
      options: [
        scalar("name"),
        {
          type: "object",
          expected: 'a refund like `{payment: p, amount: "5.00", currency: EUR, as: r}` or `{amount: 5.00 EUR}`',
          fields: {
            payment: {
              description: "The payment to refund (a `pay ... as p` capture): a ReversalRequest.",
              shape: scalar("name"),
            },
            amount: {
              description:
                "The amount: part of the payment (ReversedAmount), or without `payment` an unreferenced refund (PaymentType Refund).",
              shape: scalar("money-expression"),
            },
            currency: {
              description: "ISO 4217 currency code of a written `amount`, e.g. `EUR`.",
              shape: scalar("currency"),
            },
            as: { description: "Capture the refund's result under this name.", shape: scalar("name") },
          },
          minKeys: 1,
          anyOf: ["payment", "amount"],
          narrowedBy: { key: "currency", field: "amount", shape: scalar("amount") },
        },
      ],
    },
  },
  {
    kind: "print",
    description: 'Print a payment\'s receipt (`{receipt: p}`) or lines of text (`{lines: ["Table 7", "Thank you"]}`).',
    shape: {
      type: "object",
      expected: 'a print like `{receipt: p}` or `{lines: ["Table 7"]}`',
      fields: {
        receipt: {
          description: "The payment whose receipt to print (a `pay ... as p` capture).",
          shape: scalar("name"),
        },
        copy: {
          description: "Which receipt: `customer` (the default) or `cashier` (only with `receipt`).",
          shape: scalar("receipt-copy"),
        },
        lines: {
          description: "The lines of text to print, in order.",
          shape: {
            type: "list",
            items: scalar("text"),
            expected: 'a list of lines like `["Table 7", "Thank you"]`',
            minItems: 1,
          },
        },
        as: { description: "Capture the print's result under this name.", shape: scalar("name") },
      },
      oneOf: { keys: ["receipt", "lines"], what: "`receipt` or `lines`" },
      pairedWith: { copy: { key: "receipt", requiredBy: false } },
    },
  },
  {
    kind: "acquire",
    description:
      "Read the shopper's card before the amount is final (CardAcquisitionRequest): `{within: 30s, as: card}`; continue it with `pay: {..., with: card}`.",
    shape: {
      type: "object",
      expected: "a card acquisition like `{within: 30s, as: card}`",
      fields: {
        within: { description: "Give up after this long (AbortRequest), e.g. `30s`.", shape: scalar("duration") },
        as: { description: "Capture the card (brand, masked PAN, alias) under this name.", shape: scalar("name") },
      },
    },
  },
  {
    kind: "status",
    description:
      "Ask the terminal what became of a payment (TransactionStatusRequest): `status: p` or `{payment: p, as: s}`.",
    shape: {
      type: "either",
      options: [
        scalar("name"),
        {
          type: "object",
          expected: "a status request like `{payment: p, as: s}`",
          fields: {
            payment: {
              description: "The payment asked about (a `pay ... as p` capture).",
              shape: scalar("name"),
              required: true,
            },
            as: { description: "Capture the payment's outcome under this name.", shape: scalar("name") },
          },
        },
      ],
    },
  },
  {
    kind: "call",
    description:
      "Run another flow file (relative to this one) with values for its params, and capture what it captured: " +
      "`{flow: shared/tip.flow, with: {bill: total}, as: t}`, or `call: shared/tip.flow`.",
    shape: {
      type: "either",
      options: [
        scalar("text"),
        {
          type: "object",
          expected: "a call like `{flow: shared/tip.flow, with: {bill: total}, as: t}`",
          fields: {
            flow: {
              description: "The flow file to run, relative to this file: `shared/tip.flow`, `tip.flow.yaml`.",
              shape: scalar("text"),
              required: true,
            },
            with: {
              description:
                "A value for each param of the called flow: `{bill: total, guests: 2}` (values are expressions).",
              shape: { type: "arguments" },
            },
            as: {
              description: "Capture what the called flow captured under this name (`t.tip`).",
              shape: scalar("name"),
            },
          },
        },
      ],
    },
  },
  {
    kind: "wait",
    description: "Pause locally (no request), e.g. `2s`.",
    shape: scalar("duration"),
  },
  {
    kind: "expect",
    description: 'Fail the flow unless the expression holds, e.g. `payment.result == "approved"`.',
    shape: scalar("expression"),
  },
  {
    kind: "if",
    description: "Run `then` when the condition holds, else `else`.",
    shape: {
      type: "object",
      expected: "a condition like `{condition: split == true, then: [...]}`",
      fields: {
        condition: {
          description: "The expression to test, e.g. `split == true`.",
          shape: scalar("expression"),
          required: true,
        },
        then: { description: "Steps run when the condition holds.", shape: STEPS, required: true },
        else: { description: "Steps run otherwise.", shape: STEPS },
      },
    },
  },
  {
    kind: "for",
    description:
      "Run the steps once per item of a split or a range: `{each: share, in: split(total, guests), steps: [...]}`.",
    shape: {
      type: "object",
      expected: "a loop like `{each: share, in: split(total, guests), steps: [...]}`",
      fields: {
        each: { description: "The name of the item inside the loop.", shape: scalar("name"), required: true },
        in: {
          description: "What to loop over: `split(total, guests)` or a range like `1..guests`.",
          shape: scalar("expression"),
          required: true,
        },
        steps: { description: "The steps run for each item.", shape: STEPS, required: true },
      },
    },
  },
  {
    kind: "repeat",
    description: "Run the steps a whole number of times: `{times: 3, steps: [...]}`.",
    shape: {
      type: "object",
      expected: "a repeat like `{times: 3, steps: [...]}`",
      fields: {
        times: { description: "How many times, e.g. `3` or `guests`.", shape: scalar("expression"), required: true },
        steps: { description: "The steps to repeat.", shape: STEPS, required: true },
      },
    },
  },
];

/** What each `on` key handles: hover text. */
const OUTCOME_DESCRIPTIONS: Record<HandlerOutcome, string> = {
  declined: "When the payment is declined (the issuer refused it: Failure / Refusal and the like).",
  refused: "When the terminal refuses the refund.",
  cancelled: "When the shopper cancels (or an abort does).",
  timeout: "When the step runs out of time (`within`; an input's MaxInputTime).",
  failed: "When the terminal answers any other Failure.",
  failure: "When the step fails any way not handled above (never when a payment's outcome is unknown).",
};

/** One handler: its steps, or `{retry: 1, use: ..., steps: [...]}`. */
const HANDLER_SHAPE: Shape = {
  type: "either",
  options: [
    STEPS,
    {
      type: "object",
      expected: "a handler like `{retry: 1, steps: [...]}` or `{use: false}`",
      fields: {
        retry: {
          description: `Then try the step again, at most this many more times (1 to ${LIMITS.retries}).`,
          shape: scalar("retry-count"),
        },
        use: {
          description: "The input's answer when this happens, e.g. `false` (only on an input with `as`).",
          shape: scalar("expression"),
        },
        steps: { description: "The steps run when this happens.", shape: STEPS },
      },
      minKeys: 1,
      exclusive: ["retry", "use"],
    },
  ],
};

/**
 * `on:` next to a step's key: what happens when it fails, one key per outcome, in order (a
 * `failure` key goes last: it takes every outcome not named before it).
 */
export const HANDLERS_SHAPE: ObjectShape = {
  type: "object",
  expected: "handlers like `{declined: {retry: 1, steps: [...]}}`",
  fields: Object.fromEntries(
    HANDLER_OUTCOMES.map((o) => [o, { description: OUTCOME_DESCRIPTIONS[o], shape: HANDLER_SHAPE }]),
  ),
  minKeys: 1,
};

/** The object form of one handler. */
export const HANDLER_OBJECT_SHAPE = (HANDLER_SHAPE as { options: readonly Shape[] }).options[1] as ObjectShape;

/** A param written as a map: `total: {type: money, default: 100.00 EUR}`. */
export const PARAM_SHAPE: ObjectShape = {
  type: "object",
  expected: "a param like `{type: money, default: 100.00 EUR}`",
  fields: {
    type: { description: "The param's type: money, number, string or boolean.", shape: scalar("param-type") },
    default: { description: "The value when the caller gives none (it fixes the type).", shape: scalar("literal") },
  },
  minKeys: 1,
};

/** The top-level keys of a YAML flow. */
export const FLOW_SHAPE: ObjectShape = {
  type: "object",
  expected: "a flow like `{flow: Name, steps: [...]}`",
  fields: {
    flow: { description: "The flow's name.", shape: scalar("string") },
    params: {
      description:
        "Values the caller supplies (`--var name=value`): a default (`100.00 EUR`, `3`, `text`), " +
        "`{type: money}` or `{type: ..., default: ...}`, or null when the caller must.",
      shape: { type: "params" },
    },
    steps: { description: "The flow's steps, in order.", shape: STEPS, required: true },
  },
};

/** The pattern a name (capture, param) must match. */
export const IDENTIFIER_PATTERN = new RegExp(IDENTIFIER_SOURCE);

/** Step definitions by key. */
export const STEP_BY_KIND: ReadonlyMap<string, StepDefinition> = new Map(STEP_DEFINITIONS.map((d) => [d.kind, d]));
