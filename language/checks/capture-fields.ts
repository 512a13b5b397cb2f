/**
 * What a capture (`as name`) holds, per step kind: THE table the checks resolve `name.field` against
 * and the runtime fills in. Change it here and both follow; the runtime must produce exactly these
 * values and fields, always present (empty string / 0 when the terminal gave nothing), so every
 * expression that checks clean can be evaluated.
 */
import type { InputKind, Step } from "../ast.js";

/** The types an expression value can have. */
export type ScalarType = "boolean" | "string" | "number";

/** One field of a record-valued capture (`payment.result`). */
export interface FieldSpec {
  type: ScalarType;
  description: string;
  /** The complete set of values the runtime produces, when the set is closed. */
  values?: readonly string[];
}

/** What `name` holds after `... as name`: a scalar, or a record with named fields. */
export interface CaptureSpec {
  type: ScalarType | "record";
  /** What the value means, for docs and messages (`a yes/no answer`). */
  description: string;
  /** The fields of a record; empty for scalars (`split.x` is an error). */
  fields: Readonly<Record<string, FieldSpec>>;
}

/**
 * `payment.result`: how a payment ended. `failed` is every other failure (see `errorCondition`);
 * `unknown`: the terminal's answer never came and status requests could not settle it.
 */
export const PAY_RESULTS = ["approved", "declined", "cancelled", "failed", "unknown"] as const;
export type PayResult = (typeof PAY_RESULTS)[number];

/** The value the runtime stores for `pay ... as payment`. Amounts are integer minor units. */
export interface PayCapture {
  result: PayResult;
  transactionId: string;
  amount: number;
  currency: string;
  declineReason: string;
  errorCondition: string;
}

const PAY_FIELDS: { readonly [K in keyof PayCapture]: FieldSpec } = {
  result: {
    type: "string",
    values: PAY_RESULTS,
    description: "how the payment ended: approved, declined, cancelled, failed or unknown",
  },
  transactionId: {
    type: "string",
    description: "the terminal's transaction id (POITransactionID), empty when none was given",
  },
  amount: {
    type: "number",
    description: "the authorised amount in minor units (AuthorizedAmount), 0 when nothing was authorised",
  },
  currency: { type: "string", description: "the ISO 4217 code of the payment" },
  declineReason: {
    type: "string",
    description: "why the payment was refused (AdditionalResponse refusalReason), empty otherwise",
  },
  errorCondition: {
    type: "string",
    description: "the nexo ErrorCondition of a failed payment (Refusal, Cancel, Busy, ...), empty otherwise",
  },
};

/** `pay ... as payment`. */
export const PAY_CAPTURE: CaptureSpec = { type: "record", description: "a payment result", fields: PAY_FIELDS };

/** `input <kind> ... as name`, per input kind. */
export const INPUT_CAPTURES: { readonly [K in InputKind]: CaptureSpec } = {
  confirm: { type: "boolean", description: "a yes/no answer (true when confirmed)", fields: {} },
  digits: { type: "string", description: "the digits entered, as a string", fields: {} },
  text: { type: "string", description: "the text entered", fields: {} },
  amount: { type: "number", description: "the amount entered, in minor units", fields: {} },
  phone: { type: "string", description: "the phone number entered, as a string", fields: {} },
  signature: { type: "boolean", description: "whether the shopper signed (true when signed)", fields: {} },
  menu: { type: "string", description: "the text of the chosen menu entry", fields: {} },
};

/** The capture a step makes with `as`, or undefined for steps that capture nothing. */
export function captureSpecOf(step: Step): CaptureSpec | undefined {
  if (step.kind === "pay") return PAY_CAPTURE;
  if (step.kind === "input") return Object.hasOwn(INPUT_CAPTURES, step.input) ? INPUT_CAPTURES[step.input] : undefined;
  return undefined;
}
