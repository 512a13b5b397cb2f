/**
 * The steps of the rest of the Terminal API (refund, print, acquire, status, `pay ... within`):
 * golden request sequences (test/runtime/golden/api-steps/, UPDATE_GOLDEN=1 rewrites them), each
 * request valid against Adyen's spec, and the guarantees: an acquisition is always closed, a payment
 * that outlives its time limit is aborted and settled by TransactionStatus, never sent twice.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadFlow, type Flow } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import type { SaleToPOIRequest } from "../../protocol/index.js";
import { runFlow } from "../../runtime/run-flow.js";
import { dryRunTransport } from "../../runtime/transports/dry-run.js";
import { simulatorTransport } from "../../runtime/transports/simulator.js";
import { createSimulator } from "../../simulator/index.js";
import { fromRoot } from "../support/paths.js";
import { specErrors, unknownFields } from "../support/terminal-api-spec.js";
import { answer, FakeTerminal, flowOf } from "./support/fake-terminal.js";

const FIXTURES = fromRoot("test", "runtime", "fixtures", "api-steps");
const GOLDEN = fromRoot("test", "runtime", "golden", "api-steps");
const update = process.env.UPDATE_GOLDEN === "1";
const POIID = "V400m-300000003";

/** A fixture in the mini-language, or (`.flow.yaml`) its YAML twin. */
function fixture(name: string, extension: ".flow" | ".flow.yaml" = ".flow"): Flow {
  const file = join("test/runtime/fixtures/api-steps", `${name}${extension}`);
  const { flow, diagnostics } = loadFlow(readFileSync(join(FIXTURES, `${name}${extension}`), "utf8"), file);
  assert.ok(flow, diagnostics.map((d) => d.message).join("; "));
  assert.deepEqual(diagnostics, []);
  return flow;
}

/** The requests of a dry run (`--dry-run --seed 1`). */
async function dryRun(flow: Flow): Promise<SaleToPOIRequest[]> {
  const transport = dryRunTransport();
  const result = await runFlow(flow, { terminal: transport, clock: new VirtualClock({ auto: true }), seed: 1 });
  assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
  return transport.requests;
}

/** The time-limit fixture on a simulator whose payment never answers: what it sends, and its result. */
async function outlivedPayment(flow: Flow) {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock });
  simulator.terminal(POIID).payments.next("noAnswer");
  const transport = dryRunRecorder(simulatorTransport(simulator));
  const result = await runFlow(flow, { terminal: transport, clock, poiid: POIID, seed: 1 });
  return { result, requests: transport.requests };
}

/** Compares with the golden file and validates every request against the spec. */
function assertGolden(name: string, requests: readonly unknown[]): void {
  const path = join(GOLDEN, `${name}.requests.json`);
  const text = `${JSON.stringify(requests, null, 2)}\n`;
  if (update) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, text);
  }
  assert.ok(existsSync(path), `${path} is missing (UPDATE_GOLDEN=1 writes it)`);
  assert.equal(text, readFileSync(path, "utf8"), `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`);
  for (const request of requests) {
    assert.deepEqual(specErrors(request, "TerminalAPIRequest"), [], JSON.stringify(request));
    assert.deepEqual(unknownFields(request, "TerminalAPIRequest"), [], JSON.stringify(request));
  }
}

const bodyOf = (r: SaleToPOIRequest): Record<string, unknown> => {
  const { MessageHeader: _, ...body } = r.SaleToPOIRequest as Record<string, unknown>;
  return body;
};
const names = (requests: readonly SaleToPOIRequest[]): string[] => requests.map((r) => Object.keys(bodyOf(r))[0]);

