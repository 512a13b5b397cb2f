/** The simulator over node:http: paths, the timeline route, body limit, resets, never crashing. */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator, type SimulatorServer } from "../../simulator/index.js";
import { begin, confirmation, display, POIID } from "./helpers.js";

interface Reply {
  status: number;
  body: string;
}

function send(
  url: string,
  method: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { "content-type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("simulator over HTTP", () => {
  let server: SimulatorServer;
  let sim: ReturnType<typeof createSimulator>;

  beforeEach(async () => {
    sim = createSimulator({ clock: new VirtualClock({ auto: true }) });
    server = await sim.listen();
  });
  afterEach(() => server.close());

  it("binds 127.0.0.1 on a free port by default", () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.port > 0);
  });

  it("answers POST /sync, /v1/.../sync and /nexo/ with the same terminal", async () => {
    const paths = ["/sync", `/v1/merchants/TestMerchant/devices/${POIID}/sync`, "/nexo/"];
    for (const path of paths) {
      const reply = await send(server.url + path, "POST", JSON.stringify(display(path)));
      assert.equal(reply.status, 200);
      assert.equal(JSON.parse(reply.body).SaleToPOIResponse.DisplayResponse.OutputResult[0].Response.Result, "Success");
    }
    assert.deepEqual(
      sim
        .terminal(POIID)
        .requests()
        .map((r) => r.channel),
      ["cloud", "cloud", "local"],
    );
  });

  it("serves a terminal's timeline and request log as JSON", async () => {
    await send(`${server.url}/sync`, "POST", JSON.stringify(begin("S1", { InputRequest: 2000 })));
    await send(`${server.url}/sync`, "POST", JSON.stringify(confirmation("Hello?")));
    const timeline = await send(`${server.url}/__termflow/terminals/${POIID}/timeline`, "GET");
    assert.equal(timeline.status, 200);
    assert.deepEqual(JSON.parse(timeline.body), sim.terminal(POIID).timeline());
    assert.deepEqual(
      JSON.parse(timeline.body)
        .map((e: { screen: string }) => e.screen)
        .slice(0, 3),
      ["idle", "input", "waiting"],
    );
    const log = JSON.parse((await send(`${server.url}/__termflow/terminals/${POIID}/requests`, "GET")).body);
    assert.deepEqual(
      log.map((r: { body: string }) => r.body),
      ["AdminRequest", "InputRequest"],
    );
    assert.deepEqual(JSON.parse((await send(`${server.url}/__termflow/terminals`, "GET")).body), [POIID]);
    const unknown = await send(`${server.url}/__termflow/terminals/P400Plus-0/timeline`, "GET");
    assert.equal(unknown.status, 404);
  });

  it("answers bodies over 1 MB with 413 and keeps serving", async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const reply = await send(`${server.url}/sync`, "POST", big).catch((e: Error) => ({ status: -1, body: e.message }));
    assert.equal(reply.status, 413, reply.body);
    // Without a Content-Length the limit is counted as the chunks arrive.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/sync`, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end();
    });
    assert.equal(chunked, 413);
    const ok = await send(`${server.url}/sync`, "POST", JSON.stringify(display("still here")));
    assert.equal(ok.status, 200);
  });

  it("answers invalid JSON with a Reject, GET /sync with 405, unknown paths with 404", async () => {
    const invalid = await send(`${server.url}/sync`, "POST", '{"SaleToPOIRequest":');
    assert.equal(invalid.status, 200);
    assert.equal(JSON.parse(invalid.body).SaleToPOIRequest.EventNotification.EventToNotify, "Reject");
    assert.equal((await send(`${server.url}/sync`, "GET")).status, 405);
    assert.equal((await send(`${server.url}/terminal`, "POST", "{}")).status, 404);
    assert.equal((await send(`${server.url}/sync`, "POST", "")).status, 200);
  });

  it("resets the connection for a dropped answer", async () => {
    sim.terminal(POIID).faults.drop();
    await assert.rejects(
      send(`${server.url}/sync`, "POST", JSON.stringify(display("lost"))),
      (e: NodeJS.ErrnoException) => e.code === "ECONNRESET" || /socket hang up/.test(e.message),
    );
    assert.equal((await send(`${server.url}/sync`, "POST", JSON.stringify(display("next")))).status, 200);
  });

  it("sends HTTP 500 for the http500 fault", async () => {
    sim.terminal(POIID).faults.http500();
    const reply = await send(`${server.url}/sync`, "POST", JSON.stringify(display("x")));
    assert.equal(reply.status, 500);
  });
});
