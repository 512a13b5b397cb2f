/**
 * The field checks a terminal makes before it acts on a request. Each returns Adyen's wording
 * (`At SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq, field Currency: Missing`) or
 * undefined when the body is usable. Unknown extra fields are accepted, as real terminals do.
 */
import { fromWireAmount, isKnownCurrency } from "../language/index.js";
import { MAX_MENU_ENTRIES } from "./input-screens.js";

type Json = Record<string, unknown>;

const INPUT_COMMANDS = [
  "DecimalString",
  "DigitString",
  "GetAnyKey",
  "GetConfirmation",
  "GetFunctionKey",
  "GetMenuEntry",
  "Password",
  "SiteManager",
  "TextString",
];
const OUTPUT_FORMATS = ["BarCode", "MessageRef", "Text", "XHTML"];

/** The spec's values of the fields an answer repeats from its request (an answer holds no other). */
export const DEVICES = ["CashierDisplay", "CashierInput", "CustomerDisplay", "CustomerInput"];
/** PaymentData.PaymentType (TerminalAPI-v1.json, PaymentType). */
export const PAYMENT_TYPES = [
  "CashAdvance",
  "CashDeposit",
  "Completion",
  "FirstReservation",
  "Instalment",
  "IssuerInstalment",
  "Normal",
  "OneTimeReservation",
  "PaidOut",
  "Recurring",
  "Refund",
  "UpdateReservation",
];
export const INFO_QUALIFIES = [
  "CustomerAssistance",
  "Display",
  "Document",
  "Error",
  "Input",
  "POIReplication",
  "Receipt",
  "Sound",
  "Status",
  "Voucher",
];
export const DOCUMENT_QUALIFIERS = [
  "CashierReceipt",
  "CustomerReceipt",
  "Document",
  "Journal",
  "SaleReceipt",
  "Voucher",
];

