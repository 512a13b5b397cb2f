/**
 * The soak: many POS lanes at once against one `termflow sim` process over HTTP, each running the
 * example flows back to back through the public API (runFlow on the cloud device API, the legacy
 * cloud endpoint or an encrypted local terminal), with random faults on the terminal and random
 * cancellations, for as long as asked. After every run the terminal's own record is read back and
 * the run checked against it (verify.ts); at the end every terminal must be without a session, and
 * the memory of the simulator and of the driver must be flat.
 */
import { request as httpRequest } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import {
  type NexoKey,
  type RequestTimeouts,
  type RunResult,
  type Transport,
  cloudTransport,
  createIdSource,
  endSession,
  localTransport,
  memorySessionJournal,
  runFlow,
} from "../../index.js";
import type { RequestLogEntry, ScreenEvent, TerminalState } from "../../simulator/index.js";
import type { MemorySample } from "../support/memory-sampler.js";
import { sampleMemory } from "../support/memory-sampler.js";
import { type SimProcess, startSimProcess, stopSimProcess } from "../support/sim-process.js";
import { soakFlows, paramsFor } from "./flows.js";
import { type MemoryFigures, memoryFigures } from "./memory.js";
import { controlCalls, planFor, type PlanOptions } from "./plan.js";
import {
  type LaneSessions,
  newLaneSessions,
  type RunCounts,
  type Sent,
  type Violation,
  type ViolationKind,
  lastOpening,
  storyOf,
  verifyRun,
  zeroCounts,
} from "./verify.js";

export const SOAK_KEY: NexoKey = { identifier: "SoakKey", version: 1, passphrase: "soak-passphrase" };

export interface SoakOptions {
  seed: number;
  /** Flows at once (lanes, each a POS with its own SaleID). */
  flows: number;
  durationMs: number;
  /** Share of runs cancelled at a random time, of runs with faults (0-1). */
  cancelRate: number;
  faultRate: number;
  /** The longest delay fault, ms. */
  maxDelayMs: number;
  /** Share of runs (on lanes with tight timeouts) whose lost payment no status request can settle. */
  blackoutRate: number;
  /** One lane in `sharedEvery` shares its terminal with the lane before it (two tills, one terminal). */
  sharedEvery: number;
  /** How long, after the soak's time is up, runs still going may take before they count as hung. */
  hangMs: number;
  /** Memory is judged flat only over a run at least this long (a short one has not filled its history). */
  judgeMemoryAfterMs: number;
  /** `termflow sim` arguments besides the defaults (`--history-mb 8`, ...). */
  simArgs: string[];
  /** Progress lines (every `progressMs`). */
  log?: (line: string) => void;
  progressMs: number;
}

export const DEFAULT_SOAK: SoakOptions = {
  seed: 1,
  flows: 200,
  durationMs: 5 * 60_000,
  cancelRate: 0.3,
  faultRate: 0.6,
  maxDelayMs: 6_000,
  blackoutRate: 0.03,
  sharedEvery: 10,
  hangMs: 400_000,
  judgeMemoryAfterMs: 120_000,
  // A history that fills within the first minute, so the second half shows whether memory stays flat.
  simArgs: ["--history-mb", "8"],
  progressMs: 30_000,
};

export interface SoakSummary {
  seed: number;
  flows: number;
  durationMs: number;
  wallMs: number;
  runs: number;
  /** Runs by status (passed, failed, error, cancelled, invalid). */
  statuses: Record<string, number>;
  /** Runs that did not pass, by their first diagnostic's code. */
  codes: Record<string, number>;
  /** Runs by flow file. */
  byFlow: Record<string, number>;
  cancelsPlanned: number;
  totals: RunCounts;
  payments: Record<string, number>;
  /** Sessions open on a terminal after everything, the final sweep's included. */
  sessionsLeftOpen: number;
  /** Reported by their run and ended by the final sweep (`endSession`, as `termflow end-session`). */
  endedBySweep: number;
  violations: Violation[];
  violationCounts: Partial<Record<ViolationKind, number>>;
  /** HTTP 500s the simulator answered although no fault asked for one. */
  unexpected500: number;
  /** What the simulator's request logs hold at the end, all terminals: entries, and their JSON texts' bytes. */
  kept: { requests: number; bytes: number };
  /** The driver's event-loop delay, ms. */
  driverLagMs: { p99: number; max: number };
  simMemory: MemoryFigures;
  driverMemory: MemoryFigures;
  /**
   * MB: the driver's heap after every run ended less its heap before the first, both after a full
   * collection: what runFlow and its transports keep of thousands of runs (with the ServiceIDs an
   * IdSource remembers, at most 10,000 a terminal, and the oracle's own records).
   */
  driverRetainedMb: number;
  memoryJudged: boolean;
  simExit: number | null;
  simStopMs: number;
  simLogLines: number;
  loadAverage: number[];
}

