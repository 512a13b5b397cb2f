/**
 * Running flows that call flows: the called flow runs in a scope of its own under the call's path,
 * its params bound as `--var` values are (types, currencies), its captures come back as one record,
 * its card acquisitions are released when it ends, and a failure in it travels up through the
 * caller's session (which ends) with a `called from` note per call.
 */
import assert from "node:assert/strict";
import { loadFlow, resolveCallPath, type CalledFlows, type Flow } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import type { CallEvent } from "../../runtime/events.js";
import { runFlow } from "../../runtime/run-flow.js";
import { createSimulator } from "../../simulator/index.js";
import { answer, FakeTerminal } from "./support/fake-terminal.js";

/** `main.flow` and the files it calls, in memory. */
function program(files: Record<string, string>): { flow: Flow; calls: CalledFlows } {
  const { flow, diagnostics, called } = loadFlow(files["main.flow"], "main.flow", {
    files: {
      resolve: resolveCallPath,
      read: (file) => (Object.hasOwn(files, file) ? { ok: true, source: files[file] } : { ok: false, reason: "none" }),
    },
  });
  assert.ok(flow, diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
  return { flow, calls: called };
}

const TIP = 'flow "Tip"\nparam bill: money\ninput amount "Tip for ${bill}?" in EUR as tip\n';

describe("runtime: flows that call flows", () => {
  it("runs the called flow under the call's path and gives its captures back as a record", async () => {
    const { flow, calls } = program({
      "main.flow": 'param total: money = 20.00 EUR\ncall "tip.flow" with bill = total as t\npay total tip t.tip as p\n',
      "tip.flow": TIP,
    });
    const clock = new VirtualClock({ auto: true });
    const events: CallEvent[] = [];
    const result = await runFlow(flow, {
      terminal: createSimulator({ clock }),
      clock,
      calls,
      on: { call: (e) => events.push(e) },
    });
    assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
    assert.deepEqual(
      result.steps.map((s) => [s.path, s.kind, s.span.file]),
      [
        ["1", "call", "main.flow"],
        ["1.1", "input", "tip.flow"],
        ["2", "pay", "main.flow"],
      ],
    );
    const t = result.captures.t as { tip: { minor: number; currency: string } };
    assert.deepEqual([t.tip.minor, t.tip.currency], [1000, "EUR"]);
    // The caller sees the call's capture, not the called flow's own names.
    assert.equal("tip" in result.captures, false);
    assert.deepEqual(
      events.map((e) => [e.path, e.file, e.flow, e.params]),
      [["1", "tip.flow", "Tip", { bill: { kind: "money", minor: 2000, currency: "EUR" } }]],
    );
  });

  it("ends the caller's session when the called flow fails, and points at the failure with the chain", async () => {
    const { flow, calls } = program({
      "main.flow": 'session waiting 5s <\n  call "a.flow"\n>\n',
      "a.flow": 'call "b.flow" with amount = 5.00 EUR\n',
      "b.flow": "param amount: money\npay amount\n",
    });
    const terminal = new FakeTerminal().once("PaymentRequest", (request) =>
      answer(request, "PaymentResponse", {
        Response: { Result: "Failure", ErrorCondition: "Refusal" },
        POIData: { POITransactionID: { TransactionID: "T1", TimeStamp: "2026-01-01T00:00:00.000Z" } },
        SaleData: request.SaleToPOIRequest.PaymentRequest?.SaleData,
        PaymentResult: {
          AmountsResp: { Currency: "EUR", AuthorizedAmount: 0 },
        },
      }),
    );
    const result = await runFlow(flow, { terminal, clock: new VirtualClock({ auto: true }), calls });
    assert.equal(result.status, "failed");
    const d = result.diagnostics[0];
    assert.equal(d.code, "payment-declined");
    assert.deepEqual([d.span.file, d.span.start.line], ["b.flow", 2]);
    assert.deepEqual(
      d.related?.map((n) => n.message),
      ["called from a.flow:1:1", "called from main.flow:2:3"],
    );
    assert.deepEqual(terminal.names(), ["AdminRequest", "PaymentRequest", "AdminRequest"]);
    assert.deepEqual(terminal.openSessions, new Set());
  });

  it("binds params as --var values are: a value only the run knows that does not fit fails the call first", async () => {
    const { flow, calls } = program({
      // An untyped param holds the caller's text; the called flow's param wants an amount in EUR.
      "main.flow": 'param total\ncall "pay.flow" with amount = total\n',
      "pay.flow": "param amount: money = 1.00 EUR\npay amount\n",
    });
    const terminal = new FakeTerminal();
    const run = (total: string) =>
      runFlow(flow, { terminal, clock: new VirtualClock({ auto: true }), calls, params: { total } });
    const wrongCurrency = await run("5.00 USD");
    assert.equal(wrongCurrency.status, "failed");
    assert.equal(wrongCurrency.diagnostics[0].code, "invalid-var");
    assert.match(wrongCurrency.diagnostics[0].message, /`amount` is an amount in EUR, got 5\.00 USD/);
    assert.deepEqual(
      [wrongCurrency.diagnostics[0].span.file, wrongCurrency.diagnostics[0].span.start.line],
      ["main.flow", 2],
    );
    assert.equal((await run("abc")).diagnostics[0].code, "invalid-var");
    assert.deepEqual(terminal.names(), []);
    const fits = await run("5.00 EUR");
    assert.equal(fits.status, "passed", fits.diagnostics.map((d) => d.message).join("; "));
    assert.deepEqual(terminal.names(), ["PaymentRequest"]);
  });

  it("releases the card a called flow read and did not charge when it ends, before the caller goes on", async () => {
    const { flow, calls } = program({
      "main.flow": 'call "card.flow" as c\ndisplay "Card: ${c.card.brand}"\n',
      "card.flow": 'acquire card as card\nexpect card.result == "acquired"\n',
    });
    const terminal = new FakeTerminal();
    const result = await runFlow(flow, { terminal, clock: new VirtualClock({ auto: true }), calls });
    assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
    assert.deepEqual(terminal.names(), ["CardAcquisitionRequest", "EnableServiceRequest", "DisplayRequest"]);
  });

  it("will not run a flow that calls others without them", async () => {
    const { flow } = program({ "main.flow": 'call "tip.flow" with bill = 1.00 EUR\n', "tip.flow": TIP });
    const result = await runFlow(flow, { terminal: new FakeTerminal(), clock: new VirtualClock({ auto: true }) });
    assert.equal(result.status, "invalid");
    assert.equal(result.diagnostics[0].code, "call-file-unreadable");
  });
});
