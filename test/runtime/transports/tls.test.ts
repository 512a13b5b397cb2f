/**
 * The local target over real TLS: the terminal's certificate must chain to the configured root CA and
 * carry a terminal CN; the host name (an IP) is not checked (docs/protocol.md "Endpoints").
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { PeerCertificate } from "node:tls";
import { VirtualClock } from "../../../protocol/index.js";
import { runFlow } from "../../../runtime/run-flow.js";
import { localTransport } from "../../../runtime/transports/local.js";
import { checkTerminalCertificate } from "../../../runtime/transports/tls.js";
import { createSimulator } from "../../../simulator/index.js";
import { fromRoot } from "../../support/paths.js";
import { flowOf } from "../support/fake-terminal.js";

const fixture = (name: string) => readFileSync(fromRoot("test", "runtime", "fixtures", "tls", name));
const caFile = fromRoot("test", "runtime", "fixtures", "tls", "ca.pem");
const POIID = "V400m-324688179";

/** A local "terminal": HTTPS with the given certificate, answering through the simulator. */
async function terminalOverTls(
  cert: string,
  key: string,
): Promise<{ url: string; server: Server; simulator: ReturnType<typeof createSimulator> }> {
  const simulator = createSimulator({ clock: new VirtualClock({ auto: true }) });
  const server = createServer({ cert: fixture(cert), key: fixture(key) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const answer = await simulator.handle(Buffer.concat(chunks).toString("utf8"), { path: req.url ?? "/nexo" });
      if ("dropped" in answer) return void req.socket.destroy();
      res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server, simulator };
}

const FLOW = flowOf(
  `session waiting 5000 id "tls" <\n  pay 3.00 EUR as payment\n>\nexpect payment.result == "approved"\n`,
);

describe("runtime/transports local over TLS", () => {
  it("accepts a terminal certificate from the root CA by its CN, whatever the IP", async () => {
    const { url, server, simulator } = await terminalOverTls("terminal.pem", "terminal.key");
    const transport = localTransport({ endpoint: url, caFile });
    try {
      const result = await runFlow(FLOW, { terminal: transport, poiid: POIID });
      assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
      assert.equal(simulator.terminal(POIID).session, null);
    } finally {
      await transport.close?.();
      server.close();
    }
  });

  it("refuses a certificate from the right CA with a CN that is not a terminal's, before sending anything", async () => {
    const { url, server, simulator } = await terminalOverTls("impostor.pem", "impostor.key");
    const transport = localTransport({ endpoint: url, caFile });
    try {
      const result = await runFlow(FLOW, { terminal: transport, poiid: POIID });
      assert.equal(result.status, "error");
      assert.match(
        result.diagnostics[0].message,
        /TLS: certificate CN "evil\.example\.com" is not an Adyen terminal's/,
      );
      assert.equal(simulator.terminals().length, 0, "the impostor never received a request");
    } finally {
      await transport.close?.();
      server.close();
    }
  });

  it("refuses a terminal CN signed by another CA", async () => {
    const { url, server } = await terminalOverTls("other-ca-terminal.pem", "other-ca.key");
    const transport = localTransport({ endpoint: url, caFile });
    try {
      const result = await runFlow(flowOf(`display "hello"\n`), { terminal: transport, poiid: POIID });
      assert.equal(result.status, "error");
      assert.match(result.diagnostics[0].message, /TLS: /);
    } finally {
      await transport.close?.();
      server.close();
    }
  });

  it("matches the CN pattern of docs/protocol.md", () => {
    const cert = (CN: string | string[]) => ({ subject: { CN } }) as unknown as PeerCertificate;
    assert.equal(checkTerminalCertificate("192.168.1.20", cert("V400m-324688179.test.terminal.adyen.com")), undefined);
    assert.equal(
      checkTerminalCertificate("192.168.1.20", cert("P400Plus-123456789.live.terminal.adyen.com")),
      undefined,
    );
    assert.equal(
      checkTerminalCertificate("192.168.1.20", cert("legacy-terminal-certificate.test.terminal.adyen.com")),
      undefined,
    );
    assert.equal(checkTerminalCertificate("x", cert(["other", "S1F2-000158.live.terminal.adyen.com"])), undefined);
    for (const bad of [
      "V400m.test.terminal.adyen.com",
      "V400m-1.staging.terminal.adyen.com",
      "V400m-1.test.terminal.adyen.com.evil.com",
      "a-b-c.test.terminal.adyen.com",
      "",
    ]) {
      assert.ok(checkTerminalCertificate("x", cert(bad)) instanceof Error, bad);
    }
  });

  it("asks for the root CA when a local https target has none", () => {
    assert.throws(() => localTransport({ host: "192.168.1.20" }), /needs Adyen's terminal root CA/);
    assert.throws(
      () => localTransport({ host: "192.168.1.20", caFile: "/nonexistent/ca.pem" }),
      /cannot read the root CA file/,
    );
  });
});
