/**
 * The simulator's memory is bounded on any input: history by bytes (the oldest goes first), what
 * terminals remember by bytes, terminals by count (a quiet one makes room, a clear answer when none
 * can). Heap figures are measured after a full garbage collection.
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { decodeAdditionalResponse, VirtualClock } from "../../protocol/index.js";
import { createSimulator, type SimulatorOptions } from "../../simulator/index.js";
import { begin, display, end, inner, payment, POIID, responseOf, sidOf, status } from "./helpers.js";

type Json = Record<string, any>;
const MiB = 1024 * 1024;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const autoSim = (options: SimulatorOptions = {}) =>
  createSimulator({ clock: new VirtualClock({ auto: true }), paymentMs: 0, resultScreenMs: 0, ...options });

/** A payment whose SaleToAcquirerData carries `size` characters (unknown extra data, echoed nowhere). */
const bigPayment = (filler: string, header: Json = {}) => {
  const p = payment(12.5, "EUR", header);
  p.SaleToPOIRequest.PaymentRequest.SaleData.SaleToAcquirerData = filler;
  return p;
};

describe("simulator memory: history bounded by bytes", () => {
  it("200 payments of 900 KB each (180 MB) keep under historyBytes (16 MiB here) in count and on the heap", async () => {
    const sim = autoSim({ historyBytes: 16 * MiB });
    const before = heapAfterGc();
    const filler = "x".repeat(900 * 1024);
    for (let i = 0; i < 200; i++) await sim.handle(bigPayment(filler));
    const memory = sim.memory();
    assert.ok(memory.history.bytes <= 16 * MiB, `${memory.history.bytes} bytes counted`);
    const grown = heapAfterGc() - before;
    // Before the bound, 600 such payments kept 552 MB.
    assert.ok(grown < 16 * MiB + 4 * MiB, `the heap grew ${(grown / MiB).toFixed(1)} MiB`);
    const log = sim.terminal(POIID).requests();
    assert.ok(log.length >= 8 && log.length < 200, `${log.length} entries kept`);
    const newest = log[log.length - 1];
    assert.equal(newest.outcome, "Success", "the newest is kept");
    assert.equal((newest.request as Json).SaleToPOIRequest.PaymentRequest.SaleData.SaleToAcquirerData, filler);
  });

  it("counts a request, its answer and its screens: a small history keeps the newest few, the current screen always", async () => {
    const sim = autoSim({ historyBytes: 64 * 1024 });
    const terminal = sim.terminal(POIID);
    for (let i = 0; i < 2000; i++) await sim.handle(display(`screen ${i}`));
    const log = terminal.requests();
    const texts = log.map(
      (r) => (r.request as Json).SaleToPOIRequest.DisplayRequest.DisplayOutput[0].OutputContent.OutputText[0].Text,
    );
    assert.ok(log.length > 10 && log.length < 2000, `${log.length} entries`);
    assert.equal(texts.at(-1), "screen 1999");
    assert.deepEqual(
      texts,
      Array.from({ length: log.length }, (_, i) => `screen ${2000 - log.length + i}`),
      "the newest, in order, none missing between",
    );
    const screen = terminal.screen();
    assert.equal(screen.screen === "display" && screen.text, "screen 1999");
    assert.ok(sim.memory().history.bytes <= 64 * 1024);
  });

  it("keeps a quiet terminal's current screen and open session whatever other terminals send", async () => {
    const sim = autoSim({ historyBytes: 32 * 1024 });
    await sim.handle(begin("S1", { DisplayRequest: 600_000 }, { POIID: "A-1" }));
    await sim.handle(display("Thanks", undefined, { POIID: "A-1" }));
    for (let i = 0; i < 500; i++) await sim.handle(display(`flood ${i}`, undefined, { POIID: "B-1" }));
    const a = sim.terminal("A-1");
    assert.equal(a.requests().length, 0, "its log went first: it is the oldest");
    assert.deepEqual([a.screen().screen, a.session?.id], ["waiting", "S1"]);
    assert.equal(responseOf(await sim.handle(end("S1", { POIID: "A-1" }))).Result, "Success");
  });

  it("reset() gives a terminal's bytes back", async () => {
    const sim = autoSim();
    for (let i = 0; i < 100; i++) await sim.handle(display(`screen ${i}`));
    assert.ok(sim.memory().history.bytes > 0);
    sim.reset();
    assert.equal(sim.memory().history.bytes, 0);
    assert.equal(sim.memory().remembered.bytes, 0);
  });
});

