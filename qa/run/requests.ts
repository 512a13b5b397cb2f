/**
 * The requests a terminal received, named the way scenarios name them (`payment`, `admin end`), and
 * turned into the report's request/answer log.
 */
import type { RequestLogEntry } from "../../simulator/index.js";
import type { RequestName } from "../scenario/model.js";
import type { Exchange } from "../result.js";

const BY_BODY: Record<string, RequestName> = {
  AdminRequest: "admin",
  InputRequest: "input",
  DisplayRequest: "display",
  PaymentRequest: "payment",
  TransactionStatusRequest: "status",
  AbortRequest: "abort",
  ReversalRequest: "reversal",
  PrintRequest: "print",
  CardAcquisitionRequest: "acquisition",
  EnableServiceRequest: "release",
};

/** Every scenario name that fits a request: an End AdminRequest is `end`, `admin` and `request`. */
export function namesOf(entry: Pick<RequestLogEntry, "body" | "session">): RequestName[] {
  const names: RequestName[] = ["request"];
  const kind = BY_BODY[entry.body];
  if (kind) names.push(kind);
  const type = entry.session?.type?.toLowerCase();
  if (kind === "admin" && (type === "begin" || type === "end")) names.push(type);
  return names;
}

/** The scenario name of a request body key (what a given's selector counts), before it is sent. */
export function namesOfRequest(body: string, sessionType: string | undefined): RequestName[] {
  return namesOf({ body, session: sessionType ? { id: "", type: sessionType } : undefined });
}

export function matchesRequest(entry: Pick<RequestLogEntry, "body" | "session">, name: RequestName): boolean {
  return namesOf(entry).includes(name);
}

/** The report's view of one request and its answer. */
export function toExchange(entry: RequestLogEntry, start: number): Exchange {
  const session = entry.session ? ` ${entry.session.type}` : "";
  return {
    at: entry.at - start,
    ...(entry.answeredAt !== undefined ? { answeredAt: entry.answeredAt - start } : {}),
    name: `${entry.body}${session}`,
    outcome: entry.outcome ?? "no answer",
    request: entry.request,
    ...(entry.response !== undefined ? { response: entry.response } : {}),
    ...(entry.faults && entry.faults.length > 0 ? { faults: entry.faults } : {}),
  };
}
