/**
 * The soak's oracle: one run as the POS saw it (what went out on the wire, what runFlow reported)
 * against what the terminal did (the simulator's request log, timeline and session, read over its
 * control API). Nothing here trusts the runtime's own records of what it sent: requests are counted
 * at the transport, outcomes are the terminal's.
 *
 * - No payment sent twice: at most one PaymentRequest a pay step (a step of a loop is one step each
 *   time round), on the wire and in the terminal's log; at most one refund a refund step. A step a
 *   handler tries again pays again only after its payment before was declined or failed.
 * - Every payment sent is reported, and reported as the terminal says it ended: approved (with the
 *   amount and transaction the terminal gave), declined, cancelled, or failed for one the terminal
 *   never processed. `unknown` only where the terminal could not tell either: the payment still
 *   running, or no answer about it (its own or a TransactionStatus one) that reached the POS intact.
 * - Sessions: a Begin the terminal accepted gets an End from its run; no End goes to a session the
 *   terminal already ended, nor to a session this POS never began; a session still open after the
 *   run was reported by it (and the next run, or the final sweep, ends it).
 */
import type { PaymentRecord, RunResult } from "../../index.js";
import type { RequestLogEntry, ScreenEvent } from "../../simulator/index.js";

/** One request as the transport saw it go out. */
export interface Sent {
  serviceId: string;
  /** `PaymentRequest`, `AdminRequest`, ... */
  body: string;
  /** The step that sent it (from the run's `request` event). */
  path?: string;
  /** An AdminRequest's session, decoded from its ServiceIdentification. */
  session?: { id: string; type: string };
  /** A PaymentRequest with PaymentType Refund (an unreferenced refund). */
  refund?: boolean;
  /** The TransportError kind it failed with, if it did. */
  error?: string;
}

/** One run as the POS saw it. */
export interface RunRecord {
  /** `lane 12 run 3 (pay-at-table.flow)`: what a finding names. */
  name: string;
  saleId: string;
  result?: RunResult;
  /** runFlow rejected (it never should). */
  threw?: string;
  sent: Sent[];
}

/** What the terminal knows, read after the run. */
export interface TerminalView {
  requests: RequestLogEntry[];
  timeline: ScreenEvent[];
  /** The terminal's open session now. */
  session: { id: string } | null;
}

/**
 * What a lane (one POS) knows of each session Id it used, across its runs (example flows reuse an
 * Id, `id "every-input"`, so a state is the latest session of that Id): `ended` when the POS saw
 * its End succeed, `reported` when its run said it may still be open (the next Begin, or the final
 * sweep, ends it), `unclear` otherwise (an End whose answer was lost although the terminal ended it).
 */
export type LaneSessions = Map<string, "ended" | "reported" | "unclear">;

export const newLaneSessions = (): LaneSessions => new Map();

export type ViolationKind =
  | "run-threw"
  | "internal-error"
  | "payment-duplicated"
  | "refund-duplicated"
  | "payment-unreported"
  | "payment-misreported"
  | "unknown-although-told"
  | "session-not-ended"
  | "end-after-ended"
  | "foreign-session-ended"
  | "session-left-open"
  | "log-inconsistent"
  | "control-failed"
  | "hang";

export interface Violation {
  kind: ViolationKind;
  run: string;
  message: string;
}

/** Figures of one run, summed by the soak. */
export interface RunFigures {
  status?: string;
  /** Payment records by result: approved, declined, ... */
  payments: Record<string, number>;
  /** Payments whose outcome came from a TransactionStatus request. */
  viaStatus: number;
  /** Payments reported unknown where the terminal could not tell either. */
  honestUnknown: number;
  /** Payments whose terminal record is gone from the history (not checked). */
  unverifiable: number;
  paymentsSent: number;
  refundsSent: number;
  sessionsBegun: number;
  /** Sessions this run reported it may have left open. */
  reportedOpen: number;
  /** Sessions of earlier runs this run ended before its own Begin (the journal). */
  recovered: number;
  faultsHit: number;
  requests: number;
  /** Requests that failed with a connection error although no drop fault touched them. */
  resetsWithoutFault: number;
}

/** The counts of RunFigures, the soak's totals summing them. */
export type RunCounts = Omit<RunFigures, "status" | "payments">;

