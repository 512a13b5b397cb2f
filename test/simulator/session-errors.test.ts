/** Bad ServiceIdentification and session misuse: a clear Failure with an ErrorCondition and a message. */
import assert from "node:assert/strict";
import { decodeAdditionalResponse } from "../../protocol/index.js";
import type { ScreenEvent } from "../../simulator/index.js";
import {
  b64,
  begin,
  confirmation,
  display,
  end,
  inner,
  manualSim,
  payment,
  request,
  responseOf,
  sidOf,
} from "./helpers.js";

type Json = Record<string, any>;

const admin = (serviceIdentification: string) =>
  request("AdminRequest", { ServiceIdentification: serviceIdentification });
const op = (Type: string, ms: unknown, Variant = "WaitingScreen") => ({
  Type,
  Variant,
  UserInterfaceData: { WaitingScreenTimeoutMs: ms },
});

describe("simulator session errors", () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ["not Base64", "this is not base64!", "MessageFormat", /not Base64/],
    ["Base64 but not JSON", Buffer.from("{Session:").toString("base64"), "MessageFormat", /not JSON/],
    ["no Session", b64({ Operation: [] }), "MessageFormat", /Session is missing/],
    [
      "missing Id (spelled ID)",
      b64({ Session: { ID: "S1", Type: "Begin" }, Operation: [op("InputRequest", 5000)] }),
      "MessageFormat",
      /Id is missing \(it is spelled Id\)/,
    ],
    ["unknown Type", b64({ Session: { Id: "S1", Type: "Start" } }), "MessageFormat", /Type "Start" is unknown/],
    [
      "Begin without Operation",
      b64({ Session: { Id: "S1", Type: "Begin" } }),
      "MessageFormat",
      /Operation is missing on Begin/,
    ],
    [
      "unknown Operation Type",
      b64({ Session: { Id: "S1", Type: "Begin" }, Operation: [op("PaymentRequest", 5000)] }),
      "MessageFormat",
      /Type "PaymentRequest" is unknown \(InputRequest, DisplayRequest or Payment\)/,
    ],
    [
      "unknown Variant",
      b64({ Session: { Id: "S1", Type: "Begin" }, Operation: [op("InputRequest", 5000, "Spinner")] }),
      "MessageFormat",
      /Variant "Spinner" is unknown/,
    ],
    [
      "negative timeout",
      b64({ Session: { Id: "S1", Type: "Begin" }, Operation: [op("InputRequest", -5)] }),
      "MessageFormat",
      /at least 1 ms, got -5/,
    ],
    [
      "absurd timeout",
      b64({ Session: { Id: "S1", Type: "Begin" }, Operation: [op("InputRequest", 86_400_000)] }),
      "MessageFormat",
      /at most 600000 ms/,
    ],
    [
      "fractional timeout",
      b64({ Session: { Id: "S1", Type: "Begin" }, Operation: [op("InputRequest", 1.5)] }),
      "MessageFormat",
      /whole number of milliseconds/,
    ],
    [
      "type listed twice",
      b64({ Session: { Id: "S1", Type: "Begin" }, Operation: [op("InputRequest", 1), op("InputRequest", 2)] }),
      "MessageFormat",
      /listed twice/,
    ],
    [
      "End with an unknown Id",
      b64({ Session: { Id: "Nope", Type: "End" } }),
      "NotFound",
      /No open session or scan with Id Nope; no session is open/,
    ],
  ];
  for (const [name, si, condition, message] of cases) {
    it(`answers ${condition} for ${name}`, async () => {
      const { sim, terminal } = manualSim();
      const response = responseOf(await sim.handle(admin(si)));
      assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", condition]);
      assert.match(decodeAdditionalResponse(response.AdditionalResponse).message, message);
      assert.equal(terminal.session, null);
    });
  }

  it("refuses Begin while a session is open and keeps the first session", async () => {
    const { sim, terminal } = manualSim();
    await sim.handle(begin("S1", { InputRequest: 1000 }));
    const response = responseOf(await sim.handle(begin("S2", { DisplayRequest: 1000 })));
    assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", "NotAllowed"]);
    assert.match(decodeAdditionalResponse(response.AdditionalResponse).message, /Session S1 is already open/);
    assert.equal(terminal.session?.id, "S1");
  });

  it("refuses End with another session's Id and keeps the session open", async () => {
    const { sim, terminal } = manualSim();
    await sim.handle(begin("S1", { InputRequest: 1000 }));
    const response = responseOf(await sim.handle(end("S9")));
    assert.equal(response.ErrorCondition, "NotFound");
    assert.match(decodeAdditionalResponse(response.AdditionalResponse).message, /the open session is S1/);
    assert.equal(terminal.session?.id, "S1");
  });

  it("rejects an AdminRequest without ServiceIdentification with Adyen's field wording", async () => {
    const { sim } = manualSim();
    const response = responseOf(await sim.handle(request("AdminRequest", {})));
    assert.equal(response.ErrorCondition, "MessageFormat");
    assert.equal(
      decodeAdditionalResponse(response.AdditionalResponse).errors,
      "At SaleToPOIRequest.AdminRequest, field ServiceIdentification: Missing",
    );
  });

  it("starts a barcode scan (Type Once) and cancels it with End", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    const scan = (type: string) =>
      admin(
        b64({
          Session: { Id: "Scan_1", Type: type },
          ...(type === "Once" ? { Operation: [{ Type: "ScanBarcode", TimeoutMs: 15000 }] } : {}),
        }),
      );
    assert.equal(responseOf(await sim.handle(scan("Once"))).Result, "Success");
    assert.equal(terminal.screen().screen, "input");
    await clock.advance(2000);
    assert.equal(responseOf(await sim.handle(scan("End"))).Result, "Success");
    assert.deepEqual(terminal.screen(), { at: t0 + 2000, screen: "idle", reason: "scan cancelled by the POS" });
    assert.deepEqual(
      terminal.requests().map((r) => r.session),
      [
        { id: "Scan_1", type: "Once" },
        { id: "Scan_1", type: "End" },
      ],
    );
  });
});

