/** Request builders and answer readers for the simulator tests (kept independent of runtime/). */
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator } from "../../simulator/index.js";
import type { SimulatorAnswer, SimulatorOptions } from "../../simulator/index.js";

export const POIID = "V400m-324688179";
export const SALE_ID = "TestPOS";

type Json = Record<string, any>;

let counter = 0;
/** A fresh 10-character alphanumeric ServiceID. */
export function serviceId(): string {
  counter++;
  return `S${String(counter).padStart(9, "0")}`;
}

const CLASS: Record<string, [string, string]> = {
  AdminRequest: ["Service", "Admin"],
  PaymentRequest: ["Service", "Payment"],
  ReversalRequest: ["Service", "Reversal"],
  TransactionStatusRequest: ["Service", "TransactionStatus"],
  AbortRequest: ["Service", "Abort"],
  InputRequest: ["Device", "Input"],
  DisplayRequest: ["Device", "Display"],
  PrintRequest: ["Device", "Print"],
};

/** A request envelope for `bodyName`; `overrides` patch the header. */
export function request(bodyName: string, body: Json, overrides: Json = {}): Json {
  const [MessageClass, MessageCategory] = CLASS[bodyName] ?? ["Service", bodyName.replace(/Request$/, "")];
  return {
    SaleToPOIRequest: {
      MessageHeader: {
        ProtocolVersion: "3.0",
        MessageClass,
        MessageCategory,
        MessageType: "Request",
        ServiceID: serviceId(),
        SaleID: SALE_ID,
        POIID,
        ...overrides,
      },
      [bodyName]: body,
    },
  };
}

export const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64");

export type Operations = Partial<Record<"InputRequest" | "DisplayRequest" | "Payment", number>>;

export function begin(id: string, operations: Operations, overrides: Json = {}): Json {
  return request(
    "AdminRequest",
    {
      ServiceIdentification: b64({
        Session: { Id: id, Type: "Begin" },
        Operation: Object.entries(operations).map(([Type, ms]) => ({
          Type,
          Variant: "WaitingScreen",
          UserInterfaceData: { WaitingScreenTimeoutMs: ms },
        })),
      }),
    },
    overrides,
  );
}

export function end(id: string, overrides: Json = {}): Json {
  return request("AdminRequest", { ServiceIdentification: b64({ Session: { Id: id, Type: "End" } }) }, overrides);
}

export function confirmation(title: string, maxInputTime?: number, overrides: Json = {}, body = "Body"): Json {
  return request(
    "InputRequest",
    {
      DisplayOutput: {
        Device: "CustomerDisplay",
        InfoQualify: "Display",
        OutputContent: {
          OutputFormat: "Text",
          PredefinedContent: { ReferenceID: "GetConfirmation" },
          OutputText: [{ Text: title }, { Text: body }, { Text: "No" }, { Text: "Yes" }],
        },
      },
      InputData: {
        Device: "CustomerInput",
        InfoQualify: "Input",
        InputCommand: "GetConfirmation",
        ...(maxInputTime !== undefined ? { MaxInputTime: maxInputTime } : {}),
      },
    },
    overrides,
  );
}

/** A digits screen (GetDigit + DigitString). */
export function digits(title: string, maxInputTime: number, overrides: Json = {}): Json {
  return request(
    "InputRequest",
    {
      DisplayOutput: {
        Device: "CustomerDisplay",
        InfoQualify: "Display",
        OutputContent: {
          OutputFormat: "Text",
          PredefinedContent: { ReferenceID: "GetDigit" },
          OutputText: [{ Text: title }],
        },
      },
      InputData: {
        Device: "CustomerInput",
        InfoQualify: "Input",
        InputCommand: "DigitString",
        MaxInputTime: maxInputTime,
      },
    },
    overrides,
  );
}

export function menu(title: string, labels: string[], overrides: Json = {}): Json {
  return request(
    "InputRequest",
    {
      DisplayOutput: {
        Device: "CustomerDisplay",
        InfoQualify: "Display",
        OutputContent: {
          OutputFormat: "Text",
          PredefinedContent: { ReferenceID: "MenuButtons" },
          OutputText: [{ Text: title }],
        },
        MenuEntry: labels.map((l) => ({ OutputFormat: "Text", OutputText: [{ Text: l }] })),
      },
      InputData: { Device: "CustomerInput", InfoQualify: "Input", InputCommand: "GetMenuEntry", MaxInputTime: 60 },
    },
    overrides,
  );
}

export function display(text: string, minimumDisplayTime?: number, overrides: Json = {}): Json {
  return request(
    "DisplayRequest",
    {
      DisplayOutput: [
        {
          Device: "CustomerDisplay",
          InfoQualify: "Display",
          ...(minimumDisplayTime !== undefined ? { MinimumDisplayTime: minimumDisplayTime } : {}),
          OutputContent: { OutputFormat: "Text", OutputText: [{ Text: text }] },
        },
      ],
    },
    overrides,
  );
}

export function payment(amount: number, currency = "EUR", overrides: Json = {}, extra: Json = {}): Json {
  return request(
    "PaymentRequest",
    {
      SaleData: { SaleTransactionID: { TransactionID: `tx-${serviceId()}`, TimeStamp: "2026-01-01T00:00:00.000Z" } },
      PaymentTransaction: { AmountsReq: { Currency: currency, RequestedAmount: amount, ...extra } },
    },
    overrides,
  );
}

export function status(ofServiceId: string | undefined, overrides: Json = {}): Json {
  return request(
    "TransactionStatusRequest",
    {
      MessageReference: {
        MessageCategory: "Payment",
        SaleID: SALE_ID,
        ...(ofServiceId ? { ServiceID: ofServiceId } : {}),
      },
    },
    overrides,
  );
}

export function abort(ofServiceId: string, category = "Payment", overrides: Json = {}): Json {
  return request(
    "AbortRequest",
    {
      AbortReason: "MerchantAbort",
      MessageReference: { MessageCategory: category, SaleID: SALE_ID, ServiceID: ofServiceId },
    },
    overrides,
  );
}

export const sidOf = (req: Json): string => req.SaleToPOIRequest.MessageHeader.ServiceID;

/** The parsed response envelope's inner object (`SaleToPOIResponse`), failing loudly otherwise. */
export function inner(answer: SimulatorAnswer): Json {
  if ("dropped" in answer) throw new Error("answer was dropped");
  const parsed = JSON.parse(answer.body);
  if (!parsed.SaleToPOIResponse) throw new Error(`not a response: ${answer.body}`);
  return parsed.SaleToPOIResponse;
}

/** The `Response` object of an answer, whatever its body. */
export function responseOf(answer: SimulatorAnswer): Json {
  const root = inner(answer);
  const [name] = Object.keys(root).filter((k) => k !== "MessageHeader");
  const body = root[name];
  return body.Response ?? body.InputResult?.Response ?? body.OutputResult?.[0]?.Response;
}

/** A simulator on a manual virtual clock (time moves only when the test says). */
export function manualSim(options: SimulatorOptions = {}) {
  const clock = new VirtualClock();
  const sim = createSimulator({ clock, ...options });
  return { clock, sim, terminal: sim.terminal(POIID), t0: clock.now() };
}

/** Lets pending promise callbacks run without moving the clock. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