describe("runtime: refund, print, card acquisition, status, payment time limit", function () {
  this.timeout(20_000);

  describe("golden dry-run request sequences, valid against the spec", () => {
    it("refund (referenced): OriginalPOITransaction with the payment's POITransactionID and SaleID; ReversedAmount when partial", async () => {
      const requests = await dryRun(fixture("refund-referenced"));
      assertGolden("refund-referenced", requests);
      assert.deepEqual(names(requests), ["PaymentRequest", "ReversalRequest", "ReversalRequest"]);
      const [, part, rest] = requests.map(bodyOf) as Array<{ ReversalRequest: Record<string, unknown> }>;
      assert.deepEqual(part.ReversalRequest.OriginalPOITransaction, {
        SaleID: "termflow",
        POITransactionID: {
          TransactionID: `DRYRUN.${requests[0].SaleToPOIRequest.MessageHeader.ServiceID}`,
          TimeStamp: "2026-01-01T00:00:00.000Z",
        },
      });
      assert.equal(part.ReversalRequest.ReversedAmount, 10);
      assert.equal(part.ReversalRequest.ReversalReason, "MerchantCancel");
      assert.equal(rest.ReversalRequest.ReversedAmount, undefined, "a full refund names no amount");
    });

    it("refund (unreferenced): a PaymentRequest with PaymentData.PaymentType Refund", async () => {
      const requests = await dryRun(fixture("refund-unreferenced"));
      assertGolden("refund-unreferenced", requests);
      const payment = bodyOf(requests[0]).PaymentRequest as Record<string, any>;
      assert.deepEqual(payment.PaymentData, { PaymentType: "Refund" });
      assert.equal(payment.PaymentTransaction.AmountsReq.RequestedAmount, 7.5);
    });

    it("print: the payment's receipts under their DocumentQualifier, then a Document of text lines", async () => {
      const requests = await dryRun(fixture("print"));
      assertGolden("print", requests);
      const prints = requests.slice(1).map((r) => (bodyOf(r).PrintRequest as Record<string, any>).PrintOutput);
      assert.deepEqual(
        prints.map((p) => p.DocumentQualifier),
        ["CustomerReceipt", "CashierReceipt", "Document"],
      );
      assert.deepEqual(
        prints[2].OutputContent.OutputText.map((t: { Text: string }) => t.Text),
        ["Table 7", "Thank you"],
      );
    });

    it("acquire then pay: the payment carries the acquisition's POITransactionID as CardAcquisitionReference, no release", async () => {
      const requests = await dryRun(fixture("acquire-then-pay"));
      assertGolden("acquire-then-pay", requests);
      assert.deepEqual(names(requests), ["CardAcquisitionRequest", "PaymentRequest"]);
      const payment = bodyOf(requests[1]).PaymentRequest as Record<string, any>;
      assert.deepEqual(payment.PaymentData.CardAcquisitionReference, {
        TransactionID: `DRYRUN.${requests[0].SaleToPOIRequest.MessageHeader.ServiceID}`,
        TimeStamp: "2026-01-01T00:00:00.000Z",
      });
    });

    it("acquire without a payment: released with EnableService AbortTransaction", async () => {
      const requests = await dryRun(fixture("acquire-without-payment"));
      assertGolden("acquire-without-payment", requests);
      assert.deepEqual(names(requests), ["CardAcquisitionRequest", "EnableServiceRequest"]);
      assert.deepEqual(bodyOf(requests[1]).EnableServiceRequest, { TransactionAction: "AbortTransaction" });
    });

    it("status: a TransactionStatusRequest about the payment's ServiceID", async () => {
      const requests = await dryRun(fixture("status"));
      assertGolden("status", requests);
      assert.deepEqual(bodyOf(requests[1]).TransactionStatusRequest, {
        MessageReference: {
          MessageCategory: "Payment",
          SaleID: "termflow",
          ServiceID: requests[0].SaleToPOIRequest.MessageHeader.ServiceID,
        },
      });
    });

    it("payment time limit (on the simulator, whose payment outlives it): AbortRequest, then TransactionStatus; one payment", async () => {
      const { result, requests } = await outlivedPayment(fixture("time-limit"));
      assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
      assertGolden("time-limit", requests);
      assert.deepEqual(names(requests), ["PaymentRequest", "AbortRequest", "TransactionStatusRequest"]);
      const abort = bodyOf(requests[1]).AbortRequest as Record<string, any>;
      assert.equal(abort.MessageReference.ServiceID, requests[0].SaleToPOIRequest.MessageHeader.ServiceID);
      assert.equal(result.captures.payment && (result.captures.payment as { result: string }).result, "cancelled");
      assert.equal(result.steps[0].diagnostic?.code, "payment-time-limit");
      assert.equal(result.messages.filter((m) => m.name === "PaymentRequest").length, 1);
    });
  });

  describe("the same flows in YAML send the same requests, byte for byte", () => {
    for (const name of [
      "refund-referenced",
      "refund-unreferenced",
      "print",
      "acquire-then-pay",
      "acquire-without-payment",
      "status",
    ]) {
      it(`${name}.flow.yaml`, async () => {
        assertGolden(name, await dryRun(fixture(name, ".flow.yaml")));
      });
    }

    it("time-limit.flow.yaml", async () => {
      const { result, requests } = await outlivedPayment(fixture("time-limit", ".flow.yaml"));
      assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
      assertGolden("time-limit", requests);
    });
  });

  describe("a card acquisition is always closed", () => {
    it("is released when a later step fails, and the run still reports that failure", async () => {
      const terminal = new FakeTerminal();
      const result = await runFlow(flowOf('acquire card as card\nexpect card.brand == "visa"'), {
        terminal,
        clock: new VirtualClock({ auto: true }),
      });
      assert.equal(result.status, "failed");
      assert.equal(result.diagnostics[0].code, "expect-failed");
      assert.deepEqual(terminal.names(), ["CardAcquisitionRequest", "EnableServiceRequest"]);
    });

    it("inside a session is released before the End, also when a step fails", async () => {
      const terminal = new FakeTerminal();
      const flow = flowOf('session waiting 5s <\n  acquire card as card\n  expect card.brand == "visa"\n>');
      const result = await runFlow(flow, { terminal, clock: new VirtualClock({ auto: true }) });
      assert.equal(result.status, "failed");
      assert.deepEqual(terminal.names(), [
        "AdminRequest",
        "CardAcquisitionRequest",
        "EnableServiceRequest",
        "AdminRequest",
      ]);
      assert.deepEqual(terminal.openSessions, new Set());
    });

    it("continued by a payment is not released, whatever the payment came to", async () => {
      const terminal = new FakeTerminal().once("PaymentRequest", (request) =>
        answer(request, "PaymentResponse", {
          Response: { Result: "Failure", ErrorCondition: "Refusal" },
          SaleData: (request.SaleToPOIRequest as any).PaymentRequest.SaleData,
          POIData: { POITransactionID: { TransactionID: "T1", TimeStamp: "2026-01-01T00:00:00.000Z" } },
        }),
      );
      const flow = flowOf('acquire card as card\npay 5.00 EUR with card as p\nexpect p.result == "declined"');
      const result = await runFlow(flow, { terminal, clock: new VirtualClock({ auto: true }) });
      assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
      assert.deepEqual(terminal.names(), ["CardAcquisitionRequest", "PaymentRequest"]);
    });
  });

  describe("a payment time limit reports the outcome truthfully", () => {
    it("an approval the abort came too late for is approved (a warning), never paid twice", async () => {
      const clock = new VirtualClock({ auto: true });
      const slow = new FakeTerminal();
      slow.once("PaymentRequest", async (_r, _o, cooperative) => {
        // The terminal approves 2 s after the POS gave up: the abort came too late.
        await clock.sleep(12_000);
        return cooperative();
      });
      const result = await runFlow(flowOf("pay 10.00 EUR within 10s as p"), { terminal: slow, clock });
      assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
      assert.equal((result.captures.p as { result: string }).result, "approved");
      assert.equal(result.warnings[0]?.code, "payment-time-limit");
      assert.deepEqual(slow.names(), ["PaymentRequest", "AbortRequest", "TransactionStatusRequest"]);
    });
  });
});

/** A transport that records the requests another one sends. */
function dryRunRecorder(inner: ReturnType<typeof simulatorTransport>) {
  const requests: SaleToPOIRequest[] = [];
  return {
    description: inner.description,
    requests,
    send(request: SaleToPOIRequest, options: Parameters<typeof inner.send>[1]) {
      requests.push(structuredClone(request));
      return inner.send(request, options);
    },
  };
}
