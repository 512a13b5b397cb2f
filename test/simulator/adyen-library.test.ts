/**
 * Adyen's own Node library (@adyen/api-library 32) drives the simulator over HTTP: TerminalCloudAPI
 * on /sync, CloudDeviceAPI on /v1/.../sync and TerminalLocalAPI with its NexoCrypto on /nexo
 * complete a payment, an input and a session Begin/End. Our encrypted answers decrypt and pass
 * the library's HMAC check.
 *
 * The library only speaks HTTPS (and appends `:8443/nexo/` to the local endpoint), so a tiny
 * loopback HTTP client stands in for its socket layer; serialization, encryption and decoding are
 * the library's own (performance-baselines.md §3 explains the Client/httpClient quirks of 32.1.0).
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import * as adyenModule from "@adyen/api-library";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator, type SimulatorServer } from "../../simulator/index.js";
import { abort, begin, confirmation, end, payment, POIID, sidOf } from "./helpers.js";

// CommonJS: depending on the loader the classes sit on the namespace or on its default export.
type AdyenLibrary = typeof adyenModule;
const adyen: AdyenLibrary = (adyenModule as unknown as { default?: AdyenLibrary }).default ?? adyenModule;

const KEY = { identifier: "CryptoKeyIdentifier12345", version: 1, passphrase: "p@ssw0rd123456" };
const SECURITY_KEY = {
  AdyenCryptoVersion: 1,
  KeyIdentifier: KEY.identifier,
  KeyVersion: KEY.version,
  Passphrase: KEY.passphrase,
};
const API_KEY = "test-api-key";

/** The library's HttpClient interface over plain node:http to the simulator's port. */
class LoopbackHttpClient {
  constructor(private readonly port: number) {}
  request(endpoint: string, json: string | Buffer, config: { apiKey?: string }): Promise<string> {
    // `http://127.0.0.1:8443/nexo/` (local) or the configured cloud URL: send both to the simulator.
    const url = new URL(endpoint);
    url.port = String(this.port);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: "POST", headers: { "content-type": "application/json", "x-api-key": config.apiKey ?? "" } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () =>
            res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
          );
        },
      );
      req.on("error", reject);
      req.end(json);
    });
  }
}

type Json = Record<string, any>;