/** `value` when it is one of `allowed`, else undefined: what an answer may repeat. */
export function known(allowed: readonly string[], value: unknown): string | undefined {
  return typeof value === "string" && allowed.includes(value) ? value : undefined;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

class Check {
  constructor(private readonly path: string) {}
  missing(field: string): string {
    return `At ${this.path}, field ${field}: Missing`;
  }
  invalid(field: string, why: string): string {
    return `At ${this.path}, field ${field}: ${why}`;
  }
  /** The sub-object at `field`, or the error text. */
  object(value: Json, field: string): Json | string {
    const v = value[field];
    if (v === undefined) return this.missing(field);
    return isObject(v) ? v : this.invalid(field, "Expected an object");
  }
  string(value: Json, field: string): string | undefined {
    const v = value[field];
    if (v === undefined) return this.missing(field);
    return typeof v === "string" && v.length > 0 ? undefined : this.invalid(field, "Expected a non-empty string");
  }
  /** A field that, when present, holds one of the spec's values. */
  oneOf(value: Json, field: string, allowed: readonly string[]): string | undefined {
    const v = value[field];
    if (v === undefined || known(allowed, v) !== undefined) return undefined;
    return this.invalid(field, `Unknown value ${JSON.stringify(v)} (${allowed.join(", ")})`);
  }
  at(field: string): Check {
    return new Check(`${this.path}.${field}`);
  }
}

function first(...checks: Array<() => string | undefined>): string | undefined {
  for (const c of checks) {
    const e = c();
    if (e) return e;
  }
  return undefined;
}

export function validateInput(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.InputRequest");
  const data = c.object(body, "InputData");
  if (typeof data === "string") return data;
  const d = c.at("InputData");
  const commandError = first(
    () => d.string(data, "InputCommand"),
    () => d.oneOf(data, "Device", DEVICES),
    () => d.oneOf(data, "InfoQualify", INFO_QUALIFIES),
  );
  if (commandError) return commandError;
  if (!INPUT_COMMANDS.includes(data.InputCommand as string)) {
    return d.invalid(
      "InputCommand",
      `Unknown value ${JSON.stringify(data.InputCommand)} (${INPUT_COMMANDS.join(", ")})`,
    );
  }
  if (
    data.MaxInputTime !== undefined &&
    (typeof data.MaxInputTime !== "number" || !Number.isInteger(data.MaxInputTime) || data.MaxInputTime < 0)
  ) {
    return d.invalid("MaxInputTime", "Expected a whole number of seconds");
  }
  if (body.DisplayOutput !== undefined) {
    if (!isObject(body.DisplayOutput)) return c.invalid("DisplayOutput", "Expected an object");
    const outputError = validateOutput(body.DisplayOutput, c.at("DisplayOutput"));
    if (outputError) return outputError;
    const menu = body.DisplayOutput.MenuEntry;
    if (menu !== undefined && !Array.isArray(menu))
      return c.at("DisplayOutput").invalid("MenuEntry", "Expected an array");
    if (Array.isArray(menu) && menu.length > MAX_MENU_ENTRIES) {
      return c.at("DisplayOutput").invalid("MenuEntry", `At most ${MAX_MENU_ENTRIES} entries, got ${menu.length}`);
    }
  }
  if (data.InputCommand === "GetMenuEntry") {
    const menu = isObject(body.DisplayOutput) ? body.DisplayOutput.MenuEntry : undefined;
    if (!Array.isArray(menu) || menu.length === 0) return c.at("DisplayOutput").missing("MenuEntry");
  }
  return undefined;
}

function validateOutput(output: Json, c: Check): string | undefined {
  const deviceError = first(
    () => c.oneOf(output, "Device", DEVICES),
    () => c.oneOf(output, "InfoQualify", INFO_QUALIFIES),
  );
  if (deviceError) return deviceError;
  const content = c.object(output, "OutputContent");
  if (typeof content === "string") return content;
  const cc = c.at("OutputContent");
  const format = content.OutputFormat;
  if (format === undefined) return cc.missing("OutputFormat");
  if (!OUTPUT_FORMATS.includes(format as string))
    return cc.invalid("OutputFormat", `Unknown value ${JSON.stringify(format)} (${OUTPUT_FORMATS.join(", ")})`);
  if (format === "MessageRef" || content.PredefinedContent !== undefined) {
    const predefined = cc.object(content, "PredefinedContent");
    if (typeof predefined === "string") return predefined;
    const e = cc.at("PredefinedContent").string(predefined, "ReferenceID");
    if (e) return e;
  }
  if (format === "Text" && content.OutputText !== undefined && !Array.isArray(content.OutputText)) {
    return cc.invalid("OutputText", "Expected an array");
  }
  return undefined;
}

export function validateDisplay(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.DisplayRequest");
  const outputs = body.DisplayOutput;
  if (outputs === undefined) return c.missing("DisplayOutput");
  if (!Array.isArray(outputs) || outputs.length === 0) return c.invalid("DisplayOutput", "Expected a non-empty array");
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i];
    if (!isObject(o)) return c.invalid(`DisplayOutput[${i}]`, "Expected an object");
    // Each OutputResult of the answer repeats them, and the spec requires both there.
    for (const field of ["Device", "InfoQualify"])
      if (o[field] === undefined) return c.at(`DisplayOutput[${i}]`).missing(field);
    const e = validateOutput(o, c.at(`DisplayOutput[${i}]`));
    if (e) return e;
    if (
      o.MinimumDisplayTime !== undefined &&
      (typeof o.MinimumDisplayTime !== "number" || o.MinimumDisplayTime < 0 || o.MinimumDisplayTime > 999)
    ) {
      return c.at(`DisplayOutput[${i}]`).invalid("MinimumDisplayTime", "Expected seconds from 0 to 999");
    }
  }
  return undefined;
}

function validateTransactionId(parent: Json, field: string, c: Check): string | undefined {
  const id = c.object(parent, field);
  if (typeof id === "string") return id;
  const ic = c.at(field);
  return first(
    () => ic.string(id, "TransactionID"),
    () => ic.string(id, "TimeStamp"),
    () =>
      Number.isNaN(Date.parse(id.TimeStamp as string))
        ? ic.invalid("TimeStamp", "Expected an ISO-8601 date-time")
        : undefined,
  );
}

