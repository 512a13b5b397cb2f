/**
 * Reads AdminRequest.ServiceIdentification: waiting-screen sessions (Begin/End) and barcode scans
 * (Once). Every way it can be wrong becomes a clear message and an ErrorCondition.
 */
import { decodeBase64Json } from "../protocol/index.js";
import type { ErrorCondition, OperationType } from "../protocol/index.js";

/** The longest waiting screen or scan the simulator accepts: 10 minutes (the real limit is unknown). */
export const MAX_SCREEN_TIMEOUT_MS = 600_000;

const OPERATION_TYPES: readonly OperationType[] = ["InputRequest", "DisplayRequest", "Payment"];

export type AdminCommand =
  | { type: "Begin"; id: string; operations: Partial<Record<OperationType, number>> }
  | { type: "End"; id: string }
  | { type: "Once"; id: string; scanTimeoutMs: number };

export type AdminParse =
  | { ok: true; command: AdminCommand }
  | { ok: false; errorCondition: ErrorCondition; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function formatError(message: string): AdminParse {
  return { ok: false, errorCondition: "MessageFormat", message };
}

function checkTimeout(value: unknown, where: string): string | undefined {
  if (value === undefined) return `${where} is missing`;
  if (typeof value !== "number" || !Number.isInteger(value))
    return `${where} must be a whole number of milliseconds, got ${JSON.stringify(value)}`;
  if (value < 1) return `${where} must be at least 1 ms, got ${value}`;
  if (value > MAX_SCREEN_TIMEOUT_MS) return `${where} must be at most ${MAX_SCREEN_TIMEOUT_MS} ms, got ${value}`;
  return undefined;
}

/** Decodes and checks the Base64 JSON; session state (open session, known Id) is the terminal's job. */
export function parseServiceIdentification(text: string): AdminParse {
  const decoded = decodeBase64Json(text);
  if (!decoded.ok) {
    return formatError(
      decoded.error === "not-base64"
        ? "ServiceIdentification is not Base64"
        : "ServiceIdentification is Base64 but not JSON",
    );
  }
  const value = decoded.value;
  if (!isObject(value)) return formatError("ServiceIdentification must be a JSON object");
  const session = value.Session;
  if (!isObject(session)) return formatError("ServiceIdentification.Session is missing");
  const id = session.Id;
  if (id === undefined) {
    return formatError(
      `ServiceIdentification.Session.Id is missing${"ID" in session || "id" in session ? " (it is spelled Id)" : ""}`,
    );
  }
  if ((typeof id !== "string" && typeof id !== "number") || String(id).length === 0) {
    return formatError("ServiceIdentification.Session.Id must be a non-empty string");
  }
  const sessionId = String(id);
  switch (session.Type) {
    case "Begin":
      return parseBegin(sessionId, value.Operation);
    case "End":
      return { ok: true, command: { type: "End", id: sessionId } };
    case "Once":
      return parseScan(sessionId, value.Operation);
    case undefined:
      return formatError("ServiceIdentification.Session.Type is missing (Begin, End or Once)");
    default:
      return formatError(
        `ServiceIdentification.Session.Type ${JSON.stringify(session.Type)} is unknown (Begin, End or Once)`,
      );
  }
}

function parseBegin(id: string, operation: unknown): AdminParse {
  if (operation === undefined) return formatError("ServiceIdentification.Operation is missing on Begin");
  if (!Array.isArray(operation) || operation.length === 0)
    return formatError("ServiceIdentification.Operation must be a non-empty array");
  const operations: Partial<Record<OperationType, number>> = {};
  for (let i = 0; i < operation.length; i++) {
    const op = operation[i];
    const where = `ServiceIdentification.Operation[${i}]`;
    if (!isObject(op)) return formatError(`${where} must be an object`);
    if (!OPERATION_TYPES.includes(op.Type as OperationType)) {
      return formatError(
        `${where}.Type ${JSON.stringify(op.Type)} is unknown (InputRequest, DisplayRequest or Payment)`,
      );
    }
    if (op.Variant !== "WaitingScreen")
      return formatError(`${where}.Variant ${JSON.stringify(op.Variant)} is unknown (WaitingScreen)`);
    const type = op.Type as OperationType;
    if (operations[type] !== undefined) return formatError(`${where}.Type ${type} is listed twice`);
    const ui = op.UserInterfaceData;
    if (!isObject(ui)) return formatError(`${where}.UserInterfaceData is missing`);
    const error = checkTimeout(ui.WaitingScreenTimeoutMs, `${where}.UserInterfaceData.WaitingScreenTimeoutMs`);
    if (error) return formatError(error);
    operations[type] = ui.WaitingScreenTimeoutMs as number;
  }
  return { ok: true, command: { type: "Begin", id, operations } };
}

function parseScan(id: string, operation: unknown): AdminParse {
  const op = Array.isArray(operation) ? operation[0] : undefined;
  if (!isObject(op) || op.Type !== "ScanBarcode")
    return formatError("ServiceIdentification.Operation must be [{Type: ScanBarcode, TimeoutMs}] for Once");
  const error = checkTimeout(op.TimeoutMs, "ServiceIdentification.Operation[0].TimeoutMs");
  if (error) return formatError(error);
  return { ok: true, command: { type: "Once", id, scanTimeoutMs: op.TimeoutMs as number } };
}