describe("simulator memory: what terminals remember", () => {
  it("answers a status request for a recent payment after 40,000 requests, within the remembered budget", async () => {
    const sim = autoSim({ historyBytes: 4 * MiB });
    for (let i = 0; i < 40_000; i++) await sim.handle(display("x"));
    const paid = payment(12.5);
    await sim.handle(paid);
    const found = inner(await sim.handle(status(sidOf(paid)))).TransactionStatusResponse;
    assert.equal(found.Response.Result, "Success");
    assert.equal(found.RepeatedMessageResponse.RepeatedResponseMessageBody.PaymentResponse.Response.Result, "Success");
    const { remembered } = sim.memory();
    assert.ok(remembered.bytes <= remembered.limit && remembered.limit === 1 * MiB, JSON.stringify(remembered));
  });

  it("still refuses a ServiceID reused soon after, and forgets the oldest first", async () => {
    const sim = autoSim({ historyBytes: 64 * 1024 });
    const first = display("first");
    await sim.handle(first);
    const again = await sim.handle(first);
    assert.equal(responseOf(again).ErrorCondition, "NotAllowed");
    for (let i = 0; i < 2000; i++) await sim.handle(display("x"));
    // 2000 ServiceIDs later the first one is forgotten: the budget of 16 KiB holds fewer.
    assert.equal(responseOf(await sim.handle(first)).Result, "Success");
  });
});

describe("simulator memory: terminals by count", () => {
  it("5,000 POIIDs keep at most maxTerminals terminals: the least recently used quiet one makes room", async () => {
    const sim = autoSim({ maxTerminals: 100 });
    const before = heapAfterGc();
    for (let i = 0; i < 5000; i++) await sim.handle(display("x", undefined, { POIID: `P-${i}` }));
    assert.equal(sim.terminals().length, 100);
    assert.deepEqual(sim.terminals().slice(-2), ["P-4998", "P-4999"]);
    assert.ok(heapAfterGc() - before < 8 * MiB);
  });

  it("answers Failure / UnreachableHost, saying why, when every terminal is busy; serves again once one is quiet", async () => {
    const sim = autoSim({ maxTerminals: 2 });
    for (const p of ["A-1", "A-2"]) await sim.handle(begin("S1", { InputRequest: 1000 }, { POIID: p }));
    const refused = responseOf(await sim.handle(display("x", undefined, { POIID: "A-3" })));
    assert.deepEqual([refused.Result, refused.ErrorCondition], ["Failure", "UnreachableHost"]);
    assert.equal(
      decodeAdditionalResponse(refused.AdditionalResponse).message,
      "Terminal A-3 is not reachable: this simulator keeps at most 2 terminals (maxTerminals, termflow sim --max-terminals) " +
        "and every one of them is busy (a dialogue, an open session, a waiting screen or scripts pending); " +
        "raise the limit or end a session",
    );
    assert.deepEqual(sim.terminals(), ["A-1", "A-2"]);
    await sim.handle(end("S1", { POIID: "A-1" }));
    assert.equal(responseOf(await sim.handle(display("x", undefined, { POIID: "A-3" }))).Result, "Success");
    assert.deepEqual(sim.terminals(), ["A-2", "A-3"]);
  });

  it("never forgets a terminal with scripts pending", async () => {
    const sim = autoSim({ maxTerminals: 1 });
    sim.terminal("A-1").payments.next("decline");
    const refused = responseOf(await sim.handle(display("x", undefined, { POIID: "A-2" })));
    assert.equal(refused.ErrorCondition, "UnreachableHost");
    assert.equal(sim.terminal("A-1").payments.pending(), 1);
  });
});