interface Lane {
  index: number;
  poiid: string;
  saleId: string;
  /** Scripts and faults are put only on a terminal this lane has to itself. */
  shared: boolean;
  transport: Transport;
  timeouts: Partial<RequestTimeouts>;
  sessions: LaneSessions;
}

/** Tight limits for a third of the lanes: timeouts, lost answers and status recovery happen in minutes, not hours. */
const TIGHT: Partial<RequestTimeouts> = {
  admin: 4_000,
  display: 4_000,
  status: 4_000,
  abort: 3_000,
  abortGrace: 2_000,
  payment: 8_000,
  statusRecovery: 15_000,
  statusBackoff: [500, 1_000, 2_000, 4_000],
};

/**
 * The control API, over HTTP as a POS's test would use it: a connection of its own for each call,
 * since a kept-alive one the simulator closes (idle 5 s) as a call reuses it is a reset of the
 * client's making, not a finding.
 */
function controlClient(base: string, onServerError: (what: string) => void) {
  const { hostname, port } = new URL(base);
  const call = (method: string, path: string, body?: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        {
          host: hostname,
          port,
          method,
          path: `/__termflow${path}`,
          agent: false,
          headers: text === undefined ? {} : { "content-type": "application/json" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const answer = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 500) onServerError(`${method} ${path}: HTTP ${status} ${answer.slice(0, 200)}`);
            if (status !== 200) reject(new Error(`${method} ${path}: HTTP ${status} ${answer.slice(0, 300)}`));
            else resolve(JSON.parse(answer));
          });
        },
      );
      req.on("error", (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
      req.end(text);
    });
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown = {}) => call("POST", path, body),
  };
}

/** The transport as the POS uses it, counting what goes out and what comes back as HTTP 500. */
function watched(transport: Transport, sent: Sent[], http500: Set<string>): Transport {
  return {
    description: transport.description,
    async send(request, options) {
      const message = request.SaleToPOIRequest;
      const header = message.MessageHeader;
      const body = Object.keys(message).find((k) => k !== "MessageHeader") ?? "?";
      const record: Sent = { serviceId: header.ServiceID ?? "", body };
      const si = (message as { AdminRequest?: { ServiceIdentification?: string } }).AdminRequest?.ServiceIdentification;
      if (si) {
        const session = JSON.parse(Buffer.from(si, "base64").toString("utf8"))?.Session;
        if (session) record.session = { id: String(session.Id), type: String(session.Type) };
      }
      const payment = (message as { PaymentRequest?: { PaymentData?: { PaymentType?: string } } }).PaymentRequest;
      if (payment?.PaymentData?.PaymentType === "Refund") record.refund = true;
      sent.push(record);
      try {
        return await transport.send(request, options);
      } catch (error) {
        if ((error as { status?: number }).status === 500) http500.add(record.serviceId);
        const kind = (error as { kind?: string }).kind;
        if (kind !== undefined) record.error = kind;
        if (process.env.SOAK_DEBUG && kind === "connection")
          console.error(`DEBUG reset ${record.body} ${record.serviceId} ${(error as Error).message}`);
        throw error;
      }
    },
  };
}

const timeoutAfter = (ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
};

