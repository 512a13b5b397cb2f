import assert from "node:assert/strict";
import { VirtualClock } from "../../protocol/index.js";
import { runFlow, type RunOptions } from "../../runtime/run-flow.js";
import { TransportError } from "../../runtime/transport.js";
import type { RunEventName } from "../../runtime/events.js";
import type { PaymentRequest, SaleToPOIRequest } from "../../protocol/index.js";
import { answer, bodyName, FakeTerminal, flowOf } from "./support/fake-terminal.js";
import { moneyOf } from "../../language/index.js";

const PAY_AT_TABLE = `flow "Pay at table"
param table = "12"
session waiting 5000 id "S1" <
  display "Table \${table}: 50.00 EUR"
  input confirm "Split the bill?" within 30s as split
  if split == true {
    pay 25.00 EUR ref "table-\${table}-1" as first
    expect first.result == "approved"
  } else {
    pay 50.00 EUR ref "table-\${table}" as payment
    expect payment.result == "approved"
  }
>
display idle
`;

function run(source: string, terminal: FakeTerminal, options: Partial<RunOptions> = {}) {
  return runFlow(flowOf(source), { terminal, clock: new VirtualClock({ auto: true }), seed: 1, ...options });
}

function confirmAnswer(flag: boolean) {
  return (request: SaleToPOIRequest) =>
    answer(request, "InputResponse", {
      InputResult: {
        Device: "CustomerInput",
        InfoQualify: "Input",
        Response: { Result: "Success" },
        Input: { InputCommand: "GetConfirmation", ConfirmedFlag: flag },
      },
    });
}

function paymentFailure(condition: string, additional: string) {
  return (request: SaleToPOIRequest) =>
    answer(request, "PaymentResponse", {
      Response: { Result: "Failure", ErrorCondition: condition, AdditionalResponse: additional },
      SaleData: (request.SaleToPOIRequest as { PaymentRequest: PaymentRequest }).PaymentRequest.SaleData,
      POIData: { POITransactionID: { TransactionID: "T-1", TimeStamp: "2026-01-01T00:00:00.000Z" } },
    });
}

