/**
 * Builders for every request termflow sends, exactly in the shapes of docs/protocol.md ("Envelope",
 * "Waiting-screen session", "Bodies"). They take resolved values (interpolated text, minor units,
 * milliseconds): the runtime evaluates the flow, these only speak nexo.
 */
import type { InputKind, RequestType } from "../../language/index.js";
import { toWireAmount } from "../../language/index.js";
import {
  REQUEST_CATEGORY,
  encodeBase64Json,
  type AbortRequest,
  type AdminRequest,
  type CardAcquisitionRequest,
  type EnableServiceRequest,
  type PrintRequest,
  type ReversalRequest,
  type TransactionIdentification,
  type DisplayRequest,
  type InputCommand,
  type InputRequest,
  type MenuEntry,
  type MessageCategory,
  type OperationType,
  type PaymentRequest,
  type RequestBodies,
  type RequestBodyName,
  type SaleToPOIRequest,
  type SessionServiceIdentification,
  type TransactionStatusRequest,
} from "../../protocol/index.js";

/** Who is talking to whom, and the fresh ServiceID of this request. */
export interface HeaderFields {
  saleId: string;
  poiid: string;
  serviceId: string;
}

/** `{"SaleToPOIRequest": {"MessageHeader": {...}, "<Body>": {...}}}` with the header docs/protocol.md requires. */
export function envelope<K extends RequestBodyName>(
  body: K,
  content: RequestBodies[K],
  header: HeaderFields,
): SaleToPOIRequest<K> {
  const { MessageClass, MessageCategory } = REQUEST_CATEGORY[body];
  return {
    SaleToPOIRequest: {
      MessageHeader: {
        ProtocolVersion: "3.0",
        MessageClass,
        MessageCategory,
        MessageType: "Request",
        ServiceID: header.serviceId,
        SaleID: header.saleId,
        POIID: header.poiid,
      },
      [body]: content,
    },
  } as SaleToPOIRequest<K>;
}

// ---- sessions --------------------------------------------------------------------------------

/** Wire name of each request type in a session's Operation array. */
export const OPERATION_TYPE: { readonly [R in RequestType]: OperationType } = {
  input: "InputRequest",
  display: "DisplayRequest",
  payment: "Payment",
};

/** One waiting screen of a session: which request type gets it and for how long. */
export interface WaitingScreenSpec {
  request: RequestType;
  timeoutMs: number;
}

/** The Begin AdminRequest: Base64 of `{"Session":{"Id","Type":"Begin"},"Operation":[...]}`. */
export function sessionBeginRequest(id: string, waiting: readonly WaitingScreenSpec[]): AdminRequest {
  const identification: SessionServiceIdentification = {
    Session: { Id: id, Type: "Begin" },
    Operation: waiting.map((w) => ({
      Type: OPERATION_TYPE[w.request],
      Variant: "WaitingScreen",
      UserInterfaceData: { WaitingScreenTimeoutMs: w.timeoutMs },
    })),
  };
  return { ServiceIdentification: encodeBase64Json(identification) };
}

/** The End AdminRequest: same Id, no Operation. */
export function sessionEndRequest(id: string): AdminRequest {
  const identification: SessionServiceIdentification = { Session: { Id: id, Type: "End" } };
  return { ServiceIdentification: encodeBase64Json(identification) };
}

// ---- input -----------------------------------------------------------------------------------

/** The screen (PredefinedContent.ReferenceID) and InputCommand of each input kind (docs/protocol.md "Screens"). */
export const INPUT_SCREENS: { readonly [K in InputKind]: { referenceId: string; command: InputCommand } } = {
  confirm: { referenceId: "GetConfirmation", command: "GetConfirmation" },
  signature: { referenceId: "GetSignature", command: "GetConfirmation" },
  menu: { referenceId: "MenuButtons", command: "GetMenuEntry" },
  digits: { referenceId: "GetDigit", command: "DigitString" },
  phone: { referenceId: "GetPhoneNumber", command: "DigitString" },
  amount: { referenceId: "GetAmount", command: "DecimalString" },
  text: { referenceId: "GetText", command: "TextString" },
};

/** The labels of a confirmation's two buttons: left cancels, right confirms. */
export const CONFIRM_LABELS = { cancel: "No", confirm: "Yes" } as const;

