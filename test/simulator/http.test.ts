/** The simulator over node:http: paths, the timeline route, body limit, resets, never crashing. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { VirtualClock } from "../../protocol/index.js";
import { CONTROL_ROUTES } from "../../simulator/control/routes.js";
import { createSimulator, type SimulatorServer } from "../../simulator/index.js";
import { fromRoot, repoRoot } from "../support/paths.js";
import { begin, confirmation, display, payment, POIID } from "./helpers.js";

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

  it("answers 503 once the requests being read at once hold 64 MiB, and serves again when they are gone", async () => {
    const sockets = Array.from({ length: 70 }, () => connect(server.port, "127.0.0.1"));
    const answers = sockets.map(
      (socket) =>
        new Promise<string>((resolve) => {
          let received = "";
          socket.setEncoding("utf8");
          socket.on("data", (chunk: string) => {
            received += chunk;
            if (received.includes("\r\n\r\n{")) resolve(received);
          });
          socket.on("error", () => resolve(received));
          socket.on("close", () => resolve(received));
          socket.write(`POST /sync HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
          socket.write(Buffer.alloc(1_000_000, 0x20));
        }),
    );
    const first = await Promise.race(answers);
    assert.match(
      first,
      /^HTTP\/1\.1 503 [\s\S]*Retry-After: 1[\s\S]*"errors":\["The simulator is reading 67108864 bytes of requests at once already; send again shortly"\]/i,
    );
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const ok = await send(`${server.url}/sync`, "POST", JSON.stringify(display("after")));
    assert.equal(ok.status, 200);
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

describe("simulator over HTTP: no 500 for any input", () => {
  let server: SimulatorServer;
  let sim: ReturnType<typeof createSimulator>;

  beforeEach(async () => {
    sim = createSimulator({ clock: new VirtualClock({ auto: true }) });
    server = await sim.listen();
  });
  afterEach(() => server.close());

  it("answers bad percent-encoding in a Terminal API or control path with 400 naming it", async () => {
    const device = await send(`${server.url}/v1/merchants/M/devices/%ZZ/sync`, "POST", JSON.stringify(display("x")));
    assert.deepEqual(
      [device.status, JSON.parse(device.body)],
      [400, { errors: ["The POIID in /v1/merchants/M/devices/%ZZ/sync is not valid percent-encoding"] }],
    );
    const control = await send(`${server.url}/__termflow/terminals/%ZZ/timeline`, "GET");
    assert.equal(control.status, 400);
    assert.match(
      JSON.parse(control.body).errors[0],
      /the POIID in \/__termflow\/terminals\/%ZZ\/timeline is not valid percent-encoding/,
    );
  });

  it("refuses a 10,000-deep array inside an InputRequest, and the terminal's log, timeline and events stay served", async () => {
    const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const text = JSON.stringify(confirmation("Tip?")).replace('"InputData":', `"X":${deep},"InputData":`);
    const reply = await send(`${server.url}/sync`, "POST", text);
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.body).SaleToPOIRequest.EventNotification.EventToNotify, "Reject");
    await send(`${server.url}/sync`, "POST", JSON.stringify(display("after")));
    for (const part of ["requests", "timeline", ""]) {
      const got = await send(`${server.url}/__termflow/terminals/${POIID}${part ? `/${part}` : ""}`, "GET");
      assert.equal(got.status, 200, `${part}: ${got.body}`);
    }
    const hello = await firstEvent(`${server.url}/__termflow/events`);
    assert.match(hello, /^event: hello\ndata: \{"terminals":\[\{"state":\{"poiid":"V400m-324688179"/);
  });

  it("answers random bodies on every control call without a 500 (seeded property)", async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string(),
      fc
        .record({
          answers: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
          outcomes: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 2 }),
          ms: fc.oneof(fc.integer(), fc.double(), fc.constant(1e20)),
          times: fc.jsonValue({ maxDepth: 1 }),
          prompt: fc.oneof(fc.string(), fc.record({ regex: fc.string() })),
          fault: fc.record({
            kind: fc.constantFrom("delay", "drop", "http500", "busy", "malformed", "x"),
            ms: fc.integer(),
          }),
        })
        .map((v) => JSON.stringify(v)),
    );
    const routes = CONTROL_ROUTES.filter((r) => !r.stream);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(POIID, "%ZZ", "%E0%A4%A", "a%00b", "..%2F.."),
        body,
        fc.constantFrom("GET", "POST", "PUT"),
        async (route, poiid, text, method) => {
          const reply = await send(
            server.url + route.path.replace("{poiid}", poiid),
            method,
            method === "GET" ? undefined : text,
          );
          assert.ok(reply.status < 500, `${method} ${route.path} ${text}: ${reply.status} ${reply.body}`);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** The first server-sent event of a stream, then the connection is closed. */
function firstEvent(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        const end = text.indexOf("\n\n");
        if (end >= 0) {
          req.destroy();
          resolve(text.slice(0, end));
        }
      });
      res.on("error", () => {});
    });
    req.on("error", reject);
    req.end();
  });
}

