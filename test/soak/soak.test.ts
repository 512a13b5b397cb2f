/**
 * A seeded slice of `npm run soak` (test/soak/main.ts): 20 flows at once for 10 s against a
 * `termflow sim` process, with faults and cancellations, every invariant held. The oracle it relies
 * on (verify.ts) is shown to catch each kind of finding on made-up records first, so a soak that
 * finds nothing means nothing was there. `FC_SEED` replays another slice.
 */
import assert from "node:assert/strict";
import { moneyOf, type PaymentRecord, type RunResult } from "../../index.js";
import type { RequestLogEntry } from "../../simulator/index.js";
import type { MemorySample } from "../support/memory-sampler.js";
import { memoryFigures } from "./memory.js";
import { DRIVER_RETAINED_MB, FLAT_MB_PER_MIN, judge, runSoak, type SoakSummary } from "./soak.js";
import { newLaneSessions, type RunRecord, type Sent, type TerminalView, verifyRun } from "./verify.js";

const SALE = "till-1";
const si = (id: string, type: string) =>
  Buffer.from(JSON.stringify({ Session: { Id: id, Type: type } })).toString("base64");

/** A log entry as `GET .../requests` gives it. */
function entry(
  at: number,
  sent: Sent,
  outcome: string | undefined,
  extra: Partial<RequestLogEntry> = {},
): RequestLogEntry {
  return {
    at,
    poiid: "P",
    channel: "cloud",
    body: sent.body,
    category: "Payment",
    serviceId: sent.serviceId,
    saleId: SALE,
    request: sent.session
      ? { SaleToPOIRequest: { AdminRequest: { ServiceIdentification: si(sent.session.id, sent.session.type) } } }
      : {},
    ...(sent.session ? { session: sent.session } : {}),
    outcome,
    response: undefined,
    ...extra,
  } as RequestLogEntry;
}

const approvedResponse = (minor: number, transactionId: string) => ({
  SaleToPOIResponse: {
    PaymentResponse: {
      Response: { Result: "Success" },
      POIData: { POITransactionID: { TransactionID: transactionId } },
      PaymentResult: { AmountsResp: { AuthorizedAmount: minor / 100, Currency: "EUR" } },
    },
  },
});

function payment(serviceId: string, result: string, minor = 1250, via: PaymentRecord["via"] = "answer"): PaymentRecord {
  return {
    result: result as PaymentRecord["result"],
    transactionId: "T.1",
    amount: moneyOf(result === "approved" ? minor : 0, "EUR"),
    tip: moneyOf(0, "EUR"),
    currency: "EUR",
    declineReason: "",
    errorCondition: "",
    path: "2",
    serviceId,
    reference: "r",
    requestedAmount: moneyOf(minor, "EUR"),
    via,
    afterCancel: false,
  };
}

function runOf(sent: Sent[], payments: PaymentRecord[], hint?: string): RunRecord {
  const result = {
    status: "passed",
    payments,
    diagnostics: hint ? [{ code: "session-end-failed", message: "x", hint, severity: "error" }] : [],
    warnings: [],
  } as unknown as RunResult;
  return { name: "run", saleId: SALE, result, sent };
}

const before: RequestLogEntry = { at: 0, saleId: "other", body: "DisplayRequest" } as RequestLogEntry;
const view = (requests: RequestLogEntry[], session: string | null = null): TerminalView => ({
  requests: [before, ...requests],
  timeline: [],
  session: session === null ? null : { id: session },
});
const kinds = (r: ReturnType<typeof verifyRun>) => r.violations.map((v) => v.kind);

