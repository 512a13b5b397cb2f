/**
 * What a capture (`as name`) holds, per step kind: THE table the checks resolve `name.field` against
 * and the runtime fills in. Change it here and both follow; the runtime must produce exactly these
 * values and fields, always present (empty string / 0 when the terminal gave nothing), so every
 * expression that checks clean can be evaluated.
 */
import type { CallStep, Flow, InputKind, Step } from "../ast.js";
import type { Money } from "../money.js";
import { BOOLEAN, MONEY, STRING, UNKNOWN, type FieldSpec, type Type } from "../values/types.js";

export type { FieldSpec } from "../values/types.js";

/** What the checks know of the flow a `call` step runs: the program loader (language/calls/) reads it. */
export interface CalledFlow {
  /** Its file name, as diagnostics show it (relative to the calling file's directory, joined). */
  file: string;
  flow: Flow;
  /** What `call ... as t` holds: a record of the called flow's captures, typed as its own checks type them. */
  captures: Type;
  /** What the called flow's own calls run. */
  calls: CallResolver;
}

/** The flow a `call` step runs, when the program loader followed it (not a missing file, nor a cycle). */
export type CallResolver = (step: CallStep) => CalledFlow | undefined;

/** What `name` holds after `... as name`: a scalar, or a record with named fields. */
export interface CaptureSpec {
  /** A scalar type, or a record type with its fields (`split.x` on a scalar is an error). */
  type: Type;
  /** What the value means, for docs and messages (`a yes/no answer`). */
  description: string;
}

/**
 * `payment.result`: how a payment ended. `partial`: approved for less than was asked (a partial
 * approval: `amount` is what the shopper paid, the rest is still to pay); `failed` is every other
 * failure (see `errorCondition`); `unknown`: the terminal's answer never came and status requests
 * could not settle it.
 */
export const PAY_RESULTS = ["approved", "partial", "declined", "cancelled", "failed", "unknown"] as const;
export type PayResult = (typeof PAY_RESULTS)[number];

/** The value the runtime stores for `pay ... as payment`. Amounts are money: integer minor units and a currency. */
export interface PayCapture {
  result: PayResult;
  transactionId: string;
  /** What the terminal authorised, tip included (AuthorizedAmount); zero unless approved or partial. */
  amount: Money;
  /** The tip the terminal reports (TipAmount); zero when none. */
  tip: Money;
  currency: string;
  declineReason: string;
  errorCondition: string;
}

const PAY_FIELDS: { readonly [K in keyof PayCapture]: FieldSpec } = {
  result: {
    type: STRING,
    values: PAY_RESULTS,
    description:
      "how the payment ended: approved, partial (approved for less than asked), declined, cancelled, failed or unknown",
  },
  transactionId: {
    type: STRING,
    description: "the terminal's transaction id (POITransactionID), empty when none was given",
  },
  amount: {
    type: MONEY,
    description:
      "the authorised amount, tip included (AuthorizedAmount): less than asked when partial, zero when nothing was authorised",
  },
  tip: {
    type: MONEY,
    description: "the tip the terminal authorised (TipAmount), zero when there was none",
  },
  currency: { type: STRING, description: "the ISO 4217 code of the payment" },
  declineReason: {
    type: STRING,
    description: "why the payment was refused (AdditionalResponse refusalReason), empty otherwise",
  },
  errorCondition: {
    type: STRING,
    description: "the nexo ErrorCondition of a failed payment (Refusal, Cancel, Busy, ...), empty otherwise",
  },
};

/** `pay ... as payment`; the analysis gives `amount` and `tip` the payment's currency where it is known. */
export const PAY_CAPTURE: CaptureSpec = {
  type: { kind: "record", description: "a payment result", fields: PAY_FIELDS },
  description: "a payment result",
};

/** `refund ... as r`: `refused` is the terminal's Failure (a declined payment, more than is left). */
export const REFUND_RESULTS = ["approved", "refused", "failed", "unknown"] as const;
export type RefundResult = (typeof REFUND_RESULTS)[number];

/** The value the runtime stores for `refund ... as r`. */
export interface RefundCapture {
  result: RefundResult;
  transactionId: string;
  /** What was refunded: ReversedAmount, the payment's amount for a full refund, or the refunded amount. Zero unless approved. */
  amount: Money;
  errorCondition: string;
  reason: string;
}

export const REFUND_CAPTURE: CaptureSpec = {
  type: {
    kind: "record",
    description: "a refund result",
    fields: {
      result: {
        type: STRING,
        values: REFUND_RESULTS,
        description: "how the refund ended: approved, refused, failed or unknown",
      },
      transactionId: { type: STRING, description: "the terminal's transaction id of the refund, empty when none" },
      amount: { type: MONEY, description: "the amount refunded, zero unless approved" },
      errorCondition: { type: STRING, description: "the nexo ErrorCondition of a refused refund, empty otherwise" },
      reason: {
        type: STRING,
        description: "why the terminal refused it (AdditionalResponse message), empty otherwise",
      },
    } satisfies { readonly [K in keyof RefundCapture]: FieldSpec },
  },
  description: "a refund result",
};

