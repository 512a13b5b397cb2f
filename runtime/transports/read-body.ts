/** Reads an HTTP answer the same way for every transport: 200 + JSON, 200 + empty, or an error kind. */
import { TransportError } from "../transport.js";

/** The parsed JSON of a 200 answer, `undefined` for an empty body; TransportError otherwise. */
export function readBody(status: number, body: string): unknown {
  if (status !== 200) {
    throw new TransportError("http", `HTTP ${status}${body.trim() ? `: ${preview(body)}` : ""}`, status);
  }
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new TransportError("malformed", `the answer is not JSON: ${preview(body)}`);
  }
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}
