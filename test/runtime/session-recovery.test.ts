/**
 * Issue 8 item 14: a session left open (a crashed run, an End the terminal never processed) makes the
 * terminal refuse every later Begin with NotAllowed. With a session journal, the next run of the same
 * POS ends it first and begins its own; a session of a run still going, or of another POS, is never
 * touched; an End that provably never reached the terminal is sent again. In-process, VirtualClock.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { VirtualClock, type SaleToPOIRequest } from "../../protocol/index.js";
import { sessionBeginRequest, envelope } from "../../runtime/nexo/requests.js";
import { runFlow, type RunOptions } from "../../runtime/run-flow.js";
import { endSession } from "../../runtime/session-end.js";
import { fileSessionJournal, memorySessionJournal, type SessionJournal } from "../../runtime/session-journal.js";
import { TransportError, type Transport } from "../../runtime/transport.js";
import { simulatorTransport } from "../../runtime/transports/simulator.js";
import { createSimulator, type SimulatedTerminalApi } from "../../simulator/index.js";
import { flowOf } from "./support/fake-terminal.js";

const POIID = "V400m-600000006";
const sessionFlow = (id: string, inner = `display "Hello"`) =>
  flowOf(`session waiting 5000 id "${id}" <\n  ${inner}\n>\n`);

function setup() {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock, thinkTimeMs: 5 });
  const terminal = simulator.terminal(POIID);
  const run = (flow: ReturnType<typeof flowOf>, journal: SessionJournal | undefined, extra: Partial<RunOptions> = {}) =>
    runFlow(flow, {
      terminal: simulator,
      clock,
      poiid: POIID,
      ...(journal ? { sessionJournal: journal } : {}),
      ...extra,
    });
  return { clock, simulator, terminal, run };
}

/** The terminal's log: `AdminRequest Begin A Success`, `DisplayRequest Success`. */
const logOf = (terminal: SimulatedTerminalApi) =>
  terminal
    .requests()
    .map((e) => (e.session ? `${e.body} ${e.session.type} ${e.session.id} ${e.outcome}` : `${e.body} ${e.outcome}`));

/** Opens session `id` of `saleId` on the terminal the way a run that then died would have. */
async function openDirectly(simulator: ReturnType<typeof createSimulator>, id: string, saleId = "termflow") {
  const request = envelope("AdminRequest", sessionBeginRequest(id, [{ request: "display", timeoutMs: 5000 }]), {
    saleId,
    poiid: POIID,
    serviceId: `B${id}`.slice(0, 10),
  }) as unknown as SaleToPOIRequest;
  await simulator.handle(request);
}

