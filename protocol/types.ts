/**
 * The nexo (Adyen Terminal API) messages termflow sends and answers, shared by the runtime (which
 * builds requests and reads responses) and the simulator (which reads requests and builds responses).
 *
 * Field names and casing follow docs/protocol.md and Adyen's OpenAPI spec
 * (shared/reference/TerminalAPI-v1.json) exactly. Enumerations the spec closes but real terminals
 * extend (ErrorCondition, ReferenceID, ...) stay open strings. Amounts on the wire are decimal major
 * units (`12.5`); inside termflow they are integer minor units (see `money.ts`).
 */

export type MessageClass = "Service" | "Device" | "Event";
export type MessageType = "Request" | "Response" | "Notification";
export type MessageCategory =
  | "Admin"
  | "Payment"
  | "Reversal"
  | "TransactionStatus"
  | "Abort"
  | "Input"
  | "Display"
  | "Print"
  | "CardAcquisition"
  | "EnableService"
  | "Event"
  // Categories termflow does not send but may receive or be asked about.
  | (string & {});

export interface MessageHeader {
  ProtocolVersion?: string;
  MessageClass: MessageClass;
  MessageCategory: MessageCategory;
  MessageType: MessageType;
  /** 1-10 alphanumerics, unique per POIID within 48 h. */
  ServiceID?: string;
  DeviceID?: string;
  SaleID: string;
  POIID: string;
}

export type Result = "Success" | "Failure" | "Partial";

/** Kept open: real terminals send values the spec does not list. */
export type ErrorCondition =
  | "Aborted"
  | "Busy"
  | "Cancel"
  | "DeviceOut"
  | "InProgress"
  | "InsertedCard"
  | "InvalidCard"
  | "LoggedOut"
  | "MessageFormat"
  | "NotAllowed"
  | "NotFound"
  | "PaymentRestriction"
  | "Refusal"
  | "UnavailableDevice"
  | "UnavailableService"
  | "UnreachableHost"
  | "WrongPIN"
  | (string & {});

export interface Response {
  Result: Result;
  ErrorCondition?: ErrorCondition;
  /** Form-encoded `k=v&k2=v2` or Base64 of a JSON object. */
  AdditionalResponse?: string;
}

export interface TransactionIdentification {
  TransactionID: string;
  /** ISO-8601 UTC. */
  TimeStamp: string;
}

// ---- Admin (waiting-screen sessions, scanning) -------------------------------------------------

export interface AdminRequest {
  /** Base64 of the UTF-8 JSON of a `ServiceIdentification` (see below). */
  ServiceIdentification?: string;
}

export interface AdminResponse {
  Response: Response;
}

/** The decoded content of AdminRequest.ServiceIdentification for waiting-screen sessions. */
export interface SessionServiceIdentification {
  Session: { Id: string; Type: "Begin" | "End" };
  /** Present on Begin only: one entry per request type that gets a waiting screen. */
  Operation?: WaitingScreenOperation[];
}

/** Wire names of the request types a session's Operation can list (note: `Payment`, not `PaymentRequest`). */
export type OperationType = "InputRequest" | "DisplayRequest" | "Payment";

export interface WaitingScreenOperation {
  Type: OperationType;
  Variant: "WaitingScreen";
  UserInterfaceData: { WaitingScreenTimeoutMs: number };
}

// ---- Display and Input -------------------------------------------------------------------------

export type Device = "CustomerDisplay" | "CustomerInput" | "CashierDisplay" | "CashierInput";
export type InfoQualify = "Display" | "Input" | "Status" | "Error" | (string & {});
export type OutputFormat = "Text" | "MessageRef" | "BarCode" | "XHTML";

export interface OutputText {
  Text: string;
  [extra: string]: unknown;
}

export interface PredefinedContent {
  /** `GetConfirmation`, `MenuButtons`, `GetDigit`, `Idle`, ...: open by design. */
  ReferenceID: string;
  Language?: string;
}