/** At most this many menu entries fit a terminal's screen. */
export const MAX_MENU_ENTRIES = 15;

export interface InputSpec {
  kind: InputKind;
  prompt: string;
  /** Menu entries (menu only). */
  entries?: readonly string[];
  /** The shopper's time limit in milliseconds; sent as whole seconds (rounded up). */
  withinMs?: number;
}

/**
 * An InputRequest for one screen. The prompt is the screen's title; a confirmation gets the four
 * texts Adyen expects (title, body, cancel label, confirm label), a signature its two.
 */
export function inputRequest(spec: InputSpec): InputRequest {
  const screen = INPUT_SCREENS[spec.kind];
  const texts = screenTexts(spec);
  const request: InputRequest = {
    DisplayOutput: {
      Device: "CustomerDisplay",
      InfoQualify: "Display",
      OutputContent: {
        OutputFormat: "Text",
        PredefinedContent: { ReferenceID: screen.referenceId },
        OutputText: texts.map((Text) => ({ Text })),
      },
    },
    InputData: { Device: "CustomerInput", InfoQualify: "Input", InputCommand: screen.command },
  };
  if (spec.kind === "menu") {
    request.DisplayOutput!.MenuEntry = (spec.entries ?? [])
      .slice(0, MAX_MENU_ENTRIES)
      .map((text): MenuEntry => ({ OutputFormat: "Text", OutputText: [{ Text: text }] }));
  }
  if (spec.withinMs !== undefined) request.InputData.MaxInputTime = secondsOf(spec.withinMs);
  if (spec.kind === "amount") request.InputData.DefaultInputString = "0.00";
  return request;
}

function screenTexts(spec: InputSpec): string[] {
  if (spec.kind === "confirm") return [spec.prompt, "", CONFIRM_LABELS.cancel, CONFIRM_LABELS.confirm];
  if (spec.kind === "signature") return [spec.prompt, ""];
  return [spec.prompt];
}

// ---- display ---------------------------------------------------------------------------------

export type DisplaySpec = { kind: "text"; text: string; minimumMs?: number } | { kind: "idle" };

/** A DisplayRequest with one CustomerDisplay output; `idle` returns the terminal to its idle screen. */
export function displayRequest(spec: DisplaySpec): DisplayRequest {
  if (spec.kind === "idle") {
    return {
      DisplayOutput: [
        {
          Device: "CustomerDisplay",
          InfoQualify: "Display",
          OutputContent: { OutputFormat: "MessageRef", PredefinedContent: { ReferenceID: "Idle" } },
        },
      ],
    };
  }
  return {
    DisplayOutput: [
      {
        Device: "CustomerDisplay",
        InfoQualify: "Display",
        ResponseRequiredFlag: true,
        ...(spec.minimumMs !== undefined ? { MinimumDisplayTime: Math.min(999, secondsOf(spec.minimumMs)) } : {}),
        OutputContent: { OutputFormat: "Text", OutputText: [{ Text: spec.text }] },
      },
    ],
  };
}

// ---- payment, status, abort ------------------------------------------------------------------

export interface PaymentSpec {
  /** SaleTransactionID.TransactionID: the flow's `ref` or a generated one. */
  transactionId: string;
  /** ms since the epoch; sent as ISO-8601 UTC. */
  at: number;
  currency: string;
  /** Integer minor units. */
  amount: number;
  /** Integer minor units, in the same currency. */
  tip?: number;
  /** `Refund`: an unreferenced refund (money goes back to the card presented). */
  paymentType?: "Refund";
  /** The POITransactionID of the card acquisition this payment continues. */
  acquisition?: TransactionIdentification;
}

/** A PaymentRequest; amounts go on the wire as decimal major units built from their text, no float maths. */
export function paymentRequest(spec: PaymentSpec): PaymentRequest {
  return {
    SaleData: { SaleTransactionID: { TransactionID: spec.transactionId, TimeStamp: isoTimestamp(spec.at) } },
    PaymentTransaction: {
      AmountsReq: {
        Currency: spec.currency,
        RequestedAmount: toWireAmount(spec.amount, spec.currency),
        ...(spec.tip !== undefined ? { TipAmount: toWireAmount(spec.tip, spec.currency) } : {}),
      },
    },
    ...(spec.paymentType || spec.acquisition
      ? {
          PaymentData: {
            ...(spec.paymentType ? { PaymentType: spec.paymentType } : {}),
            ...(spec.acquisition ? { CardAcquisitionReference: spec.acquisition } : {}),
          },
        }
      : {}),
  };
}