export function validatePayment(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.PaymentRequest");
  const sale = c.object(body, "SaleData");
  if (typeof sale === "string") return sale;
  const saleError = validateTransactionId(sale, "SaleTransactionID", c.at("SaleData"));
  if (saleError) return saleError;
  const tx = c.object(body, "PaymentTransaction");
  if (typeof tx === "string") return tx;
  const amounts = c.at("PaymentTransaction").object(tx, "AmountsReq");
  if (typeof amounts === "string") return amounts;
  const ac = c.at("PaymentTransaction").at("AmountsReq");
  const currencyError = ac.string(amounts, "Currency");
  if (currencyError) return currencyError;
  const currency = amounts.Currency as string;
  if (!isKnownCurrency(currency)) return ac.invalid("Currency", `Unknown currency ${currency}`);
  // The answer repeats the PaymentType: one the spec does not know is refused, never echoed.
  if (isObject(body.PaymentData)) {
    const typeError = c.at("PaymentData").oneOf(body.PaymentData, "PaymentType", PAYMENT_TYPES);
    if (typeError) return typeError;
  }
  for (const field of ["RequestedAmount", "TipAmount", "CashBackAmount", "PaidAmount"]) {
    const v = amounts[field];
    if (v === undefined) {
      if (field === "RequestedAmount") return ac.missing(field);
      continue;
    }
    if (typeof v !== "number") return ac.invalid(field, `Expected a JSON number (like 12.5), got ${describeValue(v)}`);
    if (v < 0 || fromWireAmount(v, currency) === undefined) {
      return ac.invalid(field, `Expected a non-negative amount with at most the decimals of ${currency}`);
    }
  }
  return undefined;
}

/** A wrong-typed value for a message: `the string "1.24"`, `true`, `an object`. */
function describeValue(v: unknown): string {
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return String(v);
}

export function validateReversal(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.ReversalRequest");
  const original = c.object(body, "OriginalPOITransaction");
  if (typeof original === "string") return original;
  if (original.POITransactionID !== undefined) {
    const e = validateTransactionId(original, "POITransactionID", c.at("OriginalPOITransaction"));
    if (e) return e;
  }
  return c.string(body, "ReversalReason");
}

/** ServiceID and SaleID of a MessageReference, when present, are non-empty strings. */
function validateReferenceIds(ref: Json, c: Check): string | undefined {
  for (const field of ["ServiceID", "SaleID"])
    if (ref[field] !== undefined) {
      const e = c.string(ref, field);
      if (e) return e;
    }
  return undefined;
}

export function validateAbort(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.AbortRequest");
  const ref = c.object(body, "MessageReference");
  if (typeof ref === "string") return ref;
  return first(
    () => c.string(body, "AbortReason"),
    () => c.at("MessageReference").string(ref, "MessageCategory"),
    () => validateReferenceIds(ref, c.at("MessageReference")),
  );
}

export function validateTransactionStatus(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.TransactionStatusRequest");
  const ref = body.MessageReference;
  if (ref === undefined) return undefined;
  if (!isObject(ref)) return c.invalid("MessageReference", "Expected an object");
  const rc = c.at("MessageReference");
  return first(
    () => (ref.MessageCategory !== undefined ? rc.string(ref, "MessageCategory") : undefined),
    () => validateReferenceIds(ref, rc),
  );
}

export function validatePrint(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.PrintRequest");
  const output = c.object(body, "PrintOutput");
  if (typeof output === "string") return output;
  const pc = c.at("PrintOutput");
  return first(
    () => pc.string(output, "DocumentQualifier"),
    () => pc.oneOf(output, "DocumentQualifier", DOCUMENT_QUALIFIERS),
    () => validateOutput(output, pc),
  );
}

export function validateCardAcquisition(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.CardAcquisitionRequest");
  const sale = c.object(body, "SaleData");
  if (typeof sale === "string") return sale;
  const e = validateTransactionId(sale, "SaleTransactionID", c.at("SaleData"));
  if (e) return e;
  const tx = c.object(body, "CardAcquisitionTransaction");
  return typeof tx === "string" ? tx : undefined;
}

export function validateEnableService(body: Json): string | undefined {
  const c = new Check("SaleToPOIRequest.EnableServiceRequest");
  return first(
    () => c.string(body, "TransactionAction"),
    () => c.oneOf(body, "TransactionAction", ["AbortTransaction", "StartTransaction"]),
  );
}

export function validateAdmin(body: Json): string | undefined {
  return new Check("SaleToPOIRequest.AdminRequest").string(body, "ServiceIdentification");
}