/** The pid of a process that has exited (a run killed with -9 leaves one like it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("runtime: sessions left open are recoverable", () => {
  it("an End answered by an unprocessed HTTP 500 leaves the session open; the next run of this POS ends it, then begins", async () => {
    const { terminal, run } = setup();
    const journal = memorySessionJournal();
    const first = await run(sessionFlow("A"), journal, {
      on: { sessionBegin: () => void terminal.faults.http500({ category: "Admin" }) },
    });
    assert.equal(first.status, "error");
    assert.equal(first.diagnostics[0].code, "transport-http");
    assert.match(
      first.diagnostics[0].hint ?? "",
      /termflow end-session --poiid V400m-600000006 --sale-id termflow --session-id A/,
    );
    assert.equal(terminal.session?.id, "A", "the terminal still holds it");
    assert.deepEqual(
      journal.list(POIID, "termflow").map((s) => s.id),
      ["A"],
    );

    const second = await run(sessionFlow("B"), journal);
    assert.equal(second.status, "passed", JSON.stringify(second.diagnostics));
    assert.equal(second.warnings[0].code, "session-recovered");
    assert.match(
      second.warnings[0].message,
      /^ended session "A", left open on V400m-600000006 by an earlier run \(pid \d+, begun .+\), before beginning session "B"$/,
    );
    assert.deepEqual(logOf(terminal).slice(3), [
      "AdminRequest Begin B Failure/NotAllowed",
      "AdminRequest End A Success",
      "AdminRequest Begin B Success",
      "DisplayRequest Success",
      "AdminRequest End B Success",
    ]);
    assert.equal(terminal.session, null);
    assert.deepEqual(journal.list(POIID, "termflow"), []);
  });

  it("after a crash (the journal's run is a dead process): ends the left-open session, even with the same Id", async () => {
    const { simulator, terminal, run } = setup();
    const dir = mkdtempSync(join(tmpdir(), "termflow-journal-"));
    const journal = fileSessionJournal(dir);
    await openDirectly(simulator, "S1");
    journal.opening({
      poiid: POIID,
      saleId: "termflow",
      id: "S1",
      openedAt: 0,
      owner: { host: hostname(), pid: deadPid(), run: "x" },
    });
    const result = await run(sessionFlow("S1"), journal);
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(logOf(terminal).slice(1), [
      "AdminRequest Begin S1 Failure/NotAllowed",
      "AdminRequest End S1 Success",
      "AdminRequest Begin S1 Success",
      "DisplayRequest Success",
      "AdminRequest End S1 Success",
    ]);
    assert.deepEqual(readdirSync(dir), [], "nothing left in the journal");
  });

  it("keeps a left-open session in the journal when the next Begin of the same Id is refused otherwise (Busy)", async () => {
    // Found by npm run soak: with a flow's fixed `id`, the refused Begin struck off the journal's
    // record of the session still open (same key), and every later Begin was NotAllowed for good.
    const { terminal, run } = setup();
    const journal = memorySessionJournal();
    terminal.faults.http500({ category: "Admin", session: "End" });
    assert.equal((await run(sessionFlow("A"), journal)).status, "error");
    assert.equal(terminal.session?.id, "A");
    terminal.faults.busy({ category: "Admin", session: "Begin" });
    const busy = await run(sessionFlow("A"), journal);
    assert.equal(busy.diagnostics[0].code, "session-begin-failed");
    assert.deepEqual(
      journal.list(POIID, "termflow").map((s) => s.id),
      ["A"],
      "the session still open is still written down",
    );
    const next = await run(sessionFlow("A"), journal);
    assert.equal(next.status, "passed", JSON.stringify(next.diagnostics));
    assert.deepEqual(logOf(terminal).slice(-5), [
      "AdminRequest Begin A Failure/NotAllowed",
      "AdminRequest End A Success",
      "AdminRequest Begin A Success",
      "DisplayRequest Success",
      "AdminRequest End A Success",
    ]);
    assert.equal(terminal.session, null);
  });

  it("keeps a left-open session in the journal when its recovery End fails too (same Id)", async () => {
    const { terminal, run } = setup();
    const journal = memorySessionJournal();
    terminal.faults.http500({ category: "Admin", session: "End" });
    await run(sessionFlow("A"), journal);
    terminal.faults.http500({ category: "Admin", session: "End" });
    const failed = await run(sessionFlow("A"), journal);
    assert.equal(failed.diagnostics[0].code, "session-begin-failed");
    assert.deepEqual(
      journal.list(POIID, "termflow").map((s) => s.id),
      ["A"],
    );
    assert.equal((await run(sessionFlow("A"), journal)).status, "passed");
    assert.equal(terminal.session, null);
  });

  it("strikes off the journal's left-open sessions when the terminal accepts a Begin (they are gone)", async () => {
    const { run } = setup();
    const journal = memorySessionJournal();
    journal.opening({
      poiid: POIID,
      saleId: "termflow",
      id: "OLD",
      openedAt: 0,
      owner: { host: hostname(), pid: deadPid(), run: "x" },
    });
    const result = await run(sessionFlow("NEW"), journal);
    assert.equal(result.status, "passed");
    assert.deepEqual(result.warnings, [], "nothing to recover: no End sent for it");
    assert.deepEqual(journal.list(POIID, "termflow"), []);
  });

  it("never ends the session of a run still going (same journal, same process)", async () => {
    const { terminal, run } = setup();
    const journal = memorySessionJournal();
    terminal.shopper.answer({ digits: "12", thinkMs: 60_000 });
    let second: Promise<Awaited<ReturnType<typeof run>>> | undefined;
    // While the first run waits for the shopper inside its session, a second run of this POS begins.
    const first = await run(sessionFlow("LONG", `input digits "Table?"`), journal, {
      on: { sessionBegin: () => void (second = run(sessionFlow("OTHER"), journal)) },
    });
    assert.equal(first.status, "passed", JSON.stringify(first.diagnostics));
    const other = await second!;
    assert.equal(other.status, "failed");
    assert.equal(other.diagnostics[0].code, "session-begin-failed");
    assert.match(other.diagnostics[0].hint ?? "", /another session is open on V400m-600000006; .*termflow end-session/);
    assert.deepEqual(
      logOf(terminal).filter((l) => l.startsWith("AdminRequest")),
      [
        "AdminRequest Begin LONG Success",
        "AdminRequest Begin OTHER Failure/NotAllowed",
        "AdminRequest End LONG Success",
      ],
      "only its own run ended it",
    );
  });

  it("never ends another POS's session (another SaleID): the Begin fails, with the way out", async () => {
    const { simulator, terminal, run } = setup();
    const journal = memorySessionJournal();
    await openDirectly(simulator, "THEIRS", "other-till");
    const result = await run(sessionFlow("MINE"), journal);
    assert.equal(result.status, "failed");
    assert.match(result.diagnostics[0].message, /Failure NotAllowed/);
    assert.deepEqual(logOf(terminal).slice(1), ["AdminRequest Begin MINE Failure/NotAllowed"]);
    assert.equal(terminal.session?.id, "THEIRS");
  });

  it("sends an End again when it provably never reached the terminal (connection refused), once it does", async () => {
    const { clock, simulator, terminal } = setup();
    const inner = simulatorTransport(simulator);
    let refusals = 2;
    const flaky: Transport = {
      description: "flaky",
      send: (request, options) => {
        const admin = (request.SaleToPOIRequest as { AdminRequest?: { ServiceIdentification: string } }).AdminRequest;
        const isEnd = admin && Buffer.from(admin.ServiceIdentification, "base64").toString().includes('"End"');
        if (isEnd && refusals-- > 0)
          return Promise.reject(
            new TransportError("connection", "connection refused by 10.0.0.9:8443", undefined, true),
          );
        return inner.send(request, options);
      },
    };
    const started = clock.now();
    const result = await runFlow(sessionFlow("R"), { terminal: flaky, clock, poiid: POIID });
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.equal(result.messages.filter((m) => m.direction === "request" && m.name === "AdminRequest").length, 4);
    assert.equal(
      logOf(terminal).filter((l) => l.startsWith("AdminRequest End")).length,
      1,
      "one End reached the terminal",
    );
    assert.equal(terminal.session, null);
    assert.equal(result.endedAt - started, 3000, "after 1 s and 2 s");
  });

  it("endSession ends a session by its Id, and says when there is none", async () => {
    const { clock, simulator, terminal } = setup();
    await openDirectly(simulator, "STUCK");
    const wrong = await endSession({ terminal: simulator, clock, poiid: POIID, saleId: "termflow", sessionId: "NOPE" });
    assert.equal(wrong.outcome, "not-open");
    assert.match(
      wrong.answer,
      /^Failure NotFound \(message: No open session or scan with Id NOPE; the open session is STUCK\)$/,
    );
    const right = await endSession({
      terminal: simulator,
      clock,
      poiid: POIID,
      saleId: "termflow",
      sessionId: "STUCK",
    });
    assert.deepEqual([right.outcome, right.answer], ["ended", "Success"]);
    assert.equal(terminal.session, null);
  });
});
