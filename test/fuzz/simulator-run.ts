/**
 * The simulator fuzzer: a real `termflow sim` process (the bundle, with a key so `/nexo` decrypts),
 * fuzz cases sent over loopback HTTP from several lanes at once, each lane on its own terminal, and
 * slow clients held open beside them. Findings: an HTTP 500, a request with no answer within the
 * budget, a connection reset nobody asked for, an answer that is not what the Terminal API spec
 * allows, the process dying or not stopping on Ctrl-C. Figures: status codes, times, the process's
 * peak RSS.
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { decryptEnvelope } from "../../protocol/index.js";
import { MAX_BODY_BYTES } from "../../simulator/index.js";
import { rssOf, startSimProcess, stopSimProcess } from "../support/sim-process.js";
import { specErrors } from "../support/terminal-api-spec.js";
import { percentile } from "./fuzz.js";
import type { Finding } from "./parser-check.js";
import { FUZZ_KEY, SIM_FAMILIES, type SimCase, simCase } from "./simulator-cases.js";

export interface SimFuzzOptions {
  seed: number;
  count: number;
  /** Requests in flight at once, each lane on its own terminal. */
  lanes: number;
  /** How long an answer may take before the request counts as hung. */
  budgetMs: number;
  /** Slow clients held open during the run (they must be closed by the server's timeouts). */
  slowClients: number;
  onFinding: (c: SimCase, index: number, finding: Finding) => void;
  /** Replays only this case index (all families) when set. */
  only?: { family?: string; index?: number };
}

export interface SimFuzzSummary {
  cases: number;
  byFamily: Record<string, number>;
  statuses: Record<string, number>;
  findings: Record<string, number>;
  maxMs: number;
  p99Ms: number;
  slowClientsClosedMs: number[];
  rssSamplesMb: number[];
  peakRssMb: number;
  exitCode: number | null;
  stopMs: number;
}

interface Reply {
  status?: number;
  body?: string;
  error?: string;
  ms: number;
}

function send(url: string, c: Extract<SimCase, { kind: "http" }>, budgetMs: number): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Omit<Reply, "ms">) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, ms: performance.now() - started });
    };
    const { hostname, port } = new URL(url);
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest(
        { host: hostname, port, path: c.path, method: c.method, headers: c.headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", (e) => finish({ status: res.statusCode, error: e.message }));
        },
      );
    } catch {
      // Node's client refuses to send it (an invalid path or header): nothing reached the simulator.
      return resolve({ error: "not sent", ms: 0 });
    }
    const timer = setTimeout(() => {
      req.destroy();
      finish({ error: "budget" });
    }, budgetMs);
    req.on("error", (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
    req.end(c.body);
  });
}

/** Raw bytes on a fresh connection; every status line the server writes back. */
function sendRaw(
  url: string,
  c: Extract<SimCase, { kind: "raw" }>,
  waitMs: number,
): Promise<{ statuses: number[]; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ statuses: [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])), closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.on("error", () => {});
    socket.write(c.bytes, () => {
      if (c.hangUp) socket.end();
    });
  });
}

/** What the Terminal API paths may answer: a response or Reject the spec allows, empty, or 4xx JSON. */
function judgeAnswer(c: Extract<SimCase, { kind: "http" }>, reply: Reply): Finding | undefined {
  const stage = `${c.method} ${c.path.slice(0, 80)}`;
  if (reply.status === 500) return { kind: "http-500", stage, message: (reply.body ?? "").slice(0, 300) };
  if (reply.error === "budget") return { kind: "hang", stage, message: "no answer within the budget" };
  if (reply.error === "not sent") return undefined;
  if (reply.error) {
    // A body over the limit may be cut off with 413 while it is still being written.
    if ((c.body?.length ?? 0) > MAX_BODY_BYTES) return undefined;
    return { kind: "connection", stage, message: `${reply.error} (no fault was scripted on this terminal)` };
  }
  if (c.path.startsWith("/__termflow") || reply.status !== 200 || !reply.body) return undefined;
  let message: any;
  try {
    message = JSON.parse(reply.body);
  } catch {
    return { kind: "answer-not-json", stage, message: reply.body.slice(0, 200) };
  }
  if (message?.SaleToPOIResponse?.NexoBlob || message?.SaleToPOIRequest?.NexoBlob) {
    const opened = decryptEnvelope(message, FUZZ_KEY);
    if (!opened.ok) return { kind: "answer-undecryptable", stage, message: opened.error };
    message = opened.message;
  }
  const errors = message?.SaleToPOIResponse
    ? specErrors(message, "TerminalAPIResponse")
    : message?.SaleToPOIRequest
      ? specErrors(message, "TerminalAPIRequest")
      : ["neither SaleToPOIResponse nor SaleToPOIRequest"];
  if (errors.length > 0) return { kind: "answer-off-spec", stage, message: errors.slice(0, 3).join("; ") };
  return undefined;
}

/** Slow clients: headers one byte at a time, every 2 s; resolves with how long the server let each stay. */
function holdSlowClient(url: string, maxMs: number): Promise<number> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const text = "POST /sync HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    let i = 0;
    const drip = setInterval(() => socket.write(text[i++ % text.length] ?? "a"), 2_000);
    const stop = () => {
      clearInterval(drip);
      clearTimeout(limit);
      socket.destroy();
      resolve(performance.now() - started);
    };
    const limit = setTimeout(stop, maxMs);
    socket.on("close", stop);
    socket.on("error", () => {});
  });
}