describe("soak oracle (test/soak/verify.ts): each finding is found", () => {
  const begin: Sent = { serviceId: "B1", body: "AdminRequest", session: { id: "S", type: "Begin" } };
  const pay: Sent = { serviceId: "P1", body: "PaymentRequest", path: "1.1" };
  const end: Sent = { serviceId: "E1", body: "AdminRequest", session: { id: "S", type: "End" } };

  it("passes a run that matches its terminal", () => {
    const r = verifyRun(
      runOf([begin, pay, end], [payment("P1", "approved")]),
      view([
        entry(1, begin, "Success"),
        entry(2, pay, "Success", { response: approvedResponse(1250, "T.1") }),
        entry(3, end, "Success"),
      ]),
      newLaneSessions(),
    );
    assert.deepEqual(r.violations, []);
  });

  it("a payment approved on the terminal reported declined, or approved for another amount", () => {
    const declined = verifyRun(
      runOf([pay], [payment("P1", "declined")]),
      view([entry(2, pay, "drop (processed: Success)".replace("drop", "dropped"))]),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(declined), ["payment-misreported"]);
    const amount = verifyRun(
      runOf([pay], [payment("P1", "approved", 100)]),
      view([entry(2, pay, "Success", { response: approvedResponse(4250, "T.1") })]),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(amount), ["payment-misreported"]);
  });

  it("two PaymentRequests from one pay step, and a payment sent but not reported", () => {
    const again: Sent = { ...pay, serviceId: "P2" };
    const r = verifyRun(
      runOf([pay, again], [payment("P1", "failed")]),
      view([entry(2, pay, "http 500", { faults: ["http 500"] }), entry(3, again, "Success")]),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(r).sort(), ["payment-duplicated", "payment-duplicated", "payment-unreported"]);
  });

  it("a pay step tried again by its handler: fine after a decline, a duplicate after an approval", () => {
    const retry: Sent = { ...pay, serviceId: "P2", path: "1.1@2" };
    const log = [
      entry(2, pay, "Failure/Refusal"),
      entry(4, retry, "Success", { response: approvedResponse(1250, "T.1") }),
    ];
    const declinedFirst = verifyRun(
      runOf([pay, retry], [payment("P1", "declined"), payment("P2", "approved")]),
      view(log),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(declinedFirst), []);
    const approvedFirst = verifyRun(
      runOf([pay, retry], [payment("P1", "approved"), payment("P2", "approved")]),
      view([entry(2, pay, "Success", { response: approvedResponse(1250, "T.1") }), log[1]]),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(approvedFirst), ["payment-duplicated"]);
  });

  it("unknown is honest only when no answer about the payment reached the POS intact", () => {
    const status: Sent = { serviceId: "Q1", body: "TransactionStatusRequest" };
    const told = entry(3, status, "Success", {
      request: { SaleToPOIRequest: { TransactionStatusRequest: { MessageReference: { ServiceID: "P1" } } } },
    });
    const lost = verifyRun(
      runOf([pay, status], [payment("P1", "unknown", 1250, "none")]),
      view([entry(2, pay, "dropped (processed: Success)"), told]),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(lost), ["unknown-although-told"]);
    const dark = verifyRun(
      runOf([pay, status], [payment("P1", "unknown", 1250, "none")]),
      view([entry(2, pay, "dropped (processed: Success)"), { ...told, outcome: "http 500", faults: ["http 500"] }]),
      newLaneSessions(),
    );
    assert.deepEqual(kinds(dark), []);
    assert.equal(dark.figures.honestUnknown, 1);
  });

  it("a session left open: found unless its run said so; an End for a session the POS saw end", () => {
    const log = [entry(1, begin, "Success"), entry(3, end, "http 500", { faults: ["http 500"] })];
    assert.deepEqual(kinds(verifyRun(runOf([begin, end], []), view(log, "S"), newLaneSessions())), [
      "session-left-open",
    ]);
    const lane = newLaneSessions();
    const hint = "run termflow end-session --poiid P --sale-id till-1 --session-id S";
    assert.deepEqual(kinds(verifyRun(runOf([begin, end], [], hint), view(log, "S"), lane)), []);
    assert.equal(lane.get("S"), "reported");
    const ended = newLaneSessions();
    verifyRun(runOf([begin, end], []), view([entry(1, begin, "Success"), entry(3, end, "Success")]), ended);
    const again: Sent = { ...end, serviceId: "E2" };
    assert.deepEqual(kinds(verifyRun(runOf([again], []), view([entry(5, again, "Failure/NotFound")]), ended)), [
      "end-after-ended",
    ]);
    assert.deepEqual(kinds(verifyRun(runOf([begin], []), view([entry(1, begin, "Success")]), newLaneSessions())), [
      "session-not-ended",
    ]);
  });
  it("a session whose Begin and End were both lost is the next run's to end, even after an earlier End took", () => {
    const lane = newLaneSessions();
    verifyRun(runOf([begin, end], []), view([entry(1, begin, "Success"), entry(3, end, "Success")]), lane);
    assert.equal(lane.get("S"), "ended");
    // The next run's Begin never reached the terminal and its End failed too: it cannot know, so it
    // says the session may be open (found by the soak: the oracle took the recovery End after for a second End).
    const begin2: Sent = { ...begin, serviceId: "B2" };
    const end2: Sent = { ...end, serviceId: "E2" };
    const hint = "run termflow end-session --poiid P --sale-id till-1 --session-id S";
    const lost = [
      entry(5, begin2, "http 500", { faults: ["http 500"] }),
      entry(6, end2, "http 500", { faults: ["http 500"] }),
    ];
    assert.deepEqual(kinds(verifyRun(runOf([begin2, end2], [], hint), view(lost), lane)), []);
    assert.equal(lane.get("S"), "reported");
    const recovery: Sent = { ...end, serviceId: "E3" };
    assert.deepEqual(kinds(verifyRun(runOf([recovery], []), view([entry(8, recovery, "Failure/NotFound")]), lane)), []);
  });

  it("a payment whose result screen on the terminal's timeline differs from its request log", () => {
    const screen = {
      at: 2,
      screen: "result",
      category: "Payment",
      serviceId: "P1",
      result: "Failure",
      errorCondition: "Refusal",
    };
    const r = verifyRun(
      runOf([pay], [payment("P1", "approved")]),
      {
        ...view([entry(2, pay, "Success", { response: approvedResponse(1250, "T.1") })]),
        timeline: [screen as unknown as TerminalView["timeline"][number]],
      },
      newLaneSessions(),
    );
    assert.deepEqual(kinds(r), ["log-inconsistent"]);
  });
});

