import assert from "node:assert/strict";
import { INPUT_KINDS } from "../../../language/ast.js";
import {
  abortRequest,
  displayRequest,
  envelope,
  inputRequest,
  paymentRequest,
  sessionBeginRequest,
  sessionEndRequest,
  transactionStatusRequest,
} from "../../../runtime/nexo/requests.js";
import { decodeBase64Json, type RequestBodies, type RequestBodyName } from "../../../protocol/index.js";
import { specErrors, unknownFields } from "../../support/terminal-api-spec.js";

const header = { saleId: "POS-1", poiid: "V400m-324688179", serviceId: "AbC123xYz9" };

function valid<K extends RequestBodyName>(name: K, body: RequestBodies[K]): Record<string, unknown> {
  const message = envelope(name, body, header);
  assert.deepEqual(
    specErrors(message, "TerminalAPIRequest"),
    [],
    `${name} does not validate against TerminalAPI-v1.json`,
  );
  assert.deepEqual(unknownFields(message, "TerminalAPIRequest"), [], `${name} has fields the spec does not know`);
  return message.SaleToPOIRequest as unknown as Record<string, unknown>;
}

describe("runtime/nexo/requests", () => {
  it("puts the header docs/protocol.md requires on every body, with the right class and category", () => {
    const cases: [RequestBodyName, unknown, string, string][] = [
      ["AdminRequest", sessionEndRequest("S1"), "Service", "Admin"],
      ["InputRequest", inputRequest({ kind: "confirm", prompt: "Split?" }), "Device", "Input"],
      ["DisplayRequest", displayRequest({ kind: "idle" }), "Device", "Display"],
      [
        "PaymentRequest",
        paymentRequest({ transactionId: "t1", at: 0, currency: "EUR", amount: 1250 }),
        "Service",
        "Payment",
      ],
      ["TransactionStatusRequest", transactionStatusRequest("POS-1", "X1"), "Service", "TransactionStatus"],
      ["AbortRequest", abortRequest("POS-1", "X1", "Payment"), "Service", "Abort"],
    ];
    for (const [name, body, cls, category] of cases) {
      const message = valid(name, body as never);
      assert.deepEqual(message.MessageHeader, {
        ProtocolVersion: "3.0",
        MessageClass: cls,
        MessageCategory: category,
        MessageType: "Request",
        ServiceID: "AbC123xYz9",
        SaleID: "POS-1",
        POIID: "V400m-324688179",
      });
      assert.deepEqual(Object.keys(message), ["MessageHeader", name], "exactly one body key");
    }
  });

  it("encodes a session Begin exactly as docs/protocol.md shows it", () => {
    const body = sessionBeginRequest("S1", [
      { request: "input", timeoutMs: 5000 },
      { request: "display", timeoutMs: 5000 },
      { request: "payment", timeoutMs: 5000 },
    ]);
    valid("AdminRequest", body);
    const expected =
      '{"Session":{"Id":"S1","Type":"Begin"},' +
      '"Operation":[{"Type":"InputRequest","Variant":"WaitingScreen","UserInterfaceData":{"WaitingScreenTimeoutMs":5000}},' +
      '{"Type":"DisplayRequest","Variant":"WaitingScreen","UserInterfaceData":{"WaitingScreenTimeoutMs":5000}},' +
      '{"Type":"Payment","Variant":"WaitingScreen","UserInterfaceData":{"WaitingScreenTimeoutMs":5000}}]}';
    assert.equal(Buffer.from(body.ServiceIdentification!, "base64").toString("utf8"), expected);
  });

  it("lists only the session's request types, each with its own timeout, and ends with the same Id", () => {
    const begin = sessionBeginRequest("Session_1234", [
      { request: "input", timeoutMs: 15000 },
      { request: "display", timeoutMs: 10000 },
    ]);
    // The exact Base64 of Adyen's Postman pre-request script for this session.
    const postman = Buffer.from(
      JSON.stringify({
        Session: { Id: "Session_1234", Type: "Begin" },
        Operation: [
          { Type: "InputRequest", Variant: "WaitingScreen", UserInterfaceData: { WaitingScreenTimeoutMs: 15000 } },
          { Type: "DisplayRequest", Variant: "WaitingScreen", UserInterfaceData: { WaitingScreenTimeoutMs: 10000 } },
        ],
      }),
    ).toString("base64");
    assert.equal(begin.ServiceIdentification, postman);
    assert.deepEqual(decodeBase64Json(sessionEndRequest("Session_1234").ServiceIdentification!), {
      ok: true,
      value: { Session: { Id: "Session_1234", Type: "End" } },
    });
  });

  it("builds every input screen with its ReferenceID and InputCommand, and every one validates", () => {
    const expected: Record<string, [string, string, number]> = {
      confirm: ["GetConfirmation", "GetConfirmation", 4],
      signature: ["GetSignature", "GetConfirmation", 2],
      menu: ["MenuButtons", "GetMenuEntry", 1],
      digits: ["GetDigit", "DigitString", 1],
      phone: ["GetPhoneNumber", "DigitString", 1],
      amount: ["GetAmount", "DecimalString", 1],
      text: ["GetText", "TextString", 1],
    };
    for (const kind of INPUT_KINDS) {
      const body = inputRequest({
        kind,
        prompt: "Question",
        withinMs: 30_000,
        ...(kind === "menu" ? { entries: ["Good", "Bad"] } : {}),
      });
      valid("InputRequest", body);
      const [referenceId, command, texts] = expected[kind];
      assert.equal(body.DisplayOutput?.OutputContent.PredefinedContent?.ReferenceID, referenceId, kind);
      assert.equal(body.InputData.InputCommand, command, kind);
      assert.equal(body.DisplayOutput?.OutputContent.OutputText?.length, texts, kind);
      assert.equal(body.DisplayOutput?.OutputContent.OutputText?.[0].Text, "Question");
      assert.equal(body.InputData.MaxInputTime, 30, "MaxInputTime is in seconds");
      assert.equal(body.InputData.Device, "CustomerInput");
      assert.equal(body.DisplayOutput?.Device, "CustomerDisplay");
    }
  });

  it("puts menu entries inside DisplayOutput and rounds MaxInputTime up to whole seconds", () => {
    const body = inputRequest({ kind: "menu", prompt: "Rate us", entries: ["Good", "Bad"], withinMs: 1500 });
    assert.deepEqual(body.DisplayOutput?.MenuEntry, [
      { OutputFormat: "Text", OutputText: [{ Text: "Good" }] },
      { OutputFormat: "Text", OutputText: [{ Text: "Bad" }] },
    ]);
    assert.equal(body.InputData.MaxInputTime, 2);
    assert.equal(inputRequest({ kind: "text", prompt: "Name" }).InputData.MaxInputTime, undefined);
  });

  it("builds text displays with a minimum display time and the idle screen", () => {
    const text = displayRequest({ kind: "text", text: "Thanks", minimumMs: 3000 });
    valid("DisplayRequest", text);
    assert.deepEqual(text.DisplayOutput[0], {
      Device: "CustomerDisplay",
      InfoQualify: "Display",
      ResponseRequiredFlag: true,
      MinimumDisplayTime: 3,
      OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Thanks" }] },
    });
    const idle = displayRequest({ kind: "idle" });
    valid("DisplayRequest", idle);
    assert.deepEqual(idle.DisplayOutput[0].OutputContent, {
      OutputFormat: "MessageRef",
      PredefinedContent: { ReferenceID: "Idle" },
    });
  });

  it("sends payment amounts as exact decimal major units, with an ISO-8601 UTC timestamp", () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const cases: [string, number, number][] = [
      ["EUR", 1250, 12.5],
      ["EUR", 1, 0.01],
      ["EUR", 1999, 19.99],
      ["JPY", 500, 500],
      ["KWD", 1250, 1.25],
      ["KWD", 1, 0.001],
      ["EUR", 123456789, 1234567.89],
    ];
    for (const [currency, minor, wire] of cases) {
      const body = paymentRequest({ transactionId: "table-7", at, currency, amount: minor, tip: minor });
      valid("PaymentRequest", body);
      assert.equal(body.PaymentTransaction.AmountsReq.RequestedAmount, wire, `${minor} ${currency}`);
      assert.equal(body.PaymentTransaction.AmountsReq.TipAmount, wire);
      assert.deepEqual(body.SaleData.SaleTransactionID, {
        TransactionID: "table-7",
        TimeStamp: "2026-01-02T03:04:05.006Z",
      });
    }
    assert.equal(
      "TipAmount" in
        paymentRequest({ transactionId: "t", at, currency: "EUR", amount: 100 }).PaymentTransaction.AmountsReq,
      false,
    );
  });

  it("refers to the original request in status and abort requests", () => {
    const status = transactionStatusRequest("POS-1", "Pay0000001");
    valid("TransactionStatusRequest", status);
    assert.deepEqual(status, {
      MessageReference: { MessageCategory: "Payment", SaleID: "POS-1", ServiceID: "Pay0000001" },
    });
    const abort = abortRequest("POS-1", "In00000001", "Input");
    valid("AbortRequest", abort);
    assert.deepEqual(abort, {
      AbortReason: "MerchantAbort",
      MessageReference: { MessageCategory: "Input", SaleID: "POS-1", ServiceID: "In00000001" },
    });
  });

  it("would notice a misplaced field or a wrong enumeration value (the checks above can fail)", () => {
    const message = envelope("InputRequest", inputRequest({ kind: "menu", prompt: "Rate", entries: ["A"] }), header);
    const input = message.SaleToPOIRequest.InputRequest as unknown as {
      DisplayOutput: { OutputContent: Record<string, unknown> };
    };
    input.DisplayOutput.OutputContent.MenuEntry = [];
    assert.deepEqual(unknownFields(message, "TerminalAPIRequest"), [
      "/SaleToPOIRequest/InputRequest/DisplayOutput/OutputContent/MenuEntry",
    ]);
    const wrongClass = envelope("AdminRequest", sessionEndRequest("S1"), header);
    (wrongClass.SaleToPOIRequest.MessageHeader as { MessageClass: string }).MessageClass = "Services";
    assert.notDeepEqual(specErrors(wrongClass, "TerminalAPIRequest"), []);
  });
});
