/**
 * Reading a request envelope the way a terminal does: the top-level key, the MessageHeader, exactly
 * one body, the body's class and category, the ServiceID rules. Problems become answers, never throws.
 */
import type { MessageHeader, RequestBodyName } from "../protocol/index.js";
import { REQUEST_CATEGORY } from "../protocol/index.js";
import type { Channel } from "./types.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const SUPPORTED_BODIES = Object.keys(REQUEST_CATEGORY) as RequestBodyName[];

export type EnvelopeRead =
  | { kind: "ok"; header: MessageHeader; bodyName: RequestBodyName; body: Json }
  /** Not a nexo request at all: HTTP 400 with Adyen's `{"errors": [...]}`. */
  | { kind: "http-error"; status: number; errors: string[] }
  /** No usable body: an EventNotification Reject. */
  | { kind: "reject"; details: string; header?: Partial<MessageHeader>; bodyName?: string }
  /** A supported body with a bad header: Failure / MessageFormat in its response. */
  | { kind: "format"; header: MessageHeader; bodyName: RequestBodyName; body: Json; errors: string };

const REQUIRED_HEADER_FIELDS = ["MessageClass", "MessageCategory", "MessageType", "SaleID", "POIID"] as const;

export function readEnvelope(value: unknown, channel: Channel, pathPoiid?: string): EnvelopeRead {
  if (!isObject(value)) return { kind: "reject", details: "Input is not a JSONObject" };
  const inner = value.SaleToPOIRequest;
  if (!isObject(inner)) {
    const errors = ["At toplevel, field SaleToPOIRequest: Missing"];
    if ("SaleToPOIResponse" in value)
      errors.push("At toplevel, field SaleToPOIResponse: Unexpected (that is an answer, not a request)");
    return { kind: "http-error", status: 400, errors };
  }
  const rawHeader = inner.MessageHeader;
  if (!isObject(rawHeader)) return { kind: "reject", details: "At SaleToPOIRequest, field MessageHeader: Missing" };
  const header = rawHeader as unknown as MessageHeader;
  for (const field of REQUIRED_HEADER_FIELDS) {
    const v = rawHeader[field];
    if (typeof v !== "string" || v.length === 0) {
      return { kind: "reject", details: `At SaleToPOIRequest.MessageHeader, field ${field}: Missing`, header };
    }
  }
  const bodies = Object.keys(inner).filter((k) => k !== "MessageHeader");
  if (bodies.length === 0)
    return {
      kind: "reject",
      details: "At SaleToPOIRequest: no message body (PaymentRequest, InputRequest, ...)",
      header,
    };
  if (bodies.length > 1) {
    return {
      kind: "reject",
      details: `At SaleToPOIRequest: exactly one message body expected, got ${bodies.join(", ")}`,
      header,
    };
  }
  const bodyName = bodies[0];
  if ("NexoBlob" in inner || "SecurityTrailer" in inner) {
    return {
      kind: "reject",
      details: "At SaleToPOIRequest: encrypted message (NexoBlob) where a clear one was expected",
      header,
    };
  }
  if (!(SUPPORTED_BODIES as string[]).includes(bodyName)) {
    return {
      kind: "reject",
      details: `At SaleToPOIRequest, field ${bodyName}: not supported by the termflow simulator (supported: ${SUPPORTED_BODIES.join(", ")})`,
      header,
      bodyName,
    };
  }
  const name = bodyName as RequestBodyName;
  const body = inner[name];
  if (!isObject(body))
    return { kind: "reject", details: `At SaleToPOIRequest, field ${name}: Expected an object`, header, bodyName };
  const format = (errors: string): EnvelopeRead => ({ kind: "format", header, bodyName: name, body, errors });
  if (header.MessageType !== "Request") {
    return format(`At SaleToPOIRequest.MessageHeader, field MessageType: Expected Request, got ${header.MessageType}`);
  }
  const expected = REQUEST_CATEGORY[name];
  if (header.MessageCategory !== expected.MessageCategory) {
    return format(
      `At SaleToPOIRequest.MessageHeader, field MessageCategory: Expected ${expected.MessageCategory} for ${name}, got ${header.MessageCategory}`,
    );
  }
  if (header.MessageClass !== expected.MessageClass) {
    return format(
      `At SaleToPOIRequest.MessageHeader, field MessageClass: Expected ${expected.MessageClass} for ${name}, got ${header.MessageClass}`,
    );
  }
  const serviceId = rawHeader.ServiceID;
  if (serviceId === undefined) {
    if (expected.MessageClass === "Service")
      return format("At SaleToPOIRequest.MessageHeader, field ServiceID: Missing");
  } else if (typeof serviceId !== "string" || !/^.{1,10}$/.test(serviceId)) {
    return format(
      `At SaleToPOIRequest.MessageHeader, field ServiceID: Expected 1 to 10 characters, got ${JSON.stringify(serviceId)}`,
    );
  } else if (channel === "cloud" && !/^[A-Za-z0-9]+$/.test(serviceId)) {
    return format(
      `At SaleToPOIRequest.MessageHeader, field ServiceID: Only letters and digits are allowed on the cloud, got ${JSON.stringify(serviceId)}`,
    );
  }
  if (pathPoiid !== undefined && pathPoiid !== header.POIID) {
    return format(
      `At SaleToPOIRequest.MessageHeader, field POIID: ${header.POIID} differs from the device in the path, ${pathPoiid}`,
    );
  }
  return { kind: "ok", header, bodyName: name, body };
}
