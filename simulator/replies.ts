/**
 * The answers a terminal gives when it will not (or cannot) do what was asked: a Failure in the
 * request's own response body, or an EventNotification Reject when there is no usable body.
 */
import { buildResponseHeader, encodeAdditionalResponse } from "../protocol/index.js";
import type { ErrorCondition, MessageHeader, RequestBodyName, Response } from "../protocol/index.js";
import { REQUEST_CATEGORY, RESPONSE_BODY } from "../protocol/index.js";
import { DEVICES, DOCUMENT_QUALIFIERS, INFO_QUALIFIES, known } from "./validate.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** `Failure` with an ErrorCondition and form-encoded details (`message=...` or `errors=...`). */
export function failure(errorCondition: ErrorCondition, details: Record<string, string>): Response {
  return { Result: "Failure", ErrorCondition: errorCondition, AdditionalResponse: encodeAdditionalResponse(details) };
}

/**
 * The response body of `bodyName` carrying `response`, with the fields the spec requires filled
 * from the request where it has them (SaleData, DisplayOutput devices, DocumentQualifier).
 */
export function failureBody(bodyName: RequestBodyName, request: Json, response: Response, now: number): Json {
  switch (bodyName) {
    case "InputRequest": {
      const data = isObject(request.InputData) ? request.InputData : {};
      const body: Json = {
        InputResult: {
          Device: known(DEVICES, data.Device) ?? "CustomerInput",
          InfoQualify: known(INFO_QUALIFIES, data.InfoQualify) ?? "Input",
          Response: response,
        },
      };
      if (isObject(request.DisplayOutput)) {
        body.OutputResult = {
          Device: known(DEVICES, request.DisplayOutput.Device) ?? "CustomerDisplay",
          InfoQualify: known(INFO_QUALIFIES, request.DisplayOutput.InfoQualify) ?? "Display",
          Response: response,
        };
      }
      return body;
    }
    case "DisplayRequest": {
      const outputs =
        Array.isArray(request.DisplayOutput) && request.DisplayOutput.length > 0 ? request.DisplayOutput : [{}];
      return {
        OutputResult: outputs.map((o: unknown) => ({
          Device: (isObject(o) && known(DEVICES, o.Device)) || "CustomerDisplay",
          InfoQualify: (isObject(o) && known(INFO_QUALIFIES, o.InfoQualify)) || "Display",
          Response: response,
        })),
      };
    }
    case "PaymentRequest":
    case "CardAcquisitionRequest": {
      const sale = isObject(request.SaleData) ? request.SaleData : {};
      const saleTx = isObject(sale.SaleTransactionID) ? sale.SaleTransactionID : {};
      const timeStamp = new Date(now).toISOString();
      return {
        Response: response,
        SaleData: {
          SaleTransactionID: {
            TransactionID:
              typeof saleTx.TransactionID === "string" && saleTx.TransactionID ? saleTx.TransactionID : "unknown",
            TimeStamp:
              typeof saleTx.TimeStamp === "string" && !Number.isNaN(Date.parse(saleTx.TimeStamp))
                ? saleTx.TimeStamp
                : timeStamp,
          },
        },
        POIData: { POITransactionID: { TransactionID: "unknown", TimeStamp: timeStamp } },
      };
    }
    case "PrintRequest": {
      const output = isObject(request.PrintOutput) ? request.PrintOutput : {};
      return {
        DocumentQualifier: known(DOCUMENT_QUALIFIERS, output.DocumentQualifier) ?? "Document",
        Response: response,
      };
    }
    default:
      return { Response: response };
  }
}

/**
 * The full response message for a request: header echo plus one response body. The class and
 * category are the body's, a ProtocolVersion that is no version is the simulator's own, and a
 * ServiceID the spec would not allow is left out: a request refused
 * for its header must not get an answer a POS's generated client cannot read.
 */
export function responseMessage(header: MessageHeader, bodyName: RequestBodyName, body: Json): Json {
  const responseName = RESPONSE_BODY[bodyName] ?? bodyName.replace(/Request$/, "Response");
  const answer: MessageHeader = { ...buildResponseHeader(header), ...REQUEST_CATEGORY[bodyName] };
  if (typeof answer.ProtocolVersion !== "string") answer.ProtocolVersion = "3.0";
  if (typeof answer.ServiceID !== "string" || !/^.{1,10}$/.test(answer.ServiceID)) delete answer.ServiceID;
  return { SaleToPOIResponse: { MessageHeader: answer, [responseName]: body } };
}

/**
 * `{"SaleToPOIRequest":{"EventNotification":{"EventToNotify":"Reject",...}}}`: what Adyen answers when
 * it cannot read a request at all. `rejected` is the request text, returned Base64 as Adyen does.
 */
export function rejectNotification(
  details: string,
  rejected: string,
  now: number,
  header?: Partial<MessageHeader>,
  poiid?: string,
): Json {
  const eventHeader: Json = {
    ProtocolVersion: "3.0",
    MessageClass: "Event",
    MessageCategory: "Event",
    MessageType: "Notification",
    SaleID: typeof header?.SaleID === "string" && header.SaleID ? header.SaleID : "N/A",
    POIID: poiid || (typeof header?.POIID === "string" && header.POIID) || "N/A",
  };
  if (typeof header?.ServiceID === "string" && /^.{1,10}$/.test(header.ServiceID))
    eventHeader.ServiceID = header.ServiceID;
  return {
    SaleToPOIRequest: {
      MessageHeader: eventHeader,
      EventNotification: {
        TimeStamp: new Date(now).toISOString(),
        EventToNotify: "Reject",
        EventDetails: encodeAdditionalResponse({ message: details }),
        RejectedMessage: Buffer.from(rejected || "(empty request)", "utf8").toString("base64"),
      },
    },
  };
}