describe("simulator over HTTP: slow clients time out, close() leaves nothing running", () => {
  const timeouts = { headersMs: 300, requestMs: 600, keepAliveMs: 300 };
  let server: SimulatorServer;
  let sim: ReturnType<typeof createSimulator>;

  beforeEach(async () => {
    sim = createSimulator({ thinkTimeMs: 1, paymentMs: 1500 });
    server = await sim.listen({ timeouts });
  });
  afterEach(() => server.close());

  /** Opens a raw connection, writes `first`, then `trickle` every 100 ms; resolves with what came back once closed. */
  function rawConnection(first: string, trickle?: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(server.port, "127.0.0.1");
      let received = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (received += chunk));
      socket.on("error", () => {});
      if (first) socket.write(first);
      const every = trickle ? setInterval(() => socket.writable && socket.write(trickle), 100) : undefined;
      socket.on("close", () => {
        clearInterval(every);
        resolve(received);
      });
    });
  }

  it("closes a connection that sends nothing", async () => {
    assert.match(await rawConnection(""), /^(HTTP\/1\.1 408 |$)/);
  });

  it("closes a connection whose headers never end", async () => {
    assert.match(await rawConnection("POST /sync HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n"), /^(HTTP\/1\.1 408 |$)/);
  });

  it("answers 408 to a body that trickles in slower than the request timeout", async () => {
    const got = await rawConnection("POST /sync HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", "{");
    assert.match(got, /^HTTP\/1\.1 408 /);
  });

  it("closes a kept-alive connection that sends no next request", async () => {
    const body = JSON.stringify(display("x"));
    const got = await rawConnection(
      `POST /sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    assert.match(got, /^HTTP\/1\.1 200 /);
  });

  it("keeps a connection open as long as the terminal takes to answer (a payment longer than the request timeout)", async () => {
    const reply = await send(`${server.url}/sync`, "POST", JSON.stringify(payment(12.5)));
    assert.equal(JSON.parse(reply.body).SaleToPOIResponse.PaymentResponse.Response.Result, "Success");
  });

  it("answers a second request on a kept-alive connection however long it takes (a payment longer than the keep-alive timeout)", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: unknown) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest(`${server.url}/sync`, { method: "POST", agent }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve(text));
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });
    assert.match(await post(display("first")), /DisplayResponse/);
    await new Promise((r) => setTimeout(r, 100));
    const paid = JSON.parse(await post(payment(12.5)));
    assert.equal(paid.SaleToPOIResponse.PaymentResponse.Response.Result, "Success");
    agent.destroy();
  });

  it("close() ends a payment in flight: no answer, and its log entry says so", async () => {
    await send(`${server.url}/sync`, "POST", JSON.stringify(begin("S1", { DisplayRequest: 600_000 })));
    await send(`${server.url}/sync`, "POST", JSON.stringify(display("Thanks")));
    sim.terminal(POIID).payments.duration(600_000);
    const paying = send(`${server.url}/sync`, "POST", JSON.stringify(payment(12.5))).catch((e: Error) => e);
    while (sim.terminal(POIID).state().waiting === null) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    assert.ok((await paying) instanceof Error, "the connection is closed without an answer");
    const log = sim.terminal(POIID).requests();
    assert.deepEqual(
      log.map((r) => r.outcome),
      ["Success", "Success", "dropped (simulator stopped)"],
    );
    assert.equal(sim.terminal(POIID).state().waiting, null);
  });
});

describe("processes that use the simulator exit by themselves", () => {
  /** Runs an ES module script in a child Node and resolves with its exit code and output. */
  function runScript(source: string): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", source], { cwd: repoRoot });
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c));
      child.stderr.on("data", (c: Buffer) => (output += c));
      child.on("exit", (code) => resolve({ code, output }));
    });
  }
  const simulatorModule = JSON.stringify(fromRoot("dist/simulator/index.js"));
  const helpersModule = JSON.stringify(fromRoot("dist/test/simulator/helpers.js"));

  it("after server.close() with a 10-minute waiting screen and a payment in flight: no handle left", async () => {
    const { code, output } = await runScript(`
      import { createSimulator } from ${simulatorModule};
      import { begin, display, payment } from ${helpersModule};
      const sim = createSimulator({ paymentMs: 600000 });
      const server = await sim.listen();
      const post = (body) => fetch(server.url + "/sync", { method: "POST", body: JSON.stringify(body) }).then((r) => r.text(), () => "reset");
      await post(begin("S1", { DisplayRequest: 600000 }));
      await post(display("Thanks"));
      const paying = post(payment(12.5));
      await new Promise((r) => setTimeout(r, 50));
      await server.close();
      await paying;
      setImmediate(() => console.log(JSON.stringify(process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap" && r !== "PipeWrap"))));
    `);
    assert.equal(code, 0, output);
    assert.equal(output.trim(), "[]");
  });

  it("in-process only: a 10-minute waiting screen does not hold the process, sim.close() ends a payment in flight", async () => {
    const { code, output } = await runScript(`
      import { createSimulator } from ${simulatorModule};
      import { begin, display, payment } from ${helpersModule};
      const sim = createSimulator({ paymentMs: 600000 });
      await sim.handle(begin("S1", { DisplayRequest: 600000 }));
      await sim.handle(display("Thanks"));
      const paying = sim.handle(payment(12.5));
      await new Promise((r) => setTimeout(r, 20));
      await sim.close();
      console.log(JSON.stringify(await paying), sim.terminal("V400m-324688179").screen().screen);
    `);
    assert.equal(code, 0, output);
    assert.equal(output.trim(), '{"dropped":true} result');
  });
});
