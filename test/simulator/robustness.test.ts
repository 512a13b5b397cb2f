/** Bad input of every kind gets a clear answer, never a crash: envelopes, JSON, paths, sizes, keys. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator } from "../../simulator/index.js";
import { encryptEnvelope } from "../../protocol/index.js";
import { decodeAdditionalResponse } from "../../protocol/index.js";
import type { RequestLogEntry } from "../../simulator/index.js";
import {
  abort,
  begin,
  confirmation,
  display,
  end,
  menu,
  inner,
  manualSim,
  payment,
  POIID,
  request,
  responseOf,
  SALE_ID,
  status,
  tick,
} from "./helpers.js";
import { specErrors } from "../support/terminal-api-spec.js";

type Json = Record<string, any>;
const body = (answer: unknown): Json => JSON.parse((answer as { body: string }).body);
const rejectMessage = (answer: unknown): string =>
  new URLSearchParams(body(answer).SaleToPOIRequest.EventNotification.EventDetails).get("message")!;

describe("simulator robustness", () => {
  it("answers text that is not JSON with Adyen's Reject", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle("{not json");
    assert.equal((answer as { status: number }).status, 200);
    assert.equal(rejectMessage(answer), "Input is not a JSONObject");
    assert.deepEqual(specErrors(body(answer), "TerminalAPIRequest"), []);
  });

  it("answers a wrong top-level key with HTTP 400 and Adyen's errors list", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle({ SaleToPoiMessage: {} });
    assert.deepEqual(answer, {
      status: 400,
      body: JSON.stringify({ errors: ["At toplevel, field SaleToPOIRequest: Missing"] }),
      headers: { "content-type": "application/json" },
    });
  });

  const envelopes: Array<[string, unknown, RegExp]> = [
    ["a JSON array", [], /Input is not a JSONObject/],
    ["no MessageHeader", { SaleToPOIRequest: { DisplayRequest: {} } }, /field MessageHeader: Missing/],
    [
      "no body",
      { SaleToPOIRequest: { MessageHeader: (request("DisplayRequest", {}) as Json).SaleToPOIRequest.MessageHeader } },
      /no message body/,
    ],
    [
      "two bodies",
      { SaleToPOIRequest: { ...(display("x") as Json).SaleToPOIRequest, PrintRequest: {} } },
      /exactly one message body expected, got DisplayRequest, PrintRequest/,
    ],
    ["a header without POIID", request("DisplayRequest", {}, { POIID: undefined }), /field POIID: Missing/],
  ];
  for (const [name, value, message] of envelopes) {
    it(`rejects an envelope with ${name}`, async () => {
      const { sim } = manualSim();
      const answer = await sim.handle(value);
      assert.match(rejectMessage(answer), message);
    });
  }

  const formats: Array<[string, Json, RegExp]> = [
    [
      "a category that does not match the body",
      request("DisplayRequest", { DisplayOutput: [] }, { MessageCategory: "Input" }),
      /MessageCategory: Expected Display for DisplayRequest, got Input/,
    ],
    [
      "a class that does not match the body",
      payment(1, "EUR", { MessageClass: "Device" }),
      /MessageClass: Expected Service for PaymentRequest, got Device/,
    ],
    [
      "a ServiceID of 11 characters",
      display("x", undefined, { ServiceID: "ABCDEFGHIJK" }),
      /ServiceID: Expected 1 to 10 characters/,
    ],
    [
      "a ServiceID with symbols on the cloud",
      display("x", undefined, { ServiceID: "POS-1" }),
      /Only letters and digits are allowed on the cloud/,
    ],
    ["no ServiceID on a Service request", payment(1, "EUR", { ServiceID: undefined }), /field ServiceID: Missing/],
    [
      "a payment without currency",
      request("PaymentRequest", {
        SaleData: { SaleTransactionID: { TransactionID: "1", TimeStamp: "2026-01-01T00:00:00Z" } },
        PaymentTransaction: { AmountsReq: { RequestedAmount: 1 } },
      }),
      /AmountsReq, field Currency: Missing/,
    ],
    ["an unknown currency", payment(1, "EUX"), /Unknown currency EUX/],
    [
      "an amount sent as a string",
      payment("1.24" as unknown as number, "EUR"),
      /AmountsReq, field RequestedAmount: Expected a JSON number \(like 12\.5\), got the string "1\.24"$/,
    ],
    [
      "a tip sent as a string",
      payment(1, "EUR", {}, { TipAmount: "0.50" }),
      /AmountsReq, field TipAmount: Expected a JSON number \(like 12\.5\), got the string "0\.50"$/,
    ],
    [
      "a negative amount",
      payment(-1, "EUR"),
      /RequestedAmount: Expected a non-negative amount with at most the decimals of EUR/,
    ],
    [
      "too many decimals",
      payment(1.234, "EUR"),
      /RequestedAmount: Expected a non-negative amount with at most the decimals of EUR/,
    ],
    [
      "a display without outputs",
      request("DisplayRequest", { DisplayOutput: [] }),
      /DisplayOutput: Expected a non-empty array/,
    ],
    [
      "an unknown OutputFormat",
      request("DisplayRequest", {
        DisplayOutput: [{ Device: "CustomerDisplay", InfoQualify: "Display", OutputContent: { OutputFormat: "Html" } }],
      }),
      /DisplayOutput\[0\]\.OutputContent, field OutputFormat: Unknown value "Html"/,
    ],
    [
      "an unknown InputCommand",
      request("InputRequest", {
        InputData: { Device: "CustomerInput", InfoQualify: "Input", InputCommand: "GetSignature" },
      }),
      /InputData, field InputCommand: Unknown value "GetSignature"/,
    ],
  ];
  for (const [name, value, errors] of formats) {
    it(`answers Failure/MessageFormat for ${name}, in a body the spec accepts`, async () => {
      const { sim, terminal } = manualSim();
      const answer = await sim.handle(value);
      const response = responseOf(answer);
      assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", "MessageFormat"]);
      assert.match(decodeAdditionalResponse(response.AdditionalResponse).errors, errors);
      assert.deepEqual(specErrors(body(answer), "TerminalAPIResponse"), []);
      assert.equal(terminal.timeline().length, 1, "a refused request changes no screen");
    });
  }

  it("answers an unknown path with 404", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle(display("x"), { path: "/async" });
    assert.equal((answer as { status: number }).status, 404);
    assert.match(body(answer).errors[0], /No Terminal API endpoint at \/async/);
  });

  it("checks X-API-Key on the cloud paths only", async () => {
    const { sim } = manualSim({ apiKey: "secret" });
    const missing = await sim.handle(display("x"));
    assert.equal((missing as { status: number }).status, 401);
    assert.equal(((await sim.handle(display("x"), { apiKey: "wrong" })) as { status: number }).status, 401);
    assert.equal(responseOf(await sim.handle(display("x"), { apiKey: "secret" })).Result, "Success");
    assert.equal(responseOf(await sim.handle(display("x"), { path: "/nexo" })).Result, "Success");
    const device = await sim.handle(display("x"), { path: `/v1/merchants/M/devices/${POIID}/sync` });
    assert.equal((device as { status: number }).status, 401);
  });

  it("refuses a device path whose POIID differs from the header", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle(display("x"), { path: "/v1/merchants/M/devices/P400Plus-1/sync" });
    assert.match(
      decodeAdditionalResponse(responseOf(answer).AdditionalResponse).errors,
      /differs from the device in the path, P400Plus-1/,
    );
  });

  it("accepts only encrypted requests on /nexo when it has a key, and answers them encrypted", async () => {
    const key = { identifier: "K1", version: 1, passphrase: "secret-passphrase" };
    const { sim } = manualSim({ key });
    const clear = await sim.handle(display("x"), { path: "/nexo" });
    assert.equal((clear as { status: number }).status, 400);
    assert.match(body(clear).errors[0], /accepts only encrypted requests/);
    const encrypted = await sim.handle(encryptEnvelope(display("x"), key), { path: "/nexo" });
    const root = body(encrypted).SaleToPOIResponse;
    assert.ok(typeof root.NexoBlob === "string" && root.SecurityTrailer.KeyIdentifier === "K1");
    assert.equal(root.MessageHeader.MessageCategory, "Display");
  });

  it("answers an encrypted request without a key configured with a clear error, logged from its clear header", async () => {
    const seen: RequestLogEntry[] = [];
    const { sim, terminal } = manualSim({ onRequest: (e) => seen.push(e) });
    const sealed = encryptEnvelope(display("x"), {
      identifier: "K1",
      version: 1,
      passphrase: "secret-passphrase",
    }) as Json;
    const answer = await sim.handle(sealed, { path: "/nexo" });
    assert.equal((answer as { status: number }).status, 400);
    assert.match(
      body(answer).errors[0],
      /^This simulator has no key configured, so it cannot decrypt this encrypted request \(NexoBlob\): start it with --key-id/,
    );
    const header = sealed.SaleToPOIRequest.MessageHeader;
    assert.deepEqual(
      seen.map((e) => [e.poiid, e.category, e.body, e.serviceId, e.saleId, e.channel, e.outcome]),
      [[POIID, "Display", "encrypted", header.ServiceID, SALE_ID, "local", "http 400"]],
    );
    assert.equal(terminal.requests().length, 0, "no terminal read it");
  });

  it("answers a tampered encrypted request with the one generic error", async () => {
    const key = { identifier: "K1", version: 1, passphrase: "secret-passphrase" };
    const seen: RequestLogEntry[] = [];
    const { sim, terminal } = manualSim({ key, onRequest: (e) => seen.push(e) });
    const sealed = encryptEnvelope(display("x"), key) as Json;
    sealed.SaleToPOIRequest.NexoBlob = sealed.SaleToPOIRequest.NexoBlob.replace(/^./, (c: string) =>
      c === "A" ? "B" : "A",
    );
    const answer = await sim.handle(sealed, { path: "/nexo" });
    assert.deepEqual(body(answer), { errors: ["Nexo crypto error: the message could not be decrypted or verified"] });
    assert.equal(terminal.requests().length, 0);
    assert.deepEqual(
      seen.map((e) => [e.poiid, e.category, e.body, e.outcome]),
      [[POIID, "Display", "encrypted", "http 400"]],
    );
  });

  it("answers Failure bodies the spec accepts for every request type when busy", async () => {
    const { sim, clock } = manualSim();
    const running = sim.handle(payment(1));
    const bodies = [
      begin("S1", { InputRequest: 1000 }),
      request("InputRequest", {
        InputData: { Device: "CustomerInput", InfoQualify: "Input", InputCommand: "GetConfirmation" },
      }),
      display("x"),
      payment(2),
      request("ReversalRequest", { OriginalPOITransaction: {}, ReversalReason: "MerchantCancel" }),
      request("PrintRequest", {
        PrintOutput: {
          DocumentQualifier: "Document",
          ResponseMode: "PrintEnd",
          OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "x" }] },
        },
      }),
    ];
    for (const b of bodies) {
      const answer = await sim.handle(b);
      assert.equal(responseOf(answer).ErrorCondition, "Busy", JSON.stringify(inner(answer)));
      assert.deepEqual(specErrors(body(answer), "TerminalAPIResponse"), []);
    }
    await clock.runAll();
    await running;
  });
});

describe("no HTTP 500 for any input", () => {
  const deepArray = (depth: number): string => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

  it("answers a device path with bad percent-encoding with 400 naming the path", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle(display("x"), { path: "/v1/merchants/M/devices/%ZZ/sync" });
    assert.equal((answer as { status: number }).status, 400);
    assert.deepEqual(body(answer), {
      errors: ["The POIID in /v1/merchants/M/devices/%ZZ/sync is not valid percent-encoding"],
    });
  });

  it("refuses JSON nested deeper than 64 levels with a Reject, as text and as an object", async () => {
    const seen: RequestLogEntry[] = [];
    const { sim, terminal } = manualSim({ onRequest: (e) => seen.push(e) });
    const text = JSON.stringify(confirmation("Tip?")).replace('"InputData":', `"X":${deepArray(10_000)},"InputData":`);
    for (const sent of [text, JSON.parse(text)]) {
      const answer = await sim.handle(sent);
      assert.equal((answer as { status: number }).status, 200);
      assert.equal(rejectMessage(answer), "Input is nested deeper than 64 levels");
    }
    assert.deepEqual(
      seen.map((e) => e.outcome),
      ["reject", "reject"],
    );
    assert.equal(terminal.requests().length, 0);
    assert.doesNotThrow(() => JSON.stringify(seen));
  });

  it("reads a request nested 60 levels deep in an unknown field as any other", async () => {
    const { sim } = manualSim();
    const text = JSON.stringify(display("deep")).replace('"DisplayOutput":', `"X":${deepArray(55)},"DisplayOutput":`);
    assert.equal(responseOf(await sim.handle(text)).Result, "Success");
  });

  const wrongTypes: Array<[string, Json, RegExp]> = [
    [
      "a status MessageReference whose MessageCategory is an object",
      request("TransactionStatusRequest", { MessageReference: { MessageCategory: { toString: 1 } } }),
      /TransactionStatusRequest\.MessageReference, field MessageCategory: Expected a non-empty string/,
    ],
    [
      "a status MessageReference whose ServiceID is a number",
      request("TransactionStatusRequest", { MessageReference: { MessageCategory: "Payment", ServiceID: 7 } }),
      /MessageReference, field ServiceID: Expected a non-empty string/,
    ],
    [
      "a ReferenceID that is an object",
      request("InputRequest", {
        DisplayOutput: {
          Device: "CustomerDisplay",
          InfoQualify: "Display",
          OutputContent: { OutputFormat: "Text", PredefinedContent: { ReferenceID: { a: 1 } } },
        },
        InputData: { Device: "CustomerInput", InfoQualify: "Input", InputCommand: "GetConfirmation" },
      }),
      /PredefinedContent, field ReferenceID: Expected a non-empty string/,
    ],
  ];
  for (const [name, value, errors] of wrongTypes) {
    it(`answers Failure/MessageFormat for ${name}`, async () => {
      const { sim } = manualSim();
      const response = responseOf(await sim.handle(value));
      assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", "MessageFormat"]);
      assert.match(decodeAdditionalResponse(response.AdditionalResponse).errors, errors);
    });
  }

  it('reads a ReferenceID such as "constructor" as no known screen: the InputCommand decides', async () => {
    const { sim, terminal } = manualSim();
    const asked = JSON.parse(JSON.stringify(confirmation("Hi?")).replace('"GetConfirmation"}', '"constructor"}'));
    void sim.handle(asked);
    await tick();
    assert.equal(terminal.state().waiting?.for, "input");
    assert.deepEqual(
      [terminal.screen().screen, (terminal.screen() as { kind?: string }).kind],
      ["input", "confirmation"],
    );
  });
});

describe("no HTTP 500 for any mutation of a valid request (seeded property)", () => {
  const valid = [
    () => begin("S1", { InputRequest: 1000, DisplayRequest: 500, Payment: 2000 }),
    () => end("S1"),
    () => confirmation("Tip?", 30),
    () => menu("Pick one", ["Red", "Blue"]),
    () => display("Hello", 1),
    () => payment(12.5),
    () => status(undefined),
    () => abort("S000000001"),
  ];
  const odd = fc.oneof(
    fc.constantFrom(null, undefined, true, -1, 1e308, "", "\u0000", "constructor", "__proto__", [], {}),
    fc.string(),
    fc.double(),
    fc.jsonValue({ maxDepth: 2 }),
  );
  /** Every path to a value inside `value`, the empty path included. */
  const pathsIn = (value: unknown, at: string[] = [], out: string[][] = []): string[][] => {
    out.push(at);
    if (value && typeof value === "object")
      for (const k of Object.keys(value)) pathsIn((value as Json)[k], [...at, k], out);
    return out;
  };
  const replaced = (value: Json, path: string[], by: unknown): unknown => {
    if (path.length === 0) return by;
    let parent = value;
    for (const k of path.slice(0, -1)) parent = parent[k];
    if (by === undefined) delete parent[path[path.length - 1]];
    else parent[path[path.length - 1]] = by;
    return value;
  };

  it("answers 300 requests with up to 3 values replaced anywhere, as objects and as text, never with 500", async () => {
    const sim = createSimulator({ clock: new VirtualClock({ auto: true }), thinkTimeMs: 1, paymentMs: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.nat(valid.length - 1),
        fc.array(fc.tuple(fc.nat(), odd), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (which, edits, asText) => {
          let value: unknown = valid[which]();
          for (const [at, by] of edits) {
            if (!value || typeof value !== "object") break;
            const paths = pathsIn(value);
            value = replaced(value as Json, paths[at % paths.length], by);
          }
          const answer = await sim.handle(asText ? (JSON.stringify(value) ?? "") : value);
          assert.ok(!("status" in answer) || answer.status !== 500, JSON.stringify(answer));
        },
      ),
      { numRuns: 300 },
    );
  });
});