describe("simulator: a refused request changes no screen", () => {
  /** Session S1 with a 5000 ms display waiting screen, showing since 0. */
  async function waitingScreen() {
    const setup = manualSim({ paymentMs: 1000 });
    await setup.sim.handle(begin("S1", { DisplayRequest: 5000, Payment: 5000 }));
    const welcome = display("Welcome");
    assert.equal(responseOf(await setup.sim.handle(welcome)).Result, "Success");
    await setup.clock.advance(1000);
    return { ...setup, welcomeSid: sidOf(welcome) };
  }
  const screens = (events: ScreenEvent[], t0: number) =>
    events.map((e) => [e.at - t0, e.screen, e.screen === "idle" ? e.reason : ""]);
  const WAITING_RUNS_ITS_COURSE = [
    [0, "idle", "started"],
    [0, "display", ""],
    [0, "waiting", ""],
    [5000, "idle", "waiting screen timed out"],
  ];

  const refused: Array<[string, (welcomeSid: string) => Json, string]> = [
    ["a second Begin (NotAllowed)", () => begin("S2", { InputRequest: 1000 }), "NotAllowed"],
    ["an End with an unknown Id (NotFound)", () => end("S9"), "NotFound"],
    ["a Begin that is not Base64 (MessageFormat)", () => admin("this is not base64!"), "MessageFormat"],
    ["a display without DisplayOutput (MessageFormat)", () => request("DisplayRequest", {}), "MessageFormat"],
    ["a reused ServiceID (NotAllowed)", (sid) => display("Again", undefined, { ServiceID: sid }), "NotAllowed"],
  ];
  for (const [name, build, condition] of refused) {
    it(`${name} does not interrupt a showing waiting screen`, async () => {
      const { sim, clock, terminal, t0, welcomeSid } = await waitingScreen();
      const before = terminal.timeline();
      const response = responseOf(await sim.handle(build(welcomeSid)));
      assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", condition]);
      assert.deepEqual(terminal.timeline(), before);
      await clock.advance(10_000);
      assert.deepEqual(screens(terminal.timeline(), t0), WAITING_RUNS_ITS_COURSE);
      assert.equal(terminal.session?.id, "S1");
    });
  }

  it("Busy (another POS holds the terminal) does not interrupt it either", async () => {
    const { sim, clock, terminal, t0 } = await waitingScreen();
    terminal.faults.busy();
    assert.equal(responseOf(await sim.handle(display("Mine"))).ErrorCondition, "Busy");
    await clock.advance(10_000);
    assert.deepEqual(screens(terminal.timeline(), t0), WAITING_RUNS_ITS_COURSE);
  });

  it("a refund of a declined payment (NotAllowed) leaves the payment's waiting screen", async () => {
    const { sim, clock, terminal, t0 } = await waitingScreen();
    const declined = sim.handle(payment(11.24));
    await clock.advance(1000);
    const paid = inner(await declined).PaymentResponse;
    assert.equal(paid.Response.ErrorCondition, "Refusal");
    const refund = request("ReversalRequest", {
      OriginalPOITransaction: { POITransactionID: paid.POIData.POITransactionID },
      ReversalReason: "MerchantCancel",
    });
    assert.equal(responseOf(await sim.handle(refund)).ErrorCondition, "NotAllowed");
    await clock.advance(10_000);
    assert.deepEqual(screens(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "display", ""],
      [0, "waiting", ""],
      [1000, "payment", ""],
      [2000, "result", ""],
      [2000, "waiting", ""],
      [7000, "idle", "waiting screen timed out"],
    ]);
  });

  it("a refused Begin does not end a pending input", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    await sim.handle(begin("S1", { InputRequest: 3000 }));
    terminal.shopper.answer({ confirm: true, thinkMs: 2000 });
    const answer = sim.handle(confirmation("Join?"));
    await clock.advance(1000);
    assert.equal(responseOf(await sim.handle(begin("S2", { InputRequest: 1000 }))).ErrorCondition, "NotAllowed");
    assert.equal(responseOf(await sim.handle(end("S9"))).ErrorCondition, "NotFound");
    await clock.advance(1000);
    assert.equal(responseOf(await answer).Result, "Success");
    await clock.advance(5000);
    assert.deepEqual(screens(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "input", ""],
      [2000, "waiting", ""],
      [5000, "idle", "waiting screen timed out"],
    ]);
  });

  it("an End with another Id leaves a running scan", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    await sim.handle(
      admin(b64({ Session: { Id: "Scan_1", Type: "Once" }, Operation: [{ Type: "ScanBarcode", TimeoutMs: 15000 }] })),
    );
    assert.equal(responseOf(await sim.handle(end("Scan_2"))).ErrorCondition, "NotFound");
    await clock.advance(20_000);
    assert.deepEqual(screens(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "input", ""],
      [15000, "idle", "scan timed out"],
    ]);
  });
});
