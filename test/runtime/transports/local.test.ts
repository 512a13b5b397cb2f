/**
 * Issue 8 item 3: with a key configured, every answer of a local terminal must come encrypted and
 * verified. A machine in the middle (here: an HTTP "terminal" on loopback that passes requests to an
 * encrypting simulator and may replace its answers) must not be able to turn an approved payment into
 * "declined" or "never reached the terminal" with a cleartext answer. Without a key, cleartext beyond
 * this machine needs `insecureCleartext`.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { runFlow } from "../../../runtime/run-flow.js";
import type { RunResult } from "../../../runtime/result.js";
import { isLoopback, localTransport } from "../../../runtime/transports/local.js";
import { TransportError } from "../../../runtime/transport.js";
import { createSimulator } from "../../../simulator/index.js";
import { fromRoot } from "../../support/paths.js";
import { flowOf } from "../support/fake-terminal.js";

const KEY = { identifier: "MitmTestKey", version: 1, passphrase: "p@ss-Phrase-1" };
const POIID = "V400m-700000007";
const caFile = fromRoot("test", "runtime", "fixtures", "tls", "ca.pem");
const TIMEOUTS = { statusBackoff: [10], statusRecovery: 400, payment: 5000, status: 2000 };

/** The cleartext header a request carries beside its NexoBlob. */
type ClearHeader = { MessageCategory: string; ServiceID: string; SaleID: string; POIID: string; MessageClass: string };

/**
 * Replaces the terminal's answer to the n-th request of a category (counted from 1), or leaves it
 * (undefined). `answer` is the genuine encrypted answer's text.
 */
type Tamper = (header: ClearHeader, nth: number, answer: string) => string | undefined;

/** A loopback "terminal" that hands each request to an encrypting simulator, through `tamper`. */
async function terminalBehind(
  tamper: Tamper,
): Promise<{ url: string; server: Server; simulator: ReturnType<typeof createSimulator> }> {
  const simulator = createSimulator({ key: KEY, paymentMs: 20, thinkTimeMs: 5, resultScreenMs: 5 });
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", async () => {
      const answer = await simulator.handle(text, { path: "/nexo" });
      if ("dropped" in answer) return void req.socket.destroy();
      const header = (JSON.parse(text) as { SaleToPOIRequest: { MessageHeader: ClearHeader } }).SaleToPOIRequest
        .MessageHeader;
      const nth = (seen.get(header.MessageCategory) ?? 0) + 1;
      seen.set(header.MessageCategory, nth);
      const body = tamper(header, nth, answer.body) ?? answer.body;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, simulator };
}

/** A cleartext answer a machine in the middle writes: the right header, the outcome it wants. */
function forged(header: ClearHeader, body: string, content: object): string {
  return JSON.stringify({
    SaleToPOIResponse: { MessageHeader: { ...header, MessageType: "Response" }, [body]: content },
  });
}
const refusal = (header: ClearHeader) =>
  forged(header, "PaymentResponse", {
    Response: {
      Result: "Failure",
      ErrorCondition: "Refusal",
      AdditionalResponse: "refusalReason=210%20Not%20enough%20balance",
    },
    SaleData: { SaleTransactionID: { TransactionID: "x", TimeStamp: "2026-01-01T00:00:00Z" } },
    POIData: { POITransactionID: { TransactionID: "FORGED.1", TimeStamp: "2026-01-01T00:00:00Z" } },
  });
const notFound = (header: ClearHeader) =>
  forged(header, "TransactionStatusResponse", { Response: { Result: "Failure", ErrorCondition: "NotFound" } });

async function runBehind(
  source: string,
  tamper: Tamper,
): Promise<{ result: RunResult; log: string[]; approvedId: string }> {
  const { url, server, simulator } = await terminalBehind(tamper);
  const transport = localTransport({ endpoint: url, key: KEY });
  try {
    const result = await runFlow(flowOf(source), { terminal: transport, poiid: POIID, timeouts: TIMEOUTS });
    const entries = simulator.terminal(POIID).requests();
    const payment = entries.find((e) => e.body === "PaymentRequest")?.response as
      | { SaleToPOIResponse: { PaymentResponse: { POIData: { POITransactionID: { TransactionID: string } } } } }
      | undefined;
    return {
      result,
      log: entries.map((e) => `${e.body} ${e.outcome}`),
      approvedId: payment?.SaleToPOIResponse.PaymentResponse.POIData.POITransactionID.TransactionID ?? "",
    };
  } finally {
    await transport.close?.();
    await new Promise((resolve) => server.close(resolve));
  }
}

const PAY = `pay 12.50 EUR as payment\nexpect payment.result == "approved"\n`;
const refusedAnswers = (result: RunResult) =>
  result.messages.filter((m) => m.error?.startsWith("insecure: refused a cleartext answer")).map((m) => m.error);

