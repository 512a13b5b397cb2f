/**
 * What a capture (`as name`) holds, per step kind: THE table the checks resolve `name.field` against
 * and the runtime fills in. Change it here and both follow; the runtime must produce exactly these
 * values and fields, always present (empty string / 0 when the terminal gave nothing), so every
 * expression that checks clean can be evaluated.
 */
import type { InputKind, Step } from "../ast.js";
import type { Money } from "../money.js";
import { BOOLEAN, MONEY, STRING, type FieldSpec, type Type } from "../values/types.js";

export type { FieldSpec } from "../values/types.js";

/** What `name` holds after `... as name`: a scalar, or a record with named fields. */
export interface CaptureSpec {
  /** A scalar type, or a record type with its fields (`split.x` on a scalar is an error). */
  type: Type;
  /** What the value means, for docs and messages (`a yes/no answer`). */
  description: string;
}

/**
 * `payment.result`: how a payment ended. `failed` is every other failure (see `errorCondition`);
 * `unknown`: the terminal's answer never came and status requests could not settle it.
 */
export const PAY_RESULTS = ["approved", "declined", "cancelled", "failed", "unknown"] as const;
export type PayResult = (typeof PAY_RESULTS)[number];

/** The value the runtime stores for `pay ... as payment`. Amounts are money: integer minor units and a currency. */
export interface PayCapture {
  result: PayResult;
  transactionId: string;
  /** What the terminal authorised, tip included (AuthorizedAmount); zero unless approved. */
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
    description: "how the payment ended: approved, declined, cancelled, failed or unknown",
  },
  transactionId: {
    type: STRING,
    description: "the terminal's transaction id (POITransactionID), empty when none was given",
  },
  amount: {
    type: MONEY,
    description: "the authorised amount, tip included (AuthorizedAmount), zero when nothing was authorised",
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

/** The capture a step makes with `as`, or undefined for steps that capture nothing. */
export function captureSpecOf(step: Step): CaptureSpec | undefined {
  if (step.kind === "pay") return PAY_CAPTURE;
  if (step.kind === "input") return Object.hasOwn(INPUT_CAPTURES, step.input) ? INPUT_CAPTURES[step.input] : undefined;
  return undefined;
}