describe("soak verdicts (test/soak/soak.ts judge): a planted failure fails its line", () => {
  const flat = memoryFigures(samples(() => 40));
  const clean: SoakSummary = {
    runs: 10,
    sessionsLeftOpen: 0,
    violationCounts: {},
    unexpected500: 0,
    simExit: 130,
    simStopMs: 5,
    simMemory: flat,
    driverMemory: flat,
    driverRetainedMb: 2,
    memoryJudged: true,
  } as unknown as SoakSummary;
  const failing = (s: SoakSummary) =>
    judge(s)
      .filter((v) => !v.ok)
      .map((v) => v.what);

  /** Ten minutes of samples, one a second, every tenth after a collection. */
  function samples(heapAt: (minute: number) => number): MemorySample[] {
    return Array.from({ length: 600 }, (_, i) => {
      const y = heapAt(i / 60);
      return { at: 1_000_000 + i * 1000, rss: y + 50, heapUsed: y, heapTotal: y + 10, external: 1, gc: i % 10 === 0 };
    });
  }

  it("passes a clean soak", () => assert.deepEqual(failing(clean), []));

  it("a session still open after the final sweep", () =>
    assert.deepEqual(failing({ ...clean, sessionsLeftOpen: 1 }), ["sessions left open"]));

  it("a simulator heap that keeps growing after the history filled, but not a short run's", () => {
    const growing = memoryFigures(samples((m) => 40 + 3 * m));
    assert.ok(growing.heap.slopePerMin > FLAT_MB_PER_MIN, `${growing.heap.slopePerMin} MB/min`);
    assert.deepEqual(failing({ ...clean, simMemory: growing }), ["simulator memory flat"]);
    assert.deepEqual(failing({ ...clean, simMemory: growing, memoryJudged: false }), []);
  });

  it("a driver that keeps more than its bound once every run ended", () =>
    assert.deepEqual(failing({ ...clean, driverRetainedMb: DRIVER_RETAINED_MB + 1 }), [
      "driver memory: kept once every run ended",
    ]));

  it("each invariant's violations fail their own line", () => {
    const lines = (kind: string) => failing({ ...clean, violationCounts: { [kind]: 1 } });
    assert.deepEqual(lines("payment-duplicated"), ["payments duplicated"]);
    assert.deepEqual(lines("payment-misreported"), ["payment outcomes reported differently from the terminal"]);
    assert.deepEqual(lines("session-left-open"), ["sessions left open unreported"]);
    assert.deepEqual(lines("hang"), ["runs that threw, errored internally or hung"]);
    assert.equal(lines("log-inconsistent").length, 1);
  });
});

describe("soak (a seeded slice of npm run soak)", function () {
  this.timeout(300_000);

  it("20 flows at once for 10 s against a termflow sim process, with faults and cancels: every invariant holds", async () => {
    const summary = await runSoak({
      seed: Number(process.env.FC_SEED ?? 20261125),
      flows: 20,
      durationMs: 10_000,
      // Faults and cancels on most runs, so a short slice meets each kind.
      faultRate: 0.8,
      cancelRate: 0.4,
      blackoutRate: 0.05,
      progressMs: 3_600_000,
    });
    const failed = judge(summary).filter((v) => !v.ok);
    assert.deepEqual(failed, [], JSON.stringify(summary.violations.slice(0, 5), null, 2));
    assert.ok(summary.totals.paymentsSent >= 10, `${summary.totals.paymentsSent} payments`);
    assert.ok(summary.totals.faultsHit >= 5, `${summary.totals.faultsHit} requests hit by a fault`);
    assert.ok(summary.cancelsPlanned >= 5, `${summary.cancelsPlanned} cancels`);
    assert.ok(summary.totals.sessionsBegun >= 10, `${summary.totals.sessionsBegun} sessions`);
  });
});