export interface OutputContent {
  OutputFormat: OutputFormat;
  PredefinedContent?: PredefinedContent;
  OutputText?: OutputText[];
  OutputXHTML?: string;
}

export interface MenuEntry {
  OutputFormat: OutputFormat;
  OutputText?: OutputText[];
  MenuEntryTag?: string;
  DefaultSelectedFlag?: boolean;
  PredefinedContent?: PredefinedContent;
}

export interface DisplayOutput {
  Device: Device;
  InfoQualify: InfoQualify;
  ResponseRequiredFlag?: boolean;
  /** Seconds. */
  MinimumDisplayTime?: number;
  OutputContent: OutputContent;
  MenuEntry?: MenuEntry[];
}

export interface DisplayRequest {
  DisplayOutput: DisplayOutput[];
}

export interface OutputResult {
  Device: Device;
  InfoQualify: InfoQualify;
  Response: Response;
}

export interface DisplayResponse {
  /** One per DisplayOutput of the request. */
  OutputResult: OutputResult[];
}

export type InputCommand =
  | "GetConfirmation"
  | "GetMenuEntry"
  | "DigitString"
  | "DecimalString"
  | "TextString"
  | "GetAnyKey"
  | "GetFunctionKey"
  | "Password"
  | "SiteManager";

export interface InputData {
  Device: Device;
  InfoQualify: InfoQualify;
  InputCommand: InputCommand;
  /** Seconds. */
  MaxInputTime?: number;
  MinLength?: number;
  MaxLength?: number;
  MaxDecimalLength?: number;
  DefaultInputString?: string;
  [extra: string]: unknown;
}

export interface InputRequest {
  DisplayOutput?: DisplayOutput;
  InputData: InputData;
}

export interface Input {
  InputCommand: InputCommand;
  ConfirmedFlag?: boolean;
  TextInput?: string;
  /** The spec says integer; read it as a string (leading zeros matter, see docs/protocol.md). */
  DigitInput?: string | number;
  FunctionKey?: number | string;
  Password?: string;
  /** Terminals send an array; a lone number is accepted on decode. */
  MenuEntryNumber?: number[] | number;
}

export interface InputResult {
  Device: Device;
  InfoQualify: InfoQualify;
  Response: Response;
  Input?: Input;
}

export interface InputResponse {
  InputResult: InputResult;
  OutputResult?: OutputResult;
}

// ---- Payment, reversal, status, abort ------------------------------------------------------------

export interface SaleData {
  SaleTransactionID: TransactionIdentification;
  SaleReferenceID?: string;
  SaleToAcquirerData?: string;
  [extra: string]: unknown;
}

export interface AmountsReq {
  Currency: string;
  /** Decimal major units on the wire. */
  RequestedAmount: number;
  TipAmount?: number;
  CashBackAmount?: number;
}

export interface PaymentTransaction {
  AmountsReq: AmountsReq;
  [extra: string]: unknown;
}

export interface PaymentData {
  /** `Refund` for an unreferenced refund; absent (Normal) for a payment. */
  PaymentType?: "Normal" | "Refund" | (string & {});
  /** The card acquisition this payment continues: the acquisition's POITransactionID. */
  CardAcquisitionReference?: TransactionIdentification;
  [extra: string]: unknown;
}

export interface PaymentRequest {
  SaleData: SaleData;
  PaymentTransaction: PaymentTransaction;
  PaymentData?: PaymentData;
}

export interface AmountsResp {
  Currency?: string;
  AuthorizedAmount: number;
  TipAmount?: number;
  [extra: string]: unknown;
}

export interface POIData {
  POITransactionID: TransactionIdentification;
  /** The spec says integer; real terminals send a string. */
  POIReconciliationID?: number | string;
}

export interface PaymentResult {
  PaymentType?: string;
  AmountsResp?: AmountsResp;
  PaymentInstrumentData?: {
    PaymentInstrumentType: string;
    CardData?: { PaymentBrand?: string; MaskedPan?: string; EntryMode?: string[]; [extra: string]: unknown };
    [extra: string]: unknown;
  };
  OnlineFlag?: boolean;
  [extra: string]: unknown;
}