/** `acquire card ... as card`. */
export const ACQUIRE_RESULTS = ["acquired", "cancelled", "timeout", "failed"] as const;
export type AcquireResult = (typeof ACQUIRE_RESULTS)[number];

/** The value the runtime stores for `acquire card ... as card`: what a POS decides on before it charges. */
export interface AcquireCapture {
  result: AcquireResult;
  /** PaymentBrand (`mc`, `visa`), empty when no card was read. */
  brand: string;
  /** MaskedPan (`541333 **** 9999`). */
  maskedPan: string;
  /** The card's alias (AdditionalResponse `alias`): the same card gives the same alias, for loyalty. */
  alias: string;
  /** The shopper's token (PaymentToken.TokenValue / AdditionalResponse `tokenValue`), empty when none. */
  token: string;
  /** The shopper the terminal recognised (AdditionalResponse `shopperReference`), empty when none. */
  shopperReference: string;
}

export const ACQUIRE_CAPTURE: CaptureSpec = {
  type: {
    kind: "record",
    description: "a card acquisition",
    fields: {
      result: {
        type: STRING,
        values: ACQUIRE_RESULTS,
        description: "acquired, cancelled (by the shopper), timeout (`within` passed) or failed",
      },
      brand: { type: STRING, description: "the card's brand (PaymentBrand: mc, visa, ...), empty when none was read" },
      maskedPan: { type: STRING, description: "the masked card number (MaskedPan), empty when none was read" },
      alias: { type: STRING, description: "the card's alias, the same for every read of one card (loyalty)" },
      token: { type: STRING, description: "the shopper's token (TokenValue), empty when the terminal gave none" },
      shopperReference: {
        type: STRING,
        description: "the shopper the terminal recognised (shopperReference), empty when none",
      },
    } satisfies { readonly [K in keyof AcquireCapture]: FieldSpec },
  },
  description: "a card acquisition",
};

/** `print ... as r`. */
export const PRINT_RESULTS = ["printed", "failed"] as const;

export interface PrintCapture {
  result: (typeof PRINT_RESULTS)[number];
  errorCondition: string;
}

export const PRINT_CAPTURE: CaptureSpec = {
  type: {
    kind: "record",
    description: "a print result",
    fields: {
      result: { type: STRING, values: PRINT_RESULTS, description: "printed or failed" },
      errorCondition: { type: STRING, description: "the nexo ErrorCondition of a failed print, empty otherwise" },
    } satisfies { readonly [K in keyof PrintCapture]: FieldSpec },
  },
  description: "a print result",
};

/** `status p as s`: the payment's outcome, as `pay ... as p` gives it. */
export const STATUS_CAPTURE: CaptureSpec = {
  type: PAY_CAPTURE.type,
  description: "a payment's outcome (as `pay ... as p`)",
};

/** `input <kind> ... as name`, per input kind. */
export const INPUT_CAPTURES: { readonly [K in InputKind]: CaptureSpec } = {
  confirm: { type: BOOLEAN, description: "a yes/no answer (true when confirmed)" },
  digits: { type: STRING, description: "the digits entered, as a string (`number(x)` reads it as a number)" },
  text: { type: STRING, description: "the text entered" },
  amount: { type: MONEY, description: "the amount entered, in the input's currency (`in EUR`)" },
  phone: { type: STRING, description: "the phone number entered, as a string" },
  signature: { type: BOOLEAN, description: "whether the shopper signed (true when signed)" },
  menu: { type: STRING, description: "the text of the chosen menu entry" },
};

/**
 * The capture a step makes with `as`, or undefined for steps that capture nothing. What a `call`
 * captures is what its flow captured: `calls` (the program loader's, language/calls/) knows it;
 * without it, or for a call it could not follow, the record's fields are unknown.
 */
export function captureSpecOf(step: Step, calls?: CallResolver): CaptureSpec | undefined {
  if (step.kind === "call") {
    const called = calls?.(step);
    return called
      ? { type: called.captures, description: `what ${called.file} captured` }
      : { type: UNKNOWN, description: "what the called flow captured" };
  }
  if (step.kind === "pay") return PAY_CAPTURE;
  if (step.kind === "refund") return REFUND_CAPTURE;
  if (step.kind === "acquire") return ACQUIRE_CAPTURE;
  if (step.kind === "print") return PRINT_CAPTURE;
  if (step.kind === "status") return STATUS_CAPTURE;
  if (step.kind === "input") return Object.hasOwn(INPUT_CAPTURES, step.input) ? INPUT_CAPTURES[step.input] : undefined;
  return undefined;
}