/** Every count at zero: where a run's figures and the soak's totals start. */
export function zeroCounts(): RunCounts {
  return {
    viaStatus: 0,
    honestUnknown: 0,
    unverifiable: 0,
    paymentsSent: 0,
    refundsSent: 0,
    sessionsBegun: 0,
    reportedOpen: 0,
    recovered: 0,
    faultsHit: 0,
    requests: 0,
    resetsWithoutFault: 0,
  };
}

/** What runFlow reports for a payment the terminal ended with `outcome` (docs/embedding.md, Captures). */
export function reportedAs(outcome: string): string {
  if (outcome === "Success") return "approved";
  if (outcome === "Partial") return "partial";
  const condition = outcome.startsWith("Failure/") ? outcome.slice("Failure/".length) : "";
  if (["Refusal", "WrongPIN", "InvalidCard", "PaymentRestriction"].includes(condition)) return "declined";
  if (["Cancel", "Aborted"].includes(condition)) return "cancelled";
  return "failed";
}

/**
 * What the terminal did with a request, from its log entry's outcome: `processed` with the outcome
 * the terminal produced (whatever faults did to the answer afterwards), `not-processed`, or `pending`.
 */
export function terminalOutcome(
  entry: RequestLogEntry | undefined,
): { kind: "processed"; outcome: string } | { kind: "not-processed" } | { kind: "pending" } | { kind: "absent" } {
  if (!entry) return { kind: "absent" };
  const outcome = entry.outcome;
  if (outcome === undefined) return { kind: "pending" };
  // A busy fault answers without processing: the answer is still the terminal's.
  const busy = entry.faults?.includes("busy") ?? false;
  const after = /^(?:http 500|dropped|malformed) \(processed: (.+)\)$/.exec(outcome);
  if (after)
    return after[1] === "Failure/Busy" && busy ? { kind: "not-processed" } : { kind: "processed", outcome: after[1] };
  if (outcome === "http 500" || outcome.startsWith("dropped")) return { kind: "not-processed" };
  if (outcome === "Failure/Busy" && busy) return { kind: "not-processed" };
  // An answer whose fault cut it in half: the terminal's outcome is in its response.
  if (outcome === "malformed") return { kind: "processed", outcome: outcomeOfResponse(entry.response) };
  return { kind: "processed", outcome };
}

function outcomeOfResponse(response: unknown): string {
  const root = (
    response as { SaleToPOIResponse?: Record<string, { Response?: { Result?: string; ErrorCondition?: string } }> }
  )?.SaleToPOIResponse;
  const body = root && Object.entries(root).find(([k]) => k !== "MessageHeader")?.[1];
  const r = body?.Response;
  return r?.Result ? (r.ErrorCondition ? `${r.Result}/${r.ErrorCondition}` : r.Result) : "answered";
}

const minorOf = (value: unknown, currency: string): number | undefined =>
  typeof value === "number" ? Math.round(value * 10 ** (currency === "JPY" ? 0 : 2)) : undefined;

/** The approved amount and transaction a PaymentResponse carries. */
function approvalOf(response: unknown): { minor?: number; transactionId?: string } {
  const body = (response as { SaleToPOIResponse?: { PaymentResponse?: Record<string, any> } })?.SaleToPOIResponse
    ?.PaymentResponse;
  const amounts = body?.PaymentResult?.AmountsResp;
  return {
    minor: minorOf(amounts?.AuthorizedAmount, amounts?.Currency ?? "EUR"),
    transactionId: body?.POIData?.POITransactionID?.TransactionID,
  };
}

/** The Begin of session `id` the terminal accepted last before `before` (ms), whoever sent it. */
export function lastOpening(
  requests: readonly RequestLogEntry[],
  id: string,
  before = Infinity,
): RequestLogEntry | undefined {
  return requests.findLast((e) => {
    if (e.session?.type !== "Begin" || e.session.id !== id || e.at > before) return false;
    const t = terminalOutcome(e);
    return t.kind === "processed" && t.outcome === "Success";
  });
}