/** Runs the soak; resolves with its summary (the caller decides what fails). */
export async function runSoak(options: Partial<SoakOptions> = {}): Promise<SoakSummary> {
  const o: SoakOptions = { ...DEFAULT_SOAK, ...options };
  const log = o.log ?? (() => {});
  const started = Date.now();
  // Before the simulator starts: a flow that does not load must not leave its process behind.
  const flows = soakFlows();
  const sim: SimProcess = await startSimProcess(
    [
      "--think-ms",
      "300",
      "--payment-ms",
      "800",
      "--key-id",
      SOAK_KEY.identifier,
      "--key-version",
      String(SOAK_KEY.version),
      "--passphrase-env",
      "SOAK_PASSPHRASE",
      ...o.simArgs,
    ],
    { env: { SOAK_PASSPHRASE: SOAK_KEY.passphrase }, memorySampleMs: 1_000, gcEvery: 10 },
  );
  const violations: Violation[] = [];
  const found = (kind: ViolationKind, run: string, message: string) => {
    violations.push({ kind, run, message });
    log(`VIOLATION ${kind}: ${run}: ${message}`);
  };
  let unexpected500 = 0;
  const control = controlClient(sim.url, (what) => {
    unexpected500++;
    found("log-inconsistent", "control API", what);
  });
  const planOptions = (lane: Lane): PlanOptions => ({
    flows: flows.length,
    cancelRate: o.cancelRate,
    faultRate: o.faultRate,
    maxDelayMs: o.maxDelayMs,
    // Only where status recovery gives up in seconds, not the default 5 minutes.
    blackoutRate: lane.timeouts === TIGHT ? o.blackoutRate : 0,
  });
  const ids = createIdSource();
  const journal = memorySessionJournal();
  const lanes: Lane[] = [];
  for (let i = 0; i < o.flows; i++) {
    const shared = o.sharedEvery > 0 && i % o.sharedEvery === o.sharedEvery - 1 && i > 0;
    const poiid = `V400m-5${String(shared ? i - 1 : i).padStart(8, "0")}`;
    const kind = i % 4;
    const transport =
      kind === 2
        ? localTransport({ endpoint: sim.url, key: SOAK_KEY })
        : cloudTransport({ endpoint: sim.url, ...(kind === 1 ? {} : { merchant: "SoakMerchant" }), apiKey: "soak" });
    lanes.push({
      index: i,
      poiid,
      saleId: `till-${i}`,
      shared,
      transport,
      timeouts: i % 3 === 0 ? TIGHT : {},
      sessions: newLaneSessions(),
    });
  }
  // A lane before a shared one shares its terminal too: neither scripts it.
  for (const lane of lanes) if (lanes[lane.index + 1]?.shared) lane.shared = true;

  const summary: SoakSummary = {
    seed: o.seed,
    flows: o.flows,
    durationMs: o.durationMs,
    wallMs: 0,
    runs: 0,
    statuses: {},
    codes: {},
    byFlow: {},
    cancelsPlanned: 0,
    totals: zeroCounts(),
    payments: {},
    sessionsLeftOpen: 0,
    endedBySweep: 0,
    violations,
    violationCounts: {},
    unexpected500: 0,
    kept: { requests: 0, bytes: 0 },
    driverLagMs: { p99: 0, max: 0 },
    simMemory: memoryFigures([]),
    driverMemory: memoryFigures([]),
    driverRetainedMb: 0,
    memoryJudged: false,
    simExit: null,
    simStopMs: 0,
    simLogLines: 0,
    loadAverage: [],
  };

  // How late the driver's own timers run: a busy driver is slow to see a kept-alive connection close.
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // One sample after a full collection before the first run and one after the last, for what stays.
  const driverSamples: MemorySample[] = [sampleMemory(true)];
  let tick = 0;
  const sampler = setInterval(() => driverSamples.push(sampleMemory(++tick % 10 === 0)), 1_000);
  const endAt = started + o.durationMs;
  let inFlight = 0;
  const progress = setInterval(() => {
    const s = sim.memory().at(-1);
    const d = driverSamples.at(-1);
    log(
      `${Math.round((Date.now() - started) / 1000)} s: ${summary.runs} runs, ${inFlight} in flight, ` +
        `${violations.length} violations; sim RSS ${s?.rss ?? "-"} MB heap ${s?.heapUsed ?? "-"} MB; driver ` +
        `heap ${d?.heapUsed ?? "-"} MB`,
    );
  }, o.progressMs);

  const runLane = async (lane: Lane) => {
    // Lanes start over the first two seconds, as tills do not all press the button at once.
    await new Promise((r) => setTimeout(r, (lane.index * 2_000) / o.flows));
    for (let n = 0; Date.now() < endAt; n++) {
      try {
        // A till starts its next flow a moment after the last one, not in the same millisecond.
        if (n > 0) await new Promise((r) => setTimeout(r, 250));
        const plan = planFor(o.seed, lane.index, n, planOptions(lane));
        // Two tills on one terminal never share a fixed session Id (flows.ts, fixedSessionId).
        let pick = plan.flow;
        while (lane.shared && flows[pick].fixedSessionId) pick = (pick + 1) % flows.length;
        const flow = flows[pick];
        const name = `lane ${lane.index} run ${n} (${flow.file})`;
        const terminal = `/terminals/${encodeURIComponent(lane.poiid)}`;
        if (!lane.shared) for (const c of controlCalls(plan)) await control.post(`${terminal}/${c.path}`, c.body);
        const sent: Sent[] = [];
        const http500 = new Set<string>();
        const paths = new Map<string, string>();
        const controller = new AbortController();
        const cancel =
          plan.cancelAtMs !== undefined ? setTimeout(() => controller.abort(), plan.cancelAtMs) : undefined;
        if (cancel) summary.cancelsPlanned++;
        const watchdog = timeoutAfter(o.hangMs + o.durationMs);
        inFlight++;
        let result: RunResult | undefined;
        let threw: string | undefined;
        try {
          const outcome = await Promise.race([
            runFlow(flow.flow, {
              calls: flow.called,
              terminal: watched(lane.transport, sent, http500),
              signal: controller.signal,
              params: paramsFor(flow, `L${lane.index}n${n}`, plan.bill),
              poiid: lane.poiid,
              saleId: lane.saleId,
              ids,
              sessionJournal: journal,
              timeouts: lane.timeouts,
              on: { request: (e) => void (e.path !== undefined && paths.set(e.serviceId, e.path)) },
            }),
            watchdog.promise,
          ]);
          if (outcome === "hang") {
            found("hang", name, `runFlow did not resolve within ${Math.round((o.hangMs + o.durationMs) / 1000)} s`);
            return;
          }
          result = outcome;
        } catch (error) {
          threw = error instanceof Error ? (error.stack ?? error.message) : String(error);
        } finally {
          inFlight--;
          watchdog.clear();
          clearTimeout(cancel);
        }
        for (const s of sent) {
          const path = paths.get(s.serviceId);
          if (path !== undefined) s.path = path;
        }
        // The session first: a Begin another POS on this terminal sends later is then in the log read
        // after it, so a session of the same Id is never taken for this run's.
        const session = (await control.get(`${terminal}/session`)) as { id: string } | null;
        // A delay fault holds an answer (and its log entry) after the run gave up on it: wait for it.
        let requests = (await control.get(`${terminal}/requests`)) as RequestLogEntry[];
        for (let waited = 0; waited < o.maxDelayMs + 2_000; waited += 250) {
          const mine = new Set(sent.map((s) => s.serviceId));
          if (!requests.some((e) => e.outcome === undefined && e.saleId === lane.saleId && mine.has(e.serviceId ?? "")))
            break;
          await new Promise((r) => setTimeout(r, 250));
          requests = (await control.get(`${terminal}/requests`)) as RequestLogEntry[];
        }
        const timeline = (await control.get(`${terminal}/timeline`)) as ScreenEvent[];
        const checked = verifyRun(
          { name, saleId: lane.saleId, ...(result ? { result } : {}), ...(threw ? { threw } : {}), sent },
          { requests, timeline, session },
          lane.sessions,
        );
        // An HTTP 500 is the terminal's only when a fault asked for it.
        for (const id of http500) {
          const entry = requests.find((e) => e.serviceId === id && e.saleId === lane.saleId);
          if (!entry?.faults?.includes("http 500")) {
            unexpected500++;
            found("log-inconsistent", name, `HTTP 500 for ${id} without an injected fault`);
          }
        }
        for (const v of checked.violations) found(v.kind, v.run, v.message);
        summary.runs++;
        summary.byFlow[flow.file] = (summary.byFlow[flow.file] ?? 0) + 1;
        const f = checked.figures;
        if (f.status) summary.statuses[f.status] = (summary.statuses[f.status] ?? 0) + 1;
        const code = result?.diagnostics[0]?.code;
        if (process.env.SOAK_DEBUG && code === "session-begin-failed")
          log(`DEBUG ${name} shared=${lane.shared}: ${result?.diagnostics[0]?.message}`);
        if (code) summary.codes[code] = (summary.codes[code] ?? 0) + 1;
        for (const [k, v] of Object.entries(f.payments)) summary.payments[k] = (summary.payments[k] ?? 0) + v;
        for (const key of Object.keys(summary.totals) as (keyof SoakSummary["totals"])[]) summary.totals[key] += f[key];
      } catch (error) {
        // A control call that failed: the simulator could not be scripted or read for this run.
        found("control-failed", `lane ${lane.index} run ${n}`, error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(lanes.map(runLane));
  clearInterval(progress);
  clearInterval(sampler);
  driverSamples.push(sampleMemory(true));
  summary.driverRetainedMb = Math.round((driverSamples.at(-1)!.heapUsed - driverSamples[0].heapUsed) * 10) / 10;
  lag.disable();
  summary.driverLagMs = { p99: Math.round(lag.percentile(99) / 1e6), max: Math.round(lag.max / 1e6) };

  // ---- the final sweep: no terminal keeps a session ----
  const byTerminal = new Map<string, Lane[]>();
  for (const lane of lanes) byTerminal.set(lane.poiid, [...(byTerminal.get(lane.poiid) ?? []), lane]);
  for (const [poiid, owners] of byTerminal) {
    // The last plan's scripts and faults are not the sweep's.
    for (const what of ["faults", "payments", "shopper"])
      await control.post(`/terminals/${encodeURIComponent(poiid)}/${what}/reset`);
    const state = (await control.get(`/terminals/${encodeURIComponent(poiid)}`)) as TerminalState;
    const open = state.session?.id;
    if (open === undefined) continue;
    // Whose it is: the POS whose Begin the terminal last accepted for that Id.
    const log = (await control.get(`/terminals/${encodeURIComponent(poiid)}/requests`)) as RequestLogEntry[];
    const began = lastOpening(log, open);
    const owner = owners.find((l) => l.saleId === began?.saleId) ?? owners.find((l) => l.sessions.has(open));
    if (!owner) {
      found("session-left-open", poiid, `session ${open} is open and no lane began it`);
      continue;
    }
    const story = storyOf(log, open);
    if (owner.sessions.get(open) !== "reported") {
      found(
        "session-left-open",
        `lane ${owner.index}`,
        `session ${open} is still open after the soak, never reported (${owner.sessions.get(open)}): ${story}`,
      );
      continue;
    }
    // Reported by its run: the way out the run named (termflow end-session).
    const ended = await endSession({ terminal: owner.transport, poiid, saleId: owner.saleId, sessionId: open });
    const after = (await control.get(`/terminals/${encodeURIComponent(poiid)}/session`)) as { id: string } | null;
    if (after !== null) {
      const last = log
        .slice(-6)
        .map(
          (e) => `${e.body} ${e.serviceId} ${e.saleId} ${e.outcome ?? "pending"}${e.faults ? ` [${e.faults}]` : ""}`,
        );
      found(
        "session-left-open",
        `lane ${owner.index}`,
        `session ${open} stays open after endSession (${ended.answer}); waiting ${JSON.stringify(state.waiting)}; last requests: ${last.join("; ")}`,
      );
    } else summary.endedBySweep++;
  }
  for (const poiid of byTerminal.keys()) {
    const session = await control.get(`/terminals/${encodeURIComponent(poiid)}/session`);
    if (session !== null) summary.sessionsLeftOpen++;
    const log = (await control.get(`/terminals/${encodeURIComponent(poiid)}/requests`)) as RequestLogEntry[];
    summary.kept.requests += log.length;
    summary.kept.bytes += log.reduce(
      (n, e) => n + JSON.stringify(e.request).length + JSON.stringify(e.response ?? "").length,
      0,
    );
  }
  for (const lane of lanes) await lane.transport.close?.();

  summary.simLogLines = sim.logLines();
  const stopping = Date.now();
  summary.simExit = await stopSimProcess(sim);
  summary.simStopMs = Date.now() - stopping;
  summary.wallMs = Date.now() - started;
  summary.unexpected500 = unexpected500;
  // Judged while the load runs: from half-time to the moment new runs stop (not the drain after it).
  const window = { from: started + o.durationMs / 2, to: endAt };
  summary.simMemory = memoryFigures(sim.memory(), window);
  summary.driverMemory = memoryFigures(driverSamples, window);
  if (process.env.SOAK_MEMORY_FILE) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      process.env.SOAK_MEMORY_FILE,
      JSON.stringify({ started, endAt, sim: sim.memory(), driver: driverSamples }),
    );
  }
  summary.memoryJudged = o.durationMs >= o.judgeMemoryAfterMs;
  for (const v of violations) summary.violationCounts[v.kind] = (summary.violationCounts[v.kind] ?? 0) + 1;
  const { loadavg } = await import("node:os");
  summary.loadAverage = loadavg().map((l) => Math.round(l * 100) / 100);
  return summary;
}

/** The heap that survives a collection may grow by at most this much a minute over the second half. */
export const FLAT_MB_PER_MIN = 1;
/**
 * The most the driver may keep once every run ended. A leak of a run's result (tens of KB) over
 * 20,000 runs would be hundreds of MB; the driver's heap while runs are in flight moves with how many
 * are (150 to 200) and is not judged.
 */
export const DRIVER_RETAINED_MB = 16;

/** Every invariant the soak holds, with what it found: `ok` false fails it. */
export function judge(s: SoakSummary): Array<{ what: string; ok: boolean; figure: string }> {
  const count = (kind: ViolationKind) => s.violationCounts[kind] ?? 0;
  const memory = (m: MemoryFigures) =>
    `heap ${m.heap.start}/${m.heap.peak}/${m.heap.end} MB (start/peak/end), ${m.heap.slopePerMin} ` +
    `MB/min; RSS ${m.rss.start}/${m.rss.peak}/${m.rss.end} MB, ${m.rss.slopePerMin} MB/min`;
  const flat = (m: MemoryFigures) => !s.memoryJudged || m.heap.slopePerMin <= FLAT_MB_PER_MIN;
  const judged = s.memoryJudged ? "" : " (not judged: a run shorter than the history takes to fill)";
  return [
    { what: "runs", ok: s.runs > 0, figure: `${s.runs}` },
    { what: "sessions left open", ok: s.sessionsLeftOpen === 0, figure: `${s.sessionsLeftOpen}` },
    {
      what: "sessions left open unreported",
      ok: count("session-left-open") === 0,
      figure: `${count("session-left-open")}`,
    },
    {
      what: "sessions begun and never ended",
      ok: count("session-not-ended") === 0,
      figure: `${count("session-not-ended")}`,
    },
    {
      what: "Ends after the POS saw the End succeed, or of another POS's session",
      ok: count("end-after-ended") + count("foreign-session-ended") === 0,
      figure: `${count("end-after-ended") + count("foreign-session-ended")}`,
    },
    {
      what: "payments duplicated",
      ok: count("payment-duplicated") + count("refund-duplicated") === 0,
      figure: `${count("payment-duplicated")} (refunds ${count("refund-duplicated")})`,
    },
    {
      what: "payment outcomes reported differently from the terminal",
      ok: count("payment-misreported") + count("payment-unreported") === 0,
      figure: `${count("payment-misreported")} (unreported ${count("payment-unreported")})`,
    },
    {
      what: "payments reported unknown although the terminal told the POS",
      ok: count("unknown-although-told") === 0,
      figure: `${count("unknown-although-told")}`,
    },
    {
      what: "runs that threw, errored internally or hung",
      ok: count("run-threw") + count("internal-error") + count("hang") === 0,
      figure: `${count("run-threw")} threw, ${count("internal-error")} internal errors, ${count("hang")} hung`,
    },
    {
      what: "HTTP 500 without a fault, simulator records that disagree, control calls that failed",
      ok: count("log-inconsistent") + count("control-failed") === 0,
      figure: `${s.unexpected500} HTTP 500, ${count("log-inconsistent") - s.unexpected500} other, ${count("control-failed")} control calls`,
    },
    { what: "termflow sim stops on Ctrl-C", ok: s.simExit === 130, figure: `exit ${s.simExit} in ${s.simStopMs} ms` },
    { what: `simulator memory flat${judged}`, ok: flat(s.simMemory), figure: memory(s.simMemory) },
    {
      what: `driver memory: kept once every run ended${judged}`,
      ok: !s.memoryJudged || s.driverRetainedMb <= DRIVER_RETAINED_MB,
      figure:
        `${s.driverRetainedMb} MB after ${s.runs} runs ` +
        `(${Math.round((s.driverRetainedMb * 1048576) / Math.max(1, s.runs))} bytes a run); under load ` +
        `${memory(s.driverMemory)}`,
    },
  ];
}
