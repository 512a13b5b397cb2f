/**
 * The runtime's HTTP client (node-fetch with a keep-alive agent): answers larger than
 * MAX_ANSWER_BYTES are cut off and read as unreadable, so a payment's outcome then comes from
 * TransactionStatus and is never taken from (or reported as) anything else.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { runFlow } from "../../../runtime/run-flow.js";
import { cloudTransport } from "../../../runtime/transports/cloud.js";
import { keepAliveAgent, MAX_ANSWER_BYTES, postJson } from "../../../runtime/transports/http.js";
import { TransportError } from "../../../runtime/transport.js";
import { createSimulator } from "../../../simulator/index.js";
import { flowOf } from "../support/fake-terminal.js";

const POIID = "V400m-800000008";
const FIVE_MIB = 5 * 1024 * 1024;

/** Streams `bytes` of a JSON string in 64 KiB chunks (as a broken terminal might), without a length. */
function streamHuge(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = "x".repeat(64 * 1024);
  let sent = 0;
  res.write('{"SaleToPOIResponse":"');
  const more = (): void => {
    while (sent < bytes) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    res.end('"}');
  };
  res.on("error", () => {});
  more();
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const closed = (server: Server) => new Promise((resolve) => server.close(resolve));

describe("runtime/transports/http: answer-size bound", function () {
  this.timeout(20_000);

  it("cuts off an answer of 5 MiB streamed from loopback: a malformed answer, not a crash or a buffer", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => streamHuge(res, FIVE_MIB));
    });
    const url = await listen(server);
    const agent = keepAliveAgent("http:");
    try {
      await assert.rejects(postJson(`${url}/sync`, "{}", { agent, timeoutMs: 10_000 }), (error: unknown) => {
        assert.ok(error instanceof TransportError);
        assert.equal(error.kind, "malformed");
        assert.match(error.message, /larger than 4 MiB/);
        return true;
      });
      assert.equal(MAX_ANSWER_BYTES, 4 * 1024 * 1024);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await closed(server);
    }
  });

  it("reads an answer just under the bound", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => streamHuge(res, MAX_ANSWER_BYTES - 64 * 1024 - 64));
    });
    const url = await listen(server);
    const agent = keepAliveAgent("http:");
    try {
      const answer = (await postJson(`${url}/sync`, "{}", { agent, timeoutMs: 10_000 })) as Record<string, string>;
      assert.ok(answer.SaleToPOIResponse.length > MAX_ANSWER_BYTES - 128 * 1024);
    } finally {
      agent.destroy();
      await closed(server);
    }
  });

  it("settles a payment whose answer is 5 MiB by TransactionStatus: approved, one payment sent", async () => {
    const simulator = createSimulator({ paymentMs: 5, thinkTimeMs: 5, resultScreenMs: 5 });
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => (text += chunk.toString()));
      req.on("end", async () => {
        const answer = await simulator.handle(text, { path: "/sync" });
        if ("dropped" in answer) return void req.socket.destroy();
        if (text.includes('"PaymentRequest"')) return streamHuge(res, FIVE_MIB);
        res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      });
    });
    const url = await listen(server);
    const transport = cloudTransport({ endpoint: url });
    try {
      const result = await runFlow(flowOf(`pay 12.50 EUR as payment\nexpect payment.result == "approved"\n`), {
        terminal: transport,
        poiid: POIID,
        timeouts: { statusBackoff: [10] },
      });
      assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
      assert.deepEqual([result.payments[0].result, result.payments[0].via], ["approved", "status"]);
      const cut = result.messages.find((m) => m.direction === "response" && m.error);
      assert.match(cut?.error ?? "", /^malformed: the answer is larger than 4 MiB/);
      assert.deepEqual(
        simulator
          .terminal(POIID)
          .requests()
          .map((e) => `${e.body} ${e.outcome}`),
        ["PaymentRequest Success", "TransactionStatusRequest Success"],
      );
    } finally {
      await transport.close?.();
      server.closeAllConnections();
      await closed(server);
      await simulator.close();
    }
  });
});

describe("runtime/transports/http: a request given up before it is sent", () => {
  // Found by npm run soak: node-fetch given a signal that has already fired destroys the request's
  // body stream with an error nobody listens to, and the process (a POS) died of an uncaught
  // 'error' event. A request given up before it leaves must be a TransportError like any other.
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

  it("a signal that has fired: aborted, and the process lives on", async () => {
    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(
      postJson("http://127.0.0.1:9/sync", "{}", {
        agent: keepAliveAgent("http:"),
        timeoutMs: 1000,
        signal: cancelled.signal,
      }),
      (error: unknown) => error instanceof TransportError && error.kind === "aborted",
    );
    await tick();
  });

  it("no time left (timeout 0): a timeout, and the process lives on", async () => {
    await assert.rejects(
      postJson("http://127.0.0.1:9/sync", "{}", { agent: keepAliveAgent("http:"), timeoutMs: 0 }),
      (error: unknown) => error instanceof TransportError && error.kind === "timeout",
    );
    await tick();
  });
});

// node-fetch is given the transport's own small signal (not an AbortController a request): it must
// still give up a request in flight, on its timeout and on the caller's cancel, and close its socket.
describe("runtime/transports/http: giving up a request in flight", function () {
  this.timeout(20_000);

  /** A server that reads requests and never answers; resolves each socket's close. */
  async function silentServer(): Promise<{ url: string; server: Server; socketClosed: Promise<void> }> {
    let closedSocket: () => void = () => {};
    const socketClosed = new Promise<void>((resolve) => {
      closedSocket = resolve;
    });
    const server = createServer((req) => {
      req.resume();
      req.socket.once("close", () => closedSocket());
    });
    return { url: await listen(server), server, socketClosed };
  }

  it("no answer within the timeout: a timeout, and the connection is closed", async () => {
    const { url, server, socketClosed } = await silentServer();
    try {
      await assert.rejects(
        postJson(`${url}/sync`, "{}", { agent: keepAliveAgent("http:"), timeoutMs: 50 }),
        (error: unknown) => error instanceof TransportError && error.kind === "timeout",
      );
      await socketClosed;
    } finally {
      server.closeAllConnections();
      await closed(server);
    }
  });

  it("cancelled while waiting: aborted, and the connection is closed", async () => {
    const { url, server, socketClosed } = await silentServer();
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 50);
    try {
      await assert.rejects(
        postJson(`${url}/sync`, "{}", { agent: keepAliveAgent("http:"), timeoutMs: 10_000, signal: cancel.signal }),
        (error: unknown) => error instanceof TransportError && error.kind === "aborted",
      );
      await socketClosed;
    } finally {
      server.closeAllConnections();
      await closed(server);
    }
  });
});