describe("simulator driven by @adyen/api-library", () => {
  let server: SimulatorServer;
  let sim: ReturnType<typeof createSimulator>;
  let client: InstanceType<typeof adyen.Client>;

  beforeEach(async () => {
    sim = createSimulator({ clock: new VirtualClock({ auto: true }), apiKey: API_KEY, key: KEY });
    server = await sim.listen();
    // 32.1.0 ignores an httpClient passed in the options object: it must be the second argument.
    client = new adyen.Client(
      { apiKey: API_KEY, environment: "TEST" as never },
      new LoopbackHttpClient(server.port) as never,
    );
    // The constructor sets the TEST endpoints; override them afterwards.
    client.config.terminalApiCloudEndpoint = server.url;
    client.config.terminalApiLocalEndpoint = "http://127.0.0.1";
  });

  afterEach(() => server.close());

  const sessionFlow = () => [
    begin("Table7", { InputRequest: 5000, Payment: 5000 }),
    confirmation("Split the bill?", 30),
    payment(25),
    end("Table7"),
  ];

  function assertFlowAnswers(answers: Json[]): void {
    const [begun, input, paid, ended] = answers.map((a) => a.SaleToPOIResponse);
    assert.equal(begun.AdminResponse.Response.Result, "Success");
    assert.equal(input.InputResponse.InputResult.Response.Result, "Success");
    assert.equal(input.InputResponse.InputResult.Input.ConfirmedFlag, true);
    assert.equal(paid.PaymentResponse.Response.Result, "Success");
    assert.equal(paid.PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount, 25);
    assert.equal(paid.PaymentResponse.POIData.POIReconciliationID, "1000");
    assert.equal(ended.AdminResponse.Response.Result, "Success");
    const timeline = sim
      .terminal(POIID)
      .timeline()
      .map((e) => e.screen);
    assert.deepEqual(timeline.slice(0, 6), ["idle", "input", "waiting", "payment", "result", "waiting"]);
    assert.deepEqual(
      sim
        .terminal(POIID)
        .requests()
        .map((r) => [r.body, r.outcome, r.session?.type]),
      [
        ["AdminRequest", "Success", "Begin"],
        ["InputRequest", "Success", undefined],
        ["PaymentRequest", "Success", undefined],
        ["AdminRequest", "Success", "End"],
      ],
    );
  }

  it("TerminalCloudAPI completes a session Begin, an input, a payment and End on /sync", async () => {
    const cloud = new adyen.TerminalCloudAPI(client);
    const answers: Json[] = [];
    for (const req of sessionFlow()) answers.push((await cloud.sync(req as never)) as unknown as Json);
    assertFlowAnswers(answers);
    assert.ok(
      sim
        .terminal(POIID)
        .requests()
        .every((r) => r.channel === "cloud"),
    );
  });

  it("CloudDeviceAPI completes the same flow on /v1/merchants/:merchant/devices/:poiid/sync", async () => {
    const device = new adyen.CloudDeviceAPI(client).CloudDeviceApi;
    (device as unknown as { baseUrl: string }).baseUrl = `${server.url}/v1`;
    const answers: Json[] = [];
    for (const req of sessionFlow())
      answers.push((await device.sync("TestMerchant", POIID, req as never)) as unknown as Json);
    assertFlowAnswers(answers);
  });

  it("TerminalLocalAPI with its NexoCrypto completes the flow encrypted on /nexo", async () => {
    const local = new adyen.TerminalLocalAPI(client);
    const answers: Json[] = [];
    for (const req of sessionFlow())
      answers.push((await local.request(req as never, SECURITY_KEY as never)) as unknown as Json);
    assertFlowAnswers(answers);
    const logged = sim.terminal(POIID).requests();
    assert.ok(logged.every((r) => r.channel === "local"));
    // The terminal read them decrypted: the log holds clear requests, not NexoBlobs.
    assert.ok(logged.every((r) => !JSON.stringify(r.request).includes("NexoBlob")));
  });

  it("TerminalLocalAPI gets an empty TerminalApiResponse for an abort and Failure/Aborted for the payment", async () => {
    // A manual clock: the payment runs until the abort arrives, however long that takes.
    const manual = createSimulator({ clock: new VirtualClock(), key: KEY });
    const manualServer = await manual.listen();
    try {
      const manualClient = new adyen.Client(
        { apiKey: API_KEY, environment: "TEST" as never },
        new LoopbackHttpClient(manualServer.port) as never,
      );
      manualClient.config.terminalApiLocalEndpoint = "http://127.0.0.1";
      const local = new adyen.TerminalLocalAPI(manualClient);
      const pay = payment(30);
      const running = local.request(pay as never, SECURITY_KEY as never);
      running.catch(() => undefined);
      for (let i = 0; i < 400 && manual.terminal(POIID).screen().screen !== "payment"; i++)
        await new Promise((r) => setTimeout(r, 5));
      const aborted = await local.request(abort(sidOf(pay)) as never, SECURITY_KEY as never);
      assert.equal((aborted as unknown as Json).SaleToPOIResponse, undefined);
      const answer = (await running) as unknown as Json;
      assert.equal(answer.SaleToPOIResponse.PaymentResponse.Response.ErrorCondition, "Aborted");
    } finally {
      await manualServer.close();
    }
  });

  it("refuses a wrong API key with 401 and a wrong encryption key with one generic error", async () => {
    const wrongKey = new adyen.Client(
      { apiKey: "wrong", environment: "TEST" as never },
      new LoopbackHttpClient(server.port) as never,
    );
    wrongKey.config.terminalApiCloudEndpoint = server.url;
    await assert.rejects(new adyen.TerminalCloudAPI(wrongKey).sync(payment(1) as never), /HTTP 401/);
    const local = new adyen.TerminalLocalAPI(client);
    await assert.rejects(
      local.request(payment(1) as never, { ...SECURITY_KEY, Passphrase: "not-the-passphrase" } as never),
      /HTTP 400: .*could not be decrypted or verified/,
    );
    await assert.rejects(
      local.request(payment(1) as never, { ...SECURITY_KEY, KeyVersion: 2 } as never),
      /HTTP 400: .*could not be decrypted or verified/,
    );
    assert.equal(sim.terminal(POIID).requests().length, 0, "nothing reached the terminal");
  });
});
