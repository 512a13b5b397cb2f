/**
 * The runtime against the real simulator: every example flow, in-process and over HTTP with the same
 * results; a lost payment recovered through TransactionStatus; an encrypted local run.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { flowFilesIn, loadFlow, type CalledFlows, type Flow } from "../../language/index.js";
import { systemClock, VirtualClock, type Clock } from "../../protocol/index.js";
import { runFlow } from "../../runtime/run-flow.js";
import type { RunResult } from "../../runtime/result.js";
import type { Transport } from "../../runtime/transport.js";
import { cloudTransport } from "../../runtime/transports/cloud.js";
import { localTransport } from "../../runtime/transports/local.js";
import { simulatorTransport } from "../../runtime/transports/simulator.js";
import { createSimulator, type SimulatorOptions } from "../../simulator/index.js";
import { fromRoot, repoRoot } from "../support/paths.js";
import { flowOf } from "./support/fake-terminal.js";
import { moneyOf } from "../../language/index.js";

// A long result screen: whether it returned to idle before the run ended would depend on timing.
const FAST: SimulatorOptions = { thinkTimeMs: 5, paymentMs: 5, resultScreenMs: 60_000 };
const POIID = "V400m-200000002";
const KEY = { identifier: "TermflowTestKey", version: 1, passphrase: "s3cret-Passphrase" };

/** Every example flow in flows/, both syntaxes, with the flows it calls (flows/shared/). */
function exampleFlows(): { file: string; flow: Flow; calls: CalledFlows }[] {
  const dir = fromRoot("flows");
  return readdirSync(dir)
    .filter((f) => /\.flow$|\.flow\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = join("flows", f);
      const { flow, diagnostics, called } = loadFlow(readFileSync(join(dir, f), "utf8"), file, {
        files: flowFilesIn(repoRoot),
      });
      assert.ok(flow, `${file} checks clean: ${diagnostics.map((d) => d.message).join("; ")}`);
      return { file, flow, calls: called };
    });
}

/** test/runtime/fixtures/api-steps/: one flow per step of issue 13, each in both syntaxes. */
function apiStepFixtures(): string[] {
  const dir = "test/runtime/fixtures/api-steps";
  return readdirSync(fromRoot(dir))
    .filter((f) => /\.flow(\.yaml)?$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

function fixtureFlow(file: string): Flow {
  const { flow, diagnostics } = loadFlow(readFileSync(fromRoot(file), "utf8"), file);
  assert.ok(flow, `${file} checks clean: ${diagnostics.map((d) => d.message).join("; ")}`);
  return flow;
}

/** What must be the same wherever the flow ran: statuses, captures, requests, screens. */
function observable(result: RunResult, timeline: { at: number; screen: string; [k: string]: unknown }[]) {
  const stripIds = (value: unknown): unknown =>
    typeof value === "object" && value !== null && "transactionId" in value
      ? { ...value, transactionId: (value as { transactionId: string }).transactionId !== "" }
      : value;
  return {
    status: result.status,
    diagnostics: result.diagnostics.map((d) => `${d.code}: ${d.message}`),
    steps: result.steps.map((s) => ({
      path: s.path,
      label: s.label,
      status: s.status,
      capture: s.capture ? stripIds(s.capture.value) : undefined,
    })),
    captures: Object.fromEntries(Object.entries(result.captures).map(([k, v]) => [k, stripIds(v)])),
    requests: result.messages.filter((m) => m.direction === "request").map((m) => m.name),
    answers: result.messages.filter((m) => m.direction === "response").map((m) => m.name),
    screens: timeline
      .filter((e) => e.at <= result.endedAt)
      .map((e) => [e.screen, e.prompt ?? e.text ?? e.result ?? e.timeoutMs ?? ""].join(" ")),
  };
}

async function inProcess(flow: Flow, extra: SimulatorOptions = {}, calls?: CalledFlows) {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ ...FAST, ...extra, clock });
  const result = await runFlow(flow, {
    terminal: simulatorTransport(simulator),
    clock,
    poiid: POIID,
    ...(calls ? { calls } : {}),
  });
  return { result, terminal: simulator.terminal(POIID) };
}