describe("runtime/run-flow", () => {
  it("runs a session: Begin, the inner requests, End; captures and interpolates", async () => {
    const terminal = new FakeTerminal().once("InputRequest", confirmAnswer(false));
    const result = await run(PAY_AT_TABLE, terminal);
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(terminal.names(), [
      "AdminRequest",
      "DisplayRequest",
      "InputRequest",
      "PaymentRequest",
      "AdminRequest",
      "DisplayRequest",
    ]);
    assert.deepEqual(terminal.sessionRequests(), ["Begin S1", "End S1"]);
    assert.equal(terminal.openSessions.size, 0);
    const display = terminal.requests[1].SaleToPOIRequest as {
      DisplayRequest: { DisplayOutput: { OutputContent: { OutputText: { Text: string }[] } }[] };
    };
    assert.equal(display.DisplayRequest.DisplayOutput[0].OutputContent.OutputText[0].Text, "Table 12: 50.00 EUR");
    const pay = (terminal.requests[3].SaleToPOIRequest as { PaymentRequest: PaymentRequest }).PaymentRequest;
    assert.equal(pay.SaleData.SaleTransactionID.TransactionID, "table-12");
    assert.equal(pay.PaymentTransaction.AmountsReq.RequestedAmount, 50);
    assert.equal(result.captures.split, false);
    assert.deepEqual(result.captures.payment, {
      result: "approved",
      transactionId: `DRYRUN.${terminal.requests[3].SaleToPOIRequest.MessageHeader.ServiceID}`,
      amount: moneyOf(5000, "EUR"),
      tip: moneyOf(0, "EUR"),
      currency: "EUR",
      declineReason: "",
      errorCondition: "",
    });
    assert.deepEqual(
      result.steps.map((s) => [s.path, s.kind, s.status]),
      [
        ["1", "session", "passed"],
        ["1.1", "display", "passed"],
        ["1.2", "input", "passed"],
        ["1.3", "if", "passed"],
        ["1.3.else.1", "pay", "passed"],
        ["1.3.else.2", "expect", "passed"],
        ["2", "display", "passed"],
      ],
    );
    assert.equal(result.steps[3].branch, "else");
    assert.equal(result.steps[2].span.start.line, 5, "step results carry their source spans");
    assert.equal(result.steps[2].label, 'input confirm "Split the bill?" as split');
  });

  it("gives every request its own ServiceID and records every message in order", async () => {
    const terminal = new FakeTerminal();
    const result = await run(PAY_AT_TABLE, terminal);
    const ids = terminal.requests.map((r) => r.SaleToPOIRequest.MessageHeader.ServiceID);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(
      result.messages.map((m) => m.direction),
      terminal.requests.flatMap(() => ["request", "response"]),
    );
  });

  it("takes params from vars (converted to the default's type) and refuses unknown or missing ones", async () => {
    const source = `param table = "12"\nparam guests = 2\ndisplay "\${table}/\${guests}"\nexpect guests > 2\n`;
    const ok = await run(source, new FakeTerminal(), { vars: { table: "7", guests: "3" } });
    assert.equal(ok.status, "passed", JSON.stringify(ok.diagnostics));
    assert.deepEqual(ok.captures, { table: "7", guests: 3 });

    const wrongType = await run(source, new FakeTerminal(), { vars: { guests: "many" } });
    assert.equal(wrongType.status, "invalid");
    assert.equal(wrongType.diagnostics[0].code, "invalid-var");

    const terminal = new FakeTerminal();
    const typo = await run(source, terminal, { vars: { tabel: "7" } });
    assert.equal(typo.status, "invalid");
    assert.equal(typo.diagnostics[0].code, "unknown-var");
    assert.equal(typo.diagnostics[0].hint, "did you mean `table`?");
    assert.equal(terminal.requests.length, 0, "an invalid run sends nothing");

    const missing = await run(`param table\ndisplay "\${table}"\n`, new FakeTerminal());
    assert.equal(missing.status, "invalid");
    assert.equal(missing.diagnostics[0].code, "missing-param");
    assert.equal(missing.diagnostics[0].span.start.line, 1);
  });

  it("fails on a false expect, pointing at it and saying what the values were", async () => {
    const terminal = new FakeTerminal().once("InputRequest", confirmAnswer(false));
    const result = await run(
      `session waiting 5000 id "S" <\n  input confirm "OK?" as ok\n  expect ok == true\n  display "never"\n>\n`,
      terminal,
    );
    assert.equal(result.status, "failed");
    const [d] = result.diagnostics;
    assert.equal(d.code, "expect-failed");
    assert.equal(d.message, "expectation failed: ok == true");
    assert.equal(d.hint, "`ok` is false");
    assert.equal(d.span.start.line, 3);
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"], "End sent once after the failure");
    assert.ok(!terminal.names().slice(2).includes("DisplayRequest"), "no step after the failure ran");
  });

  it("fails a declined payment nobody inspects, with its ErrorCondition and refusal reason, and still ends the session", async () => {
    const terminal = new FakeTerminal().once(
      "PaymentRequest",
      paymentFailure("Refusal", "message=NOT_ENOUGH_BALANCE&refusalReason=210%20Not%20enough%20balance"),
    );
    const result = await run(`session waiting 5000 id "S" <\n  pay 1.24 EUR\n  display "paid"\n>\n`, terminal);
    assert.equal(result.status, "failed");
    const [d] = result.diagnostics;
    assert.equal(d.code, "payment-declined");
    assert.match(d.message, /declined \(Refusal\)/);
    assert.match(d.message, /refusalReason: 210 Not enough balance/);
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"]);
    const pay = result.steps.find((s) => s.kind === "pay")!;
    assert.equal(pay.status, "failed");
    assert.deepEqual(pay.answer, {
      result: "Failure",
      errorCondition: "Refusal",
      additionalResponse: { message: "NOT_ENOUGH_BALANCE", refusalReason: "210 Not enough balance" },
    });
  });

  it("lets a flow that inspects the capture handle a decline itself", async () => {
    const terminal = new FakeTerminal().once(
      "PaymentRequest",
      paymentFailure("Refusal", "refusalReason=210%20Not%20enough%20balance"),
    );
    const result = await run(
      `pay 1.24 EUR as payment\nexpect payment.result == "declined"\nexpect payment.declineReason == "210 Not enough balance"\n`,
      terminal,
    );
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.equal(result.warnings[0].code, "payment-declined");
    assert.equal(result.warnings[0].severity, "warning");
    assert.equal((result.captures.payment as { errorCondition: string }).errorCondition, "Refusal");
  });

  it("does not run the inner steps, nor send End, when the terminal refuses Begin", async () => {
    const terminal = new FakeTerminal().once("AdminRequest", (request) =>
      answer(request, "AdminResponse", {
        Response: {
          Result: "Failure",
          ErrorCondition: "NotAllowed",
          AdditionalResponse: "message=session+already+open",
        },
      }),
    );
    const result = await run(`session waiting 5000 id "S" <\n  display "inside"\n>\ndisplay "after"\n`, terminal);
    assert.equal(result.status, "failed");
    assert.equal(result.diagnostics[0].code, "session-begin-failed");
    assert.match(result.diagnostics[0].message, /Failure NotAllowed \(message: session already open\)/);
    assert.deepEqual(terminal.names(), ["AdminRequest"]);
  });

  it("ends the session once when an inner request's connection is lost, and reports a transport error", async () => {
    const terminal = new FakeTerminal().once("InputRequest", () => {
      throw new TransportError("connection", "socket hang up");
    });
    const result = await run(
      `session waiting 5000 id "S" <\n  input text "Name?" as name\n  display "Hi \${name}"\n>\n`,
      terminal,
    );
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "transport-connection");
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"]);
    assert.equal(terminal.openSessions.size, 0);
  });

  it("times out on the run's clock and still ends the session", async () => {
    const terminal = new FakeTerminal().once("DisplayRequest", () => new Promise(() => {}));
    const result = await run(`session waiting 5000 id "S" <\n  display "stuck"\n>\n`, terminal, {
      timeouts: { display: 2000 },
    });
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "transport-timeout");
    assert.match(result.diagnostics[0].message, /no answer within 2000 ms/);
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"]);
  });

  it("recovers a lost payment answer through TransactionStatus, asking again while InProgress, never resending", async () => {
    let paymentServiceId = "";
    const statusPolls: number[] = [];
    const clock = new VirtualClock({ auto: true });
    const terminal = new FakeTerminal()
      .once("PaymentRequest", (request) => {
        paymentServiceId = request.SaleToPOIRequest.MessageHeader.ServiceID!;
        throw new TransportError("connection", "ECONNRESET");
      })
      .once("TransactionStatusRequest", (request) => {
        statusPolls.push(clock.now());
        return answer(request, "TransactionStatusResponse", {
          Response: { Result: "Failure", ErrorCondition: "InProgress" },
        });
      })
      .once("TransactionStatusRequest", (request) => {
        statusPolls.push(clock.now());
        return answer(request, "TransactionStatusResponse", {
          Response: { Result: "Failure", ErrorCondition: "InProgress" },
        });
      })
      .once("TransactionStatusRequest", (request) => {
        statusPolls.push(clock.now());
        const reference = (
          request.SaleToPOIRequest as { TransactionStatusRequest: { MessageReference: { ServiceID: string } } }
        ).TransactionStatusRequest.MessageReference;
        assert.equal(reference.ServiceID, paymentServiceId, "the status asks about the lost payment");
        return answer(request, "TransactionStatusResponse", {
          Response: { Result: "Success" },
          RepeatedMessageResponse: {
            MessageHeader: {
              MessageClass: "Service",
              MessageCategory: "Payment",
              MessageType: "Response",
              SaleID: "termflow",
              POIID: "V400m-123456789",
              ServiceID: paymentServiceId,
            },
            RepeatedResponseMessageBody: {
              PaymentResponse: {
                Response: { Result: "Success" },
                POIData: { POITransactionID: { TransactionID: "REAL.123", TimeStamp: "2026-01-01T00:00:00Z" } },
                PaymentResult: { AmountsResp: { Currency: "EUR", AuthorizedAmount: 12.5 } },
              },
            },
          },
        });
      });
    const result = await run(`pay 12.50 EUR as payment\nexpect payment.result == "approved"\n`, terminal, { clock });
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.deepEqual(terminal.names(), [
      "PaymentRequest",
      "TransactionStatusRequest",
      "TransactionStatusRequest",
      "TransactionStatusRequest",
    ]);
    assert.equal((result.captures.payment as { transactionId: string }).transactionId, "REAL.123");
    assert.deepEqual((result.captures.payment as { amount: unknown }).amount, moneyOf(1250, "EUR"));
    assert.deepEqual(
      [statusPolls[1] - statusPolls[0], statusPolls[2] - statusPolls[1]],
      [1000, 2000],
      "backoff between polls",
    );
  });

  it("reports a lost payment the terminal never saw as failed with NotFound", async () => {
    const terminal = new FakeTerminal()
      .once("PaymentRequest", () => {
        throw new TransportError("timeout", "no answer");
      })
      .once("TransactionStatusRequest", (request) =>
        answer(request, "TransactionStatusResponse", { Response: { Result: "Failure", ErrorCondition: "NotFound" } }),
      );
    const result = await run(
      `pay 12.50 EUR as payment\nexpect payment.result == "failed"\nexpect payment.errorCondition == "NotFound"\n`,
      terminal,
    );
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    assert.equal(terminal.names().filter((n) => n === "PaymentRequest").length, 1);
  });

  it("gives up on a payment whose outcome stays unknown, without ever resending it", async () => {
    const terminal = new FakeTerminal().once("PaymentRequest", () => {
      throw new TransportError("connection", "reset");
    });
    for (let i = 0; i < 50; i++) {
      terminal.once("TransactionStatusRequest", (request) =>
        answer(request, "TransactionStatusResponse", { Response: { Result: "Failure", ErrorCondition: "InProgress" } }),
      );
    }
    const result = await run(`pay 12.50 EUR\n`, terminal, { timeouts: { statusRecovery: 20_000 } });
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "payment-outcome-unknown");
    assert.equal(terminal.names().filter((n) => n === "PaymentRequest").length, 1);
    assert.ok(terminal.names().filter((n) => n === "TransactionStatusRequest").length >= 3);
  });

  it("does not ask for the status of a payment that certainly never left (connection refused)", async () => {
    const terminal = new FakeTerminal().once("PaymentRequest", () => {
      throw new TransportError("connection", "connection refused by 127.0.0.1:9", undefined, true);
    });
    const result = await run(`pay 12.50 EUR\n`, terminal);
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "transport-connection");
    assert.deepEqual(terminal.names(), ["PaymentRequest"]);
  });

  it("aborts the in-flight payment when cancelled, then ends the session", async () => {
    const controller = new AbortController();
    let release: (value: unknown) => void = () => {};
    let paymentRequest: SaleToPOIRequest | undefined;
    const terminal = new FakeTerminal()
      .once("PaymentRequest", (request) => {
        paymentRequest = request;
        setImmediate(() => controller.abort());
        return new Promise((resolve) => (release = resolve));
      })
      .once("AbortRequest", () => {
        release(paymentFailure("Aborted", "message=104%20Merchant%20cancelled")(paymentRequest!));
        return undefined;
      });
    const result = await run(`session waiting 5000 id "S" <\n  pay 12.50 EUR\n  display "never"\n>\n`, terminal, {
      signal: controller.signal,
    });
    assert.equal(result.status, "cancelled");
    assert.equal(result.diagnostics[0].code, "cancelled");
    assert.deepEqual(terminal.names(), ["AdminRequest", "PaymentRequest", "AbortRequest", "AdminRequest"]);
    const abort = terminal.requests[2].SaleToPOIRequest as {
      AbortRequest: { MessageReference: { ServiceID: string; MessageCategory: string } };
    };
    assert.deepEqual(abort.AbortRequest.MessageReference, {
      MessageCategory: "Payment",
      SaleID: "termflow",
      ServiceID: paymentRequest!.SaleToPOIRequest.MessageHeader.ServiceID,
    });
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"]);
    assert.equal(result.steps.find((s) => s.kind === "pay")?.status, "cancelled");
  });

  it("aborts an input (category Input) when cancelled during a wait for the shopper", async () => {
    const controller = new AbortController();
    const terminal = new FakeTerminal().once("InputRequest", () => {
      setImmediate(() => controller.abort());
      return new Promise(() => {});
    });
    const result = await run(`session waiting 5000 id "S" <\n  input digits "Table?"\n>\n`, terminal, {
      signal: controller.signal,
    });
    assert.equal(result.status, "cancelled");
    assert.deepEqual(terminal.names(), ["AdminRequest", "InputRequest", "AbortRequest", "AdminRequest"]);
    assert.equal(
      (terminal.requests[2].SaleToPOIRequest as { AbortRequest: { MessageReference: { MessageCategory: string } } })
        .AbortRequest.MessageReference.MessageCategory,
      "Input",
    );
  });

  it("stops a wait when cancelled and ends the session", async () => {
    const controller = new AbortController();
    const terminal = new FakeTerminal().once("DisplayRequest", (_request, _options, cooperative) => {
      setImmediate(() => controller.abort());
      return cooperative();
    });
    const result = await run(`session waiting 5000 id "S" <\n  display "a"\n  wait 60s\n  display "b"\n>\n`, terminal, {
      signal: controller.signal,
      clock: new VirtualClock({ auto: false }),
    });
    assert.equal(result.status, "cancelled");
    assert.deepEqual(terminal.names(), ["AdminRequest", "DisplayRequest", "AdminRequest"]);
  });

  it("keeps going when a listener throws, and the other listeners still hear every event", async () => {
    const heard: RunEventName[] = [];
    const terminal = new FakeTerminal();
    const result = await run(`session waiting 5000 id "S" <\n  display "a"\n>\n`, terminal, {
      on: {
        stepStart: () => {
          throw new Error("listener bug");
        },
        request: () => {
          throw new Error("another bug");
        },
        stepEnd: () => heard.push("stepEnd"),
        sessionEnd: () => heard.push("sessionEnd"),
        flowEnd: () => heard.push("flowEnd"),
      },
    });
    assert.equal(result.status, "passed");
    assert.deepEqual(terminal.sessionRequests(), ["Begin S", "End S"]);
    assert.deepEqual(heard, ["stepEnd", "sessionEnd", "stepEnd", "flowEnd"]);
    assert.ok(result.warnings.length >= 2);
    assert.ok(result.warnings.every((w) => w.code === "listener-threw" && w.severity === "warning"));
  });

  it("emits typed events in order", async () => {
    const events: string[] = [];
    const on = Object.fromEntries(
      (
        ["flowStart", "stepStart", "stepEnd", "request", "response", "sessionBegin", "sessionEnd", "flowEnd"] as const
      ).map((name) => [
        name,
        (e: { path?: string; name?: string; result?: { path?: string } }) =>
          events.push(`${name}${e.name ? ` ${e.name}` : ""}${e.path ? ` ${e.path}` : ""}`),
      ]),
    );
    await run(`session waiting 5000 id "S" <\n  display "a"\n>\n`, new FakeTerminal(), { on });
    assert.deepEqual(events, [
      "flowStart",
      "stepStart 1",
      "request AdminRequest 1",
      "response AdminRequest 1",
      "sessionBegin 1",
      "stepStart 1.1",
      "request DisplayRequest 1.1",
      "response DisplayRequest 1.1",
      "stepEnd",
      "request AdminRequest 1",
      "response AdminRequest 1",
      "sessionEnd 1",
      "stepEnd",
      "flowEnd",
    ]);
  });

  it("fails the run when the terminal refuses the End after the steps passed", async () => {
    const terminal = new FakeTerminal()
      .once("AdminRequest", (_r, _o, cooperative) => cooperative())
      .once("AdminRequest", (request) =>
        answer(request, "AdminResponse", { Response: { Result: "Failure", ErrorCondition: "NotFound" } }),
      );
    const result = await run(`session waiting 5000 id "S" <\n  display "a"\n>\n`, terminal);
    assert.equal(result.status, "failed");
    assert.equal(result.diagnostics[0].code, "session-end-failed");
    assert.equal(terminal.sessionRequests().filter((s) => s.startsWith("End")).length, 1, "End is never retried");
  });

  it("never rejects, even when the transport throws something odd", async () => {
    const terminal = new FakeTerminal().once("DisplayRequest", () => {
      throw "a string, not an Error";
    });
    const result = await run(`display "x"\n`, terminal);
    assert.equal(result.status, "error");
    assert.equal(result.diagnostics[0].code, "transport-connection");
  });

  it("answers a Reject EventNotification on a display with a failed step", async () => {
    const terminal = new FakeTerminal().once("DisplayRequest", () => ({
      SaleToPOIRequest: {
        EventNotification: { EventToNotify: "Reject", EventDetails: "message=Terminal+not+reachable" },
      },
    }));
    const result = await run(`display "x"\n`, terminal);
    assert.equal(result.status, "failed");
    assert.equal(result.diagnostics[0].code, "terminal-rejected");
    assert.match(result.diagnostics[0].message, /Terminal not reachable/);
  });

  it("treats every generated request name as a known body", async () => {
    const terminal = new FakeTerminal();
    await run(PAY_AT_TABLE, terminal);
    for (const request of terminal.requests) assert.ok(bodyName(request).endsWith("Request"));
  });
});