describe("runtime/transports/local: answers must be encrypted and verified", function () {
  this.timeout(20_000);

  it("refuses a cleartext Failure/Refusal in place of an approval, and learns the approval from the terminal", async () => {
    const { result, log, approvedId } = await runBehind(PAY, (h, n) =>
      h.MessageCategory === "Payment" && n === 1 ? refusal(h) : undefined,
    );
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(
      [result.payments[0].result, result.payments[0].transactionId, result.payments[0].via],
      ["approved", approvedId, "status"],
    );
    assert.match(
      refusedAnswers(result)[0] ?? "",
      /\(PaymentResponse Failure\/Refusal\): with a key configured every answer must be encrypted and verified/,
    );
    assert.deepEqual(log, ["PaymentRequest Success", "TransactionStatusRequest Success"], "one payment");
  });

  it('refuses a cleartext status NotFound ("never reached the terminal") and asks again', async () => {
    const { result, approvedId } = await runBehind(PAY, (h, n) => {
      if (h.MessageCategory === "Payment") return refusal(h);
      return h.MessageCategory === "TransactionStatus" && n === 1 ? notFound(h) : undefined;
    });
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.equal(result.payments[0].transactionId, approvedId);
    assert.equal(refusedAnswers(result).length, 2);
  });

  it("reports the payment unknown, never declined, when every answer comes in clear", async () => {
    const { result, log } = await runBehind(PAY, (h) =>
      h.MessageCategory === "Payment"
        ? refusal(h)
        : h.MessageCategory === "TransactionStatus"
          ? notFound(h)
          : undefined,
    );
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "payment-outcome-unknown");
    assert.equal(result.payments[0].result, "unknown");
    assert.equal(log.filter((l) => l.startsWith("PaymentRequest")).length, 1);
  });

  it("refuses a cleartext success of a display as transport-insecure", async () => {
    const { result } = await runBehind(`display "Hello"\n`, (h) =>
      forged(h, "DisplayResponse", {
        OutputResult: [{ Device: "CustomerDisplay", InfoQualify: "Display", Response: { Result: "Success" } }],
      }),
    );
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "transport-insecure");
    assert.match(result.diagnostics[0].message, /refused a cleartext answer \(DisplayResponse Success\)/);
  });

  it("refuses an encrypted answer whose blob was altered, with the one generic crypto error", async () => {
    const { result } = await runBehind(`display "Hello"\n`, (_h, _n, answer) => {
      const message = JSON.parse(answer) as { SaleToPOIResponse: { NexoBlob: string } };
      const blob = Buffer.from(message.SaleToPOIResponse.NexoBlob, "base64");
      blob[blob.length - 20] ^= 1;
      message.SaleToPOIResponse.NexoBlob = blob.toString("base64");
      return JSON.stringify(message);
    });
    assert.equal(result.diagnostics[0].code, "transport-insecure");
    assert.match(
      result.diagnostics[0].message,
      /refused an answer: Nexo crypto error: the message could not be decrypted or verified/,
    );
  });
});

describe("runtime/transports/local: cleartext needs to be asked for", () => {
  const configError = (make: () => unknown) => {
    try {
      make();
    } catch (error) {
      assert.ok(error instanceof TransportError && error.kind === "config");
      return error.message;
    }
    return "(no error)";
  };

  it("refuses to build a keyless transport to a LAN terminal", () =>
    assert.match(
      configError(() => localTransport({ host: "192.168.1.20", caFile })),
      /refusing to send cleartext to the terminal at 192\.168\.1\.20:8443: configure its encryption key .* or pass --insecure-cleartext/,
    ));
  it("builds one with insecureCleartext (nothing is sent yet)", () =>
    assert.match(
      localTransport({ host: "192.168.1.20", caFile, insecureCleartext: true }).description,
      /\(unencrypted\)$/,
    ));
  it("refuses insecureCleartext together with a key", () =>
    assert.match(
      configError(() => localTransport({ host: "192.168.1.20", caFile, key: KEY, insecureCleartext: true })),
      /contradict/,
    ));
  it("lets cleartext go to this machine without a flag (a termflow sim)", () =>
    assert.match(
      localTransport({ endpoint: "http://127.0.0.1:8080" }).description,
      /^local http:\/\/127\.0\.0\.1:8080 \(unencrypted\)$/,
    ));
  it("knows loopback when it sees it", () =>
    assert.deepEqual(
      [
        "127.0.0.1",
        "127.1.2.3",
        "localhost",
        "[::1]",
        "192.168.1.20",
        "10.0.0.1",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
      ].map(isLoopback),
      [true, true, true, true, false, false, false, false],
    ));
});