async function overHttp(
  flow: Flow,
  transportFor: (url: string) => Transport,
  extra: SimulatorOptions = {},
  clock: Clock = systemClock,
  calls?: CalledFlows,
) {
  const simulator = createSimulator({ ...FAST, ...extra, clock });
  const server = await simulator.listen({ port: 0 });
  const transport = transportFor(server.url);
  try {
    const result = await runFlow(flow, { terminal: transport, clock, poiid: POIID, ...(calls ? { calls } : {}) });
    return { result, terminal: simulator.terminal(POIID) };
  } finally {
    await transport.close?.();
    await server.close();
  }
}

describe("runtime against the simulator", function () {
  this.timeout(30_000);

  // The flows that call the shared tip dialogue (bar-tab, group-dinner) run it the same way both.
  for (const { file, flow, calls } of exampleFlows()) {
    it(`${file}: passes in-process, ends its session, and gives the same results over HTTP`, async () => {
      const local = await inProcess(flow, {}, calls);
      assert.equal(local.result.status, "passed", local.result.diagnostics.map((d) => d.message).join("; "));
      assert.equal(local.terminal.session, null);
      const remote = await overHttp(flow, (url) => cloudTransport({ endpoint: url }), {}, systemClock, calls);
      assert.deepEqual(
        observable(remote.result, remote.terminal.timeline()),
        observable(local.result, local.terminal.timeline()),
      );
      assert.equal(remote.terminal.session, null);
    });
  }

  // The dry-run fixtures of issue 13's steps (test/runtime/api-steps.test.ts), both syntaxes: refunds,
  // prints, acquisitions, status and a payment that outlives its time limit answer alike both ways.
  // The time limit runs 10 real seconds over HTTP (a virtual clock cannot wait on sockets), so only its
  // text form does: api-steps.test.ts shows its YAML twin sends the same requests byte for byte.
  for (const file of apiStepFixtures().filter((f) => !f.endsWith("time-limit.flow.yaml"))) {
    it(`${file}: gives the same results in-process and over HTTP`, async () => {
      const flow = fixtureFlow(file);
      // time-limit: the terminal never answers the payment, so the POS aborts it and asks its status.
      const unanswered = file.includes("time-limit");
      const run = async (transportFor?: (url: string) => Transport) => {
        const clock = transportFor ? systemClock : new VirtualClock({ auto: true });
        const simulator = createSimulator({ ...FAST, clock });
        if (unanswered) simulator.terminal(POIID).payments.next("noAnswer");
        const server = transportFor ? await simulator.listen({ port: 0 }) : undefined;
        const terminal = server && transportFor ? transportFor(server.url) : simulatorTransport(simulator);
        try {
          const result = await runFlow(flow, { terminal, clock, poiid: POIID });
          return { result, terminal: simulator.terminal(POIID) };
        } finally {
          await terminal.close?.();
          await server?.close();
        }
      };
      const local = await run();
      assert.equal(local.result.status, "passed", local.result.diagnostics.map((d) => d.message).join("; "));
      const remote = await run((url) => cloudTransport({ endpoint: url }));
      assert.deepEqual(
        observable(remote.result, remote.terminal.timeline()),
        observable(local.result, local.terminal.timeline()),
      );
      if (unanswered)
        assert.deepEqual(observable(remote.result, []).requests, [
          "PaymentRequest",
          "AbortRequest",
          "TransactionStatusRequest",
        ]);
    });
  }

  it("holds a `display ... for 3s` on screen for exactly 3000 ms before the next request replaces it", async () => {
    const flow = flowOf(`display "Your bill is 50.00 EUR" for 3s\ndisplay "Next"\n`);
    const { result, terminal } = await inProcess(flow);
    assert.equal(result.status, "passed");
    const screens = terminal.timeline().filter((e) => e.screen === "display");
    assert.deepEqual(
      screens.map((e) => [e.text, e.at - result.startedAt]),
      [
        ["Your bill is 50.00 EUR", 0],
        ["Next", 3000],
      ],
    );
    assert.equal(result.steps[0].durationMs, 3000);
  });

  it("stops holding a display when the run is cancelled", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ ...FAST, clock });
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 1000);
    const flow = flowOf(`display "Hold on" for 10s\ndisplay "Never shown"\n`);
    const result = await runFlow(flow, {
      terminal: simulatorTransport(simulator),
      clock,
      poiid: POIID,
      signal: controller.signal,
    });
    assert.equal(result.status, "cancelled");
    assert.equal(result.endedAt - result.startedAt, 1000);
    assert.ok(
      !simulator
        .terminal(POIID)
        .timeline()
        .some((e) => "text" in e && e.text === "Never shown"),
    );
  });

  it("gives the same failure in-process and over the cloud device API path (decline by amount)", async () => {
    const flow = flowOf(
      `session waiting 5000 id "D" <\n  pay 1.24 EUR as payment\n  expect payment.result == "approved"\n>\n`,
    );
    const local = await inProcess(flow);
    const remote = await overHttp(flow, (url) => cloudTransport({ endpoint: url, merchant: "TestMerchant" }));
    assert.equal(local.result.status, "failed");
    assert.deepEqual(
      observable(remote.result, remote.terminal.timeline()),
      observable(local.result, local.terminal.timeline()),
    );
    assert.equal(local.result.diagnostics[0].hint, '`payment.result` is "declined"');
    assert.equal((local.result.captures.payment as { errorCondition: string }).errorCondition, "Refusal");
  });

  it("recovers a payment whose answer timed out through TransactionStatus, asking again while InProgress, never resending", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock, paymentMs: 3000 });
    const terminal = simulator.terminal(POIID);
    // The terminal takes the payment at once but its answer comes an hour late: the run gives up
    // waiting after 1 s, while the payment is still running.
    terminal.faults.delay(3_600_000, { category: "PaymentRequest" });
    const result = await runFlow(flowOf(`pay 12.50 EUR as payment\nexpect payment.result == "approved"\n`), {
      terminal: simulator,
      clock,
      poiid: POIID,
      timeouts: { payment: 1000 },
    });
    assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
    const log = terminal.requests();
    assert.equal(log.filter((e) => e.body === "PaymentRequest").length, 1, "never a second PaymentRequest");
    const statuses = log.filter((e) => e.body === "TransactionStatusRequest");
    assert.deepEqual(
      statuses.map((e) => e.outcome),
      ["Failure/InProgress", "Failure/InProgress", "Success"],
      "asked again while InProgress (at 1 s, 2 s, 4 s)",
    );
    const payment = result.captures.payment as { transactionId: string; amount: number };
    const repeated = statuses.at(-1)!.response as {
      SaleToPOIResponse: {
        TransactionStatusResponse: {
          RepeatedMessageResponse: {
            RepeatedResponseMessageBody: {
              PaymentResponse: { POIData: { POITransactionID: { TransactionID: string } } };
            };
          };
        };
      };
    };
    const terminalId =
      repeated.SaleToPOIResponse.TransactionStatusResponse.RepeatedMessageResponse.RepeatedResponseMessageBody
        .PaymentResponse.POIData.POITransactionID.TransactionID;
    assert.ok(terminalId.length > 0);
    assert.equal(payment.transactionId, terminalId, "the true outcome");
    assert.deepEqual(payment.amount, moneyOf(1250, "EUR"));
  });

  it("recovers a payment whose connection was reset after processing, with one status request", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    const terminal = simulator.terminal(POIID);
    terminal.faults.drop({ category: "PaymentRequest", processed: true });
    const result = await runFlow(flowOf(`pay 12.50 EUR as payment\nexpect payment.result == "approved"\n`), {
      terminal: simulator,
      clock,
      poiid: POIID,
    });
    assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
    assert.deepEqual(
      terminal.requests().map((e) => `${e.body} ${e.outcome}`),
      ["PaymentRequest dropped (processed: Success)", "TransactionStatusRequest Success"],
    );
  });

  it("recovers a payment after a real connection reset over HTTP", async () => {
    const flow = flowOf(`pay 7.00 EUR as payment\nexpect payment.result == "approved"\n`);
    const simulator = createSimulator({ ...FAST });
    simulator.terminal(POIID).faults.drop({ category: "PaymentRequest", processed: true });
    const server = await simulator.listen({ port: 0 });
    const transport = cloudTransport({ endpoint: server.url });
    try {
      const result = await runFlow(flow, { terminal: transport, poiid: POIID, timeouts: { statusBackoff: [20] } });
      assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
      const lost = result.messages.find((m) => m.direction === "response" && m.error);
      assert.match(lost?.error ?? "", /^connection: /);
      assert.equal(
        simulator
          .terminal(POIID)
          .requests()
          .filter((e) => e.body === "PaymentRequest").length,
        1,
      );
    } finally {
      await transport.close?.();
      await server.close();
    }
  });

  it("reports a payment the terminal never saw (HTTP 500 before processing) as failed, without resending", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    simulator.terminal(POIID).faults.http500({ category: "PaymentRequest" });
    const result = await runFlow(flowOf(`pay 12.50 EUR as payment\nexpect payment.result == "approved"\n`), {
      terminal: simulator,
      clock,
      poiid: POIID,
    });
    assert.equal(result.status, "failed");
    assert.equal((result.captures.payment as { errorCondition: string }).errorCondition, "NotFound");
    assert.equal(
      simulator
        .terminal(POIID)
        .requests()
        .filter((e) => e.body === "PaymentRequest").length,
      1,
    );
  });

  it("runs encrypted against a local simulator with a key", async () => {
    const flow = exampleFlows().find((f) => f.file === join("flows", "pay-at-table.flow"))!.flow;
    const remote = await overHttp(flow, (url) => localTransport({ endpoint: url, key: KEY }), { key: KEY });
    assert.equal(remote.result.status, "passed", remote.result.diagnostics.map((d) => d.message).join("; "));
    const log = remote.terminal.requests();
    assert.ok(log.length > 0 && log.every((e) => e.channel === "local"));
    assert.equal(remote.terminal.session, null);
    // The answers the runtime recorded are the decrypted ones.
    const answer = remote.result.messages.find((m) => m.direction === "response")!.json as Record<string, unknown>;
    assert.ok("SaleToPOIResponse" in answer && !JSON.stringify(answer).includes("NexoBlob"));
  });

  it("fails cleanly with the wrong key, without crashing or echoing the passphrase", async () => {
    const flow = flowOf(`session waiting 5000 id "K" <\n  display "hello"\n>\n`);
    const wrong = { ...KEY, passphrase: "not-the-passphrase" };
    const remote = await overHttp(flow, (url) => localTransport({ endpoint: url, key: wrong }), { key: KEY });
    assert.equal(remote.result.status, "error");
    const everything = JSON.stringify(remote.result);
    assert.ok(
      !everything.includes(wrong.passphrase) && !everything.includes(KEY.passphrase),
      "no passphrase in the result",
    );
    assert.equal(
      localTransport({ endpoint: "http://127.0.0.1:1", key: wrong }).description.includes(wrong.passphrase),
      false,
    );
  });

  it("refuses to send clear requests to a terminal that requires encryption, with the terminal's reason", async () => {
    const flow = flowOf(`display "hello"\n`);
    const remote = await overHttp(flow, (url) => localTransport({ endpoint: url }), { key: KEY });
    assert.equal(remote.result.status, "error");
    assert.equal(remote.result.diagnostics[0].code, "transport-http");
    assert.match(remote.result.diagnostics[0].message, /HTTP 400/);
  });

  it("checks the API key on the cloud paths", async () => {
    const flow = flowOf(`display "hello"\n`);
    const denied = await overHttp(flow, (url) => cloudTransport({ endpoint: url }), { apiKey: "right-key" });
    assert.equal(denied.result.status, "error");
    assert.equal(denied.result.diagnostics[0].hint, "check the API key (TERMFLOW_API_KEY)");
    const allowed = await overHttp(flow, (url) => cloudTransport({ endpoint: url, apiKey: "right-key" }), {
      apiKey: "right-key",
    });
    assert.equal(allowed.result.status, "passed");
    assert.ok(!JSON.stringify(allowed.result).includes("right-key"));
  });
});
