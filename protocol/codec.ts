/**
 * Small envelope helpers both sides of the wire use: response headers, AdditionalResponse in its two
 * encodings, and the Base64 JSON of AdminRequest.ServiceIdentification.
 */
import type { MessageHeader } from "./types.js";

/** The response header for a request header: an echo with `MessageType: "Response"`. */
export function buildResponseHeader(request: MessageHeader): MessageHeader {
  const header = { ...request, MessageType: "Response" } as MessageHeader;
  // The spec's ProtocolVersion is a string: a request's `3.0` (a JSON number, read as 3) is answered "3.0".
  const version: unknown = request.ProtocolVersion;
  if (typeof version === "number")
    header.ProtocolVersion = Number.isInteger(version) ? version.toFixed(1) : String(version);
  return header;
}

/** `{message: "Not enough balance"}` -> `message=Not+enough+balance` (Adyen's form encoding). */
export function encodeAdditionalResponse(fields: Record<string, string | number | boolean>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) params.append(k, String(v));
  return params.toString();
}

/**
 * AdditionalResponse in any form a terminal sends -> flat string fields: Base64 JSON or plain JSON
 * (Adyen's nested `additionalData` merged in, non-string values kept as their JSON text), or form
 * encoding `k=v&k2=v2`. Never throws: text that is none of these is `{raw: text}`.
 */
export function decodeAdditionalResponse(text: string | undefined): Record<string, string> {
  const trimmed = text?.trim();
  if (!trimmed) return {};
  const json = trimmed.startsWith("{") ? parseJsonObject(trimmed) : decodeBase64Json(trimmed);
  if (json.ok && isPlainObject(json.value)) return flattenFields(json.value);
  if (trimmed.includes("=")) {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(trimmed)) out[k] = v;
    return out;
  }
  return { raw: trimmed };
}

function parseJsonObject(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function flattenFields(json: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const { additionalData, ...fields } = json;
  const nested = isPlainObject(additionalData) ? additionalData : undefined;
  if (additionalData !== undefined && !nested) fields.additionalData = additionalData;
  for (const [k, v] of Object.entries({ ...fields, ...nested })) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 of the UTF-8 JSON of a value (what ServiceIdentification carries). */
export function encodeBase64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

/** Why a Base64 JSON text could not be read. */
export type Base64JsonError = "not-base64" | "not-json";

/** Decodes Base64 JSON strictly (standard alphabet, whole text), reporting which layer failed. */
export function decodeBase64Json(text: string): { ok: true; value: unknown } | { ok: false; error: Base64JsonError } {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact))
    return { ok: false, error: "not-base64" };
  try {
    return { ok: true, value: JSON.parse(Buffer.from(compact, "base64").toString("utf8")) };
  } catch {
    return { ok: false, error: "not-json" };
  }
}