export interface PaymentReceipt {
  DocumentQualifier: "CashierReceipt" | "CustomerReceipt" | (string & {});
  RequiredSignatureFlag?: boolean;
  OutputContent: OutputContent;
}

export interface PaymentResponse {
  Response: Response;
  SaleData: SaleData;
  POIData: POIData;
  PaymentResult?: PaymentResult;
  PaymentReceipt?: PaymentReceipt[];
}

export interface ReversalRequest {
  OriginalPOITransaction: {
    SaleID?: string;
    POIID?: string;
    POITransactionID?: TransactionIdentification;
    [extra: string]: unknown;
  };
  ReversalReason: "CustCancel" | "Malfunction" | "MerchantCancel" | "Unable2Compl";
  ReversedAmount?: number;
  SaleData?: SaleData;
}

export interface ReversalResponse {
  Response: Response;
  POIData?: POIData;
  ReversedAmount?: number;
  [extra: string]: unknown;
}

export interface MessageReference {
  MessageCategory?: MessageCategory;
  ServiceID?: string;
  SaleID?: string;
  POIID?: string;
  DeviceID?: string;
}

export interface TransactionStatusRequest {
  MessageReference?: MessageReference;
  ReceiptReprintFlag?: boolean;
  DocumentQualifier?: string[];
}

export interface RepeatedMessageResponse {
  MessageHeader: MessageHeader;
  RepeatedResponseMessageBody: { PaymentResponse?: PaymentResponse; ReversalResponse?: ReversalResponse };
}

export interface TransactionStatusResponse {
  Response: Response;
  MessageReference?: MessageReference;
  RepeatedMessageResponse?: RepeatedMessageResponse;
}

export interface AbortRequest {
  AbortReason: string;
  MessageReference: MessageReference;
}

export interface PrintRequest {
  PrintOutput: {
    DocumentQualifier: string;
    ResponseMode: string;
    OutputContent: OutputContent;
    [extra: string]: unknown;
  };
}

export interface PrintResponse {
  DocumentQualifier: string;
  Response: Response;
}

export interface CardAcquisitionRequest {
  SaleData: SaleData & { TokenRequestedType?: "Customer" | "Transaction" };
  CardAcquisitionTransaction: {
    /** The amount as far as it is known when the card is read (decimal major units). */
    TotalAmount?: number;
    [extra: string]: unknown;
  };
}

export interface CardAcquisitionResponse {
  Response: Response;
  SaleData?: SaleData;
  POIData?: POIData;
  PaymentBrand?: string[];
  PaymentInstrumentData?: PaymentResult["PaymentInstrumentData"];
  LoyaltyAccount?: unknown[];
  [extra: string]: unknown;
}

/**
 * Only AbortTransaction is sent: it closes a card acquisition no payment continues (the spec's
 * TransactionAction: "aborts a transaction started by a CardAcquisition, and not followed by a
 * service request from the Sale System to complete the transaction").
 */
export interface EnableServiceRequest {
  TransactionAction: "AbortTransaction" | "StartTransaction";
  DisplayOutput?: DisplayOutput;
}

export interface EnableServiceResponse {
  Response: Response;
}

export interface EventNotification {
  TimeStamp?: string;
  EventToNotify: "Reject" | (string & {});
  EventDetails?: string;
  /** Base64 of the rejected request. */
  RejectedMessage?: string;
  [extra: string]: unknown;
}

// ---- envelopes ---------------------------------------------------------------------------------

/** Request bodies by their key in the envelope. */
export interface RequestBodies {
  AdminRequest: AdminRequest;
  InputRequest: InputRequest;
  DisplayRequest: DisplayRequest;
  PaymentRequest: PaymentRequest;
  ReversalRequest: ReversalRequest;
  TransactionStatusRequest: TransactionStatusRequest;
  AbortRequest: AbortRequest;
  PrintRequest: PrintRequest;
  CardAcquisitionRequest: CardAcquisitionRequest;
  EnableServiceRequest: EnableServiceRequest;
}