// ---- refund, card acquisition, print -----------------------------------------------------------

export interface ReversalSpec {
  /** The payment's POITransactionID (TransactionID and TimeStamp), from its answer. */
  original: TransactionIdentification;
  /** The SaleID that made the payment. */
  saleId: string;
  /** Our reference of the refund and when it is sent (ms since the epoch). */
  transactionId: string;
  at: number;
  /** A partial refund: integer minor units in `currency`; absent refunds the whole payment. */
  amount?: number;
  currency: string;
}

/**
 * A referenced refund: the payment's POITransactionID and SaleID in OriginalPOITransaction, the
 * reason MerchantCancel, and for a partial refund ReversedAmount (with `currency=` in
 * SaleToAcquirerData, as Adyen's partial refund carries it).
 */
export function reversalRequest(spec: ReversalSpec): ReversalRequest {
  const saleData = {
    SaleTransactionID: { TransactionID: spec.transactionId, TimeStamp: isoTimestamp(spec.at) },
    ...(spec.amount !== undefined ? { SaleToAcquirerData: `currency=${spec.currency}` } : {}),
  };
  return {
    OriginalPOITransaction: { SaleID: spec.saleId, POITransactionID: spec.original },
    SaleData: saleData,
    ReversalReason: "MerchantCancel",
    ...(spec.amount !== undefined ? { ReversedAmount: toWireAmount(spec.amount, spec.currency) } : {}),
  };
}

/** Reads the shopper's card before the amount is final; `TokenRequestedType Customer` asks for the shopper's token. */
export function cardAcquisitionRequest(transactionId: string, at: number): CardAcquisitionRequest {
  return {
    SaleData: {
      SaleTransactionID: { TransactionID: transactionId, TimeStamp: isoTimestamp(at) },
      TokenRequestedType: "Customer",
    },
    CardAcquisitionTransaction: {},
  };
}

/**
 * Closes a card acquisition no payment continued, as the spec's TransactionAction says: the
 * terminal returns to idle and forgets the card.
 */
export function releaseAcquisitionRequest(): EnableServiceRequest {
  return { TransactionAction: "AbortTransaction" };
}

export type PrintSpec =
  | { kind: "receipt"; copy: "CustomerReceipt" | "CashierReceipt"; lines: readonly string[] }
  | { kind: "lines"; lines: readonly string[] };

/** A PrintRequest: a payment's receipt under its DocumentQualifier, or lines of text as a Document. */
export function printRequest(spec: PrintSpec): PrintRequest {
  return {
    PrintOutput: {
      DocumentQualifier: spec.kind === "receipt" ? spec.copy : "Document",
      ResponseMode: "PrintEnd",
      OutputContent: {
        OutputFormat: "Text",
        OutputText: spec.lines.map((Text) => ({ Text, EndOfLineFlag: true })),
      },
    },
  };
}

/** Asks for the outcome of the request `serviceId` (a payment by default) whose answer was lost. */
export function transactionStatusRequest(
  saleId: string,
  serviceId: string,
  category: MessageCategory = "Payment",
): TransactionStatusRequest {
  return { MessageReference: { MessageCategory: category, SaleID: saleId, ServiceID: serviceId } };
}

/** Aborts the running request `serviceId` (Payment or Input). */
export function abortRequest(saleId: string, serviceId: string, category: MessageCategory): AbortRequest {
  return {
    AbortReason: "MerchantAbort",
    MessageReference: { MessageCategory: category, SaleID: saleId, ServiceID: serviceId },
  };
}

/** ISO-8601 UTC with milliseconds and `:` separators (`2026-01-01T00:00:00.000Z`). */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole seconds for a nexo seconds field, never rounding a non-zero time down to nothing. */
function secondsOf(ms: number): number {
  return Math.max(ms > 0 ? 1 : 0, Math.ceil(ms / 1000));
}