/** Runs the simulator fuzz; never throws for what the simulator does (that is what it reports). */
export async function fuzzSimulator(options: SimFuzzOptions): Promise<SimFuzzSummary> {
  const sim = await startSimProcess(
    [
      "--payment-ms",
      "0",
      "--think-ms",
      "0",
      "--key-id",
      FUZZ_KEY.identifier,
      "--key-version",
      String(FUZZ_KEY.version),
      "--passphrase-env",
      "FUZZ_PASSPHRASE",
    ],
    { env: { FUZZ_PASSPHRASE: FUZZ_KEY.passphrase } },
  );
  const pid = sim.child.pid!;
  const control = Array.from({ length: 4 }, (_, i) => `P400Plus-80000000${i}`);
  const summary: SimFuzzSummary = {
    cases: 0,
    byFamily: {},
    statuses: {},
    findings: {},
    maxMs: 0,
    p99Ms: 0,
    slowClientsClosedMs: [],
    rssSamplesMb: [],
    peakRssMb: 0,
    exitCode: null,
    stopMs: 0,
  };
  const times: number[] = [];
  const found = (c: SimCase, index: number, f: Finding) => {
    summary.findings[f.kind] = (summary.findings[f.kind] ?? 0) + 1;
    options.onFinding(c, index, f);
  };
  const sampler = setInterval(() => {
    const rss = rssOf(pid);
    if (rss !== undefined) summary.rssSamplesMb.push(Math.round(rss * 10) / 10);
  }, 1_000);
  const slow = Array.from({ length: options.slowClients }, () => holdSlowClient(sim.url, 120_000));

  const families = options.only?.family ? SIM_FAMILIES.filter((f) => f.name === options.only!.family) : SIM_FAMILIES;
  const jobs: Array<{ family: (typeof SIM_FAMILIES)[number]; index: number }> = [];
  if (options.only?.index !== undefined)
    for (const family of families) jobs.push({ family, index: options.only.index });
  else
    for (let k = 0; k < options.count; k++)
      jobs.push({ family: families[k % families.length], index: Math.floor(k / families.length) });

  let next = 0;
  const lane = async (n: number) => {
    const poiid = `V400m-7${String(n).padStart(8, "0")}`;
    while (next < jobs.length) {
      const { family, index } = jobs[next++];
      const c = simCase(options.seed, family, index, { poiid, control });
      summary.cases++;
      summary.byFamily[family.name] = (summary.byFamily[family.name] ?? 0) + 1;
      if (c.kind === "raw") {
        const r = await sendRaw(sim.url, c, 3_000);
        for (const s of r.statuses) summary.statuses[s] = (summary.statuses[s] ?? 0) + 1;
        if (r.statuses.includes(500)) found(c, index, { kind: "http-500", stage: "raw", message: "a status line 500" });
        if (c.complete && !c.hangUp && r.statuses.length === 0 && !r.closed)
          found(c, index, {
            kind: "hang",
            stage: "raw",
            message: "a whole request, no answer and no close within 3 s",
          });
        continue;
      }
      const reply = await send(sim.url, c, options.budgetMs);
      times.push(reply.ms);
      const key = reply.status !== undefined ? String(reply.status) : `error ${reply.error}`;
      summary.statuses[key] = (summary.statuses[key] ?? 0) + 1;
      const finding = judgeAnswer(c, reply);
      if (finding) found(c, index, finding);
      if (sim.child.exitCode !== null) {
        found(c, index, { kind: "process-died", stage: "sim", message: `exit ${sim.child.exitCode}: ${sim.stderr()}` });
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, (_, n) => lane(n)));

  // Every terminal's record stays readable after all that (issue 8 item 10: /requests stayed 500).
  for (const poiid of [
    ...Array.from({ length: options.lanes }, (_, n) => `V400m-7${String(n).padStart(8, "0")}`),
    ...control,
  ])
    for (const part of ["", "/requests", "/timeline", "/screen", "/session"]) {
      const c: SimCase = {
        family: "record",
        kind: "http",
        method: "GET",
        path: `/__termflow/terminals/${poiid}${part}`,
        headers: {},
      };
      const reply = await send(sim.url, c, options.budgetMs);
      if (reply.status === undefined || reply.status >= 500)
        found(c, 0, { kind: "record-unreadable", stage: c.path, message: `${reply.status ?? reply.error}` });
    }
  summary.slowClientsClosedMs = await Promise.all(slow);
  for (const ms of summary.slowClientsClosedMs)
    if (ms >= 119_000)
      found({ family: "slow-client", kind: "raw", bytes: Buffer.alloc(0), hangUp: false, complete: false }, 0, {
        kind: "slow-client-kept",
        stage: "slow client",
        message: "still open after 120 s",
      });

  clearInterval(sampler);
  summary.peakRssMb = rssOf(pid, "VmHWM") ?? Math.max(0, ...summary.rssSamplesMb);
  summary.maxMs = Math.max(0, ...times);
  summary.p99Ms = percentile(times, 99);
  const stopping = performance.now();
  summary.exitCode = await stopSimProcess(sim);
  summary.stopMs = performance.now() - stopping;
  if (summary.exitCode !== 130) {
    found({ family: "stop", kind: "raw", bytes: Buffer.alloc(0), hangUp: false, complete: false }, 0, {
      kind: "no-clean-stop",
      stage: "SIGINT",
      message: `exit ${summary.exitCode ?? "none: killed after 10 s"}`,
    });
  }
  return summary;
}