/** Response bodies by their key in the envelope. */
export interface ResponseBodies {
  AdminResponse: AdminResponse;
  InputResponse: InputResponse;
  DisplayResponse: DisplayResponse;
  PaymentResponse: PaymentResponse;
  ReversalResponse: ReversalResponse;
  TransactionStatusResponse: TransactionStatusResponse;
  PrintResponse: PrintResponse;
  CardAcquisitionResponse: CardAcquisitionResponse;
  EnableServiceResponse: EnableServiceResponse;
}

export type RequestBodyName = keyof RequestBodies;
export type ResponseBodyName = keyof ResponseBodies;

/** A request envelope with exactly one body (typed by K). */
export type SaleToPOIRequest<K extends RequestBodyName = RequestBodyName> = {
  SaleToPOIRequest: { MessageHeader: MessageHeader } & { [P in K]: RequestBodies[P] };
};

/** A response envelope with exactly one body (typed by K). */
export type SaleToPOIResponse<K extends ResponseBodyName = ResponseBodyName> = {
  SaleToPOIResponse: { MessageHeader: MessageHeader } & { [P in K]: ResponseBodies[P] };
};

/** What a cloud endpoint may send instead of a response (EventNotification Reject). */
export interface SaleToPOIEventNotification {
  SaleToPOIRequest: { MessageHeader: MessageHeader; EventNotification: EventNotification };
}

/** The body names that map to each MessageCategory (docs/protocol.md's table). */
export const REQUEST_CATEGORY: {
  [K in RequestBodyName]: { MessageClass: MessageClass; MessageCategory: MessageCategory };
} = {
  AdminRequest: { MessageClass: "Service", MessageCategory: "Admin" },
  PaymentRequest: { MessageClass: "Service", MessageCategory: "Payment" },
  ReversalRequest: { MessageClass: "Service", MessageCategory: "Reversal" },
  TransactionStatusRequest: { MessageClass: "Service", MessageCategory: "TransactionStatus" },
  AbortRequest: { MessageClass: "Service", MessageCategory: "Abort" },
  InputRequest: { MessageClass: "Device", MessageCategory: "Input" },
  DisplayRequest: { MessageClass: "Device", MessageCategory: "Display" },
  PrintRequest: { MessageClass: "Device", MessageCategory: "Print" },
  CardAcquisitionRequest: { MessageClass: "Service", MessageCategory: "CardAcquisition" },
  EnableServiceRequest: { MessageClass: "Service", MessageCategory: "EnableService" },
};

/** `PaymentRequest` -> `PaymentResponse`; AbortRequest has no response body (HTTP 200, empty). */
export const RESPONSE_BODY: { [K in RequestBodyName]: ResponseBodyName | null } = {
  AdminRequest: "AdminResponse",
  PaymentRequest: "PaymentResponse",
  ReversalRequest: "ReversalResponse",
  TransactionStatusRequest: "TransactionStatusResponse",
  AbortRequest: null,
  InputRequest: "InputResponse",
  DisplayRequest: "DisplayResponse",
  PrintRequest: "PrintResponse",
  CardAcquisitionRequest: "CardAcquisitionResponse",
  EnableServiceRequest: "EnableServiceResponse",
};

/** Local-encryption envelope (docs/protocol.md "Local encryption"). */
export interface SecurityTrailer {
  AdyenCryptoVersion: number;
  KeyIdentifier: string;
  KeyVersion: number;
  /** Base64 of 16 random bytes. */
  Nonce: string;
  /** Base64 HMAC-SHA256 of the plaintext. */
  Hmac: string;
}

export interface EncryptedEnvelope {
  MessageHeader: MessageHeader;
  NexoBlob: string;
  SecurityTrailer: SecurityTrailer;
}