/** What the log says happened to session `id`: `Begin B1 till-1 Success; End E1 till-1 http 500 [http 500]`. */
export function storyOf(requests: readonly RequestLogEntry[], id: string): string {
  return requests
    .filter((e) => e.session?.id === id)
    .map(
      (e) =>
        `${e.session!.type} ${e.serviceId} ${e.saleId} ${e.outcome ?? "pending"}${e.faults ? ` [${e.faults}]` : ""}`,
    )
    .join("; ");
}

/** The ServiceID a TransactionStatusRequest asks about. */
const statusAbout = (entry: RequestLogEntry): string | undefined =>
  (entry.request as { SaleToPOIRequest?: { TransactionStatusRequest?: { MessageReference?: { ServiceID?: string } } } })
    ?.SaleToPOIRequest?.TransactionStatusRequest?.MessageReference?.ServiceID;

/** Checks one run against its terminal; updates the lane's sessions. */
export function verifyRun(
  run: RunRecord,
  view: TerminalView,
  lane: LaneSessions,
): { violations: Violation[]; figures: RunFigures } {
  const violations: Violation[] = [];
  const found = (kind: ViolationKind, message: string) => violations.push({ kind, run: run.name, message });
  const figures: RunFigures = {
    ...(run.result ? { status: run.result.status } : {}),
    payments: {},
    ...zeroCounts(),
    requests: run.sent.length,
  };
  if (run.threw !== undefined) found("run-threw", run.threw);
  const result = run.result;
  for (const d of result?.diagnostics ?? []) if (d.code === "internal-error") found("internal-error", d.message);

  const mine = new Map(run.sent.map((s) => [s.serviceId, s]));
  const logged = view.requests.filter((e) => e.saleId === run.saleId && e.serviceId && mine.has(e.serviceId));
  const entryOf = new Map(logged.map((e) => [e.serviceId!, e]));
  figures.faultsHit = logged.filter((e) => e.faults && e.faults.length > 0).length;
  const unexplained = run.sent.filter(
    (s) => s.error === "connection" && !entryOf.get(s.serviceId)?.faults?.includes("drop"),
  );
  figures.resetsWithoutFault = unexplained.length;
  if (process.env.SOAK_DEBUG)
    for (const s of unexplained) {
      const e = entryOf.get(s.serviceId);
      console.error(
        `DEBUG unexplained ${run.name} ${s.body} ${s.serviceId}: ` +
          `${e ? `${e.outcome} [${e.faults ?? ""}] at ${e.at} answered ${e.answeredAt}` : "not in the log"}`,
      );
    }
  // The history keeps the newest requests of the whole simulator: when it no longer reaches back to
  // this run's first request, a request missing from it may have been forgotten, not never received.
  const firstAt = view.requests[0]?.at;
  const firstOfRun = logged.length > 0 ? Math.min(...logged.map((e) => e.at)) : undefined;
  const complete = firstAt !== undefined && firstOfRun !== undefined && firstAt < firstOfRun;

  // ---- no money moved twice ----
  const perStep = new Map<string, Sent[]>();
  for (const s of run.sent) {
    if (s.body !== "PaymentRequest" && s.body !== "ReversalRequest") continue;
    if (s.body === "PaymentRequest" && !s.refund) figures.paymentsSent++;
    else figures.refundsSent++;
    const key = `${s.path ?? "?"} ${s.body}`;
    perStep.set(key, [...(perStep.get(key) ?? []), s]);
  }
  for (const [key, sent] of perStep) {
    const kind = sent[0].body === "PaymentRequest" && !sent[0].refund ? "payment-duplicated" : "refund-duplicated";
    if (sent.length > 1) found(kind, `step ${key}: ${sent.length} sent (${sent.map((s) => s.serviceId).join(", ")})`);
    const reached = sent.filter((s) => entryOf.has(s.serviceId));
    if (reached.length > 1) found(kind, `step ${key}: the terminal received ${reached.length}`);
  }

  // A step tried again (`on declined retry 1`, paths `2.1@2`) may pay again only after the terminal
  // declined or failed the attempt before (a known outcome: no money moved); whether that outcome was
  // reported truly is checked below with every other payment.
  const records = new Map<string, PaymentRecord>((result?.payments ?? []).map((p) => [p.serviceId, p]));
  const attempts = new Map<string, Sent[]>();
  for (const s of run.sent) {
    if (s.body !== "PaymentRequest" || s.refund || s.path === undefined) continue;
    const step = s.path.replace(/@\d+$/, "");
    attempts.set(step, [...(attempts.get(step) ?? []), s]);
  }
  for (const [step, sent] of attempts)
    for (const earlier of sent.slice(0, -1)) {
      const outcome = records.get(earlier.serviceId)?.result;
      if (outcome !== "declined" && outcome !== "failed")
        found(
          "payment-duplicated",
          `step ${step}: paid again (${sent.map((x) => `${x.serviceId} at ${x.path}`).join(", ")}) after ` +
            `payment ${earlier.serviceId} was ${outcome ?? "not reported"}`,
        );
    }

  // ---- every payment reported, as the terminal says ----
  for (const s of run.sent) {
    if (s.body !== "PaymentRequest" || s.refund) continue;
    if (result && !records.has(s.serviceId))
      found("payment-unreported", `PaymentRequest ${s.serviceId} (step ${s.path}) is not in result.payments`);
  }
  const resultScreens = new Map<string, ScreenEvent & { screen: "result" }>();
  for (const e of view.timeline)
    if (e.screen === "result" && e.category === "Payment" && e.serviceId) resultScreens.set(e.serviceId, e);
  for (const p of result?.payments ?? []) {
    figures.payments[p.result] = (figures.payments[p.result] ?? 0) + 1;
    if (p.via === "status") figures.viaStatus++;
    const entry = entryOf.get(p.serviceId);
    const truth = terminalOutcome(entry);
    const said = `reported ${p.result}${p.errorCondition ? ` (${p.errorCondition})` : ""} via ${p.via}`;
    if (truth.kind === "absent") {
      if (!complete) figures.unverifiable++;
      else if (p.result !== "failed" && p.result !== "unknown")
        found("payment-misreported", `payment ${p.serviceId} never reached the terminal, ${said}`);
      else if (p.result === "unknown") figures.honestUnknown++;
      continue;
    }
    if (truth.kind === "pending") {
      if (p.result !== "unknown")
        found("payment-misreported", `payment ${p.serviceId} still runs on the terminal, ${said}`);
      else figures.honestUnknown++;
      continue;
    }
    if (truth.kind === "not-processed") {
      if (p.result !== "failed" && p.result !== "unknown")
        found(
          "payment-misreported",
          `payment ${p.serviceId}: the terminal never processed it (${entry!.outcome}), ${said}`,
        );
      else if (p.result === "unknown") figures.honestUnknown++;
      continue;
    }
    const expected = reportedAs(truth.outcome);
    const screen = resultScreens.get(p.serviceId);
    if (screen) {
      const shown = screen.errorCondition ? `${screen.result}/${screen.errorCondition}` : screen.result;
      if (shown !== truth.outcome)
        found(
          "log-inconsistent",
          `payment ${p.serviceId}: the timeline shows ${shown}, the request log ${truth.outcome}`,
        );
    }
    if (p.result === "unknown") {
      // Honest only when nothing the terminal said about it reached the POS intact.
      const told = logged.filter(
        (e) =>
          e.body === "TransactionStatusRequest" &&
          statusAbout(e) === p.serviceId &&
          e.outcome === "Success" &&
          !(e.faults && e.faults.length > 0),
      );
      if (told.length > 0)
        found(
          "unknown-although-told",
          `payment ${p.serviceId} ended ${truth.outcome} on the terminal and status request ${told[0].serviceId} said so intact, ${said}`,
        );
      else figures.honestUnknown++;
      continue;
    }
    if (p.result !== expected) {
      found("payment-misreported", `payment ${p.serviceId}: the terminal ended it ${truth.outcome}, ${said}`);
      continue;
    }
    if (expected === "approved" || expected === "partial") {
      const approval = approvalOf(entry!.response);
      if (approval.minor !== undefined && approval.minor !== p.amount.minor)
        found(
          "payment-misreported",
          `payment ${p.serviceId}: the terminal authorised ${approval.minor} minor units, reported ${p.amount.minor}`,
        );
      if (approval.transactionId !== undefined && approval.transactionId !== p.transactionId)
        found(
          "payment-misreported",
          `payment ${p.serviceId}: the terminal's transaction ${approval.transactionId}, reported ${p.transactionId}`,
        );
    }
  }

  // ---- sessions ----
  const reported = new Set<string>();
  for (const d of [...(result?.diagnostics ?? []), ...(result?.warnings ?? [])]) {
    const id = /--session-id (\S+)/.exec(d.hint ?? "")?.[1];
    if (id !== undefined) reported.add(id);
    if (d.code === "session-recovered") figures.recovered++;
  }
  const processed = (s: Sent) => terminalOutcome(entryOf.get(s.serviceId));
  const cleanSuccess = (s: Sent) => {
    const entry = entryOf.get(s.serviceId);
    return entry?.outcome === "Success" && !(entry.faults && entry.faults.length > 0);
  };
  /** Ids this run sent a Begin for; those the terminal accepted, with the Ends that reached it after. */
  const begunHere = new Set<string>();
  const opened = new Map<string, number>();
  for (const s of run.sent) {
    if (s.body !== "AdminRequest" || !s.session) continue;
    const { id, type } = s.session;
    const truth = processed(s);
    if (type === "Begin") {
      figures.sessionsBegun++;
      begunHere.add(id);
      if (truth.kind === "processed" && truth.outcome === "Success") opened.set(id, 0);
      continue;
    }
    if (type !== "End") continue;
    const entry = entryOf.get(s.serviceId);
    if (entry && truth.kind === "processed" && truth.outcome === "Success") {
      // The terminal keys sessions by Id alone: the session this End closed is the one last opened.
      const owner = lastOpening(view.requests, id, entry.at)?.saleId;
      if (owner !== undefined && owner !== run.saleId)
        found(
          "foreign-session-ended",
          `End ${s.serviceId} (${begunHere.has(id) ? "its own" : "a recovery"}) closed session ${id}, which ${owner} had opened: ${storyOf(view.requests, id)}`,
        );
    }
    if (!begunHere.has(id)) {
      // Before its own Begin: the End of a session an earlier run of this POS left open (the journal).
      const state = lane.get(id);
      if (state === undefined)
        found("foreign-session-ended", `End ${s.serviceId} of session ${id}, which this POS never began`);
      else if (state === "ended")
        found(
          "end-after-ended",
          `End ${s.serviceId} of session ${id}, whose End the POS already saw succeed: ${storyOf(
            view.requests.filter((e) => e.saleId === run.saleId),
            id,
          )}`,
        );
      // Only an End the terminal carried out changes what is known; a failed one leaves it reported.
      if (truth.kind === "processed" && truth.outcome === "Success")
        lane.set(id, cleanSuccess(s) ? "ended" : "unclear");
      continue;
    }
    if (truth.kind !== "processed" || !opened.has(id)) continue;
    opened.set(id, opened.get(id)! + 1);
    if (opened.get(id)! > 1) found("end-after-ended", `session ${id}: a second End reached the terminal`);
  }
  // A Begin the terminal did not accept changed nothing on it, but a POS that never learnt so (its
  // answer lost, and the End after it too) rightly keeps the session for the next run to end.
  for (const id of begunHere) {
    if (opened.has(id)) continue;
    if (reported.has(id)) lane.set(id, "reported");
    else if (!lane.has(id)) lane.set(id, "unclear");
  }
  for (const [id, ends] of opened) {
    if (!run.sent.some((s) => s.body === "AdminRequest" && s.session?.type === "End" && s.session.id === id))
      found("session-not-ended", `session ${id} was begun and no End was sent`);
    // Still open, and opened by this run (not since by another POS on the same terminal with that Id).
    const lastBegin = lastOpening(view.requests, id);
    const stillMine = view.session?.id === id && lastBegin !== undefined && lastBegin.saleId === run.saleId;
    if (stillMine) {
      if (reported.has(id)) {
        lane.set(id, "reported");
        figures.reportedOpen++;
      } else
        found(
          "session-left-open",
          `session ${id} is still open on the terminal and the run did not say so: ${storyOf(view.requests, id)}`,
        );
      continue;
    }
    const ended = run.sent.some(
      (s) => s.body === "AdminRequest" && s.session?.type === "End" && s.session.id === id && cleanSuccess(s),
    );
    lane.set(id, ends > 0 && ended ? "ended" : reported.has(id) ? "reported" : "unclear");
  }
  return { violations, figures };
}
