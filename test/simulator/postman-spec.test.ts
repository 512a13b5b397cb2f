/**
 * Every request body of Adyen's Postman collection (../shared/reference/adyen-postman-ipp.json),
 * `{{variables}}` filled in, sent to the simulator: supported bodies get answers that validate against
 * Adyen's OpenAPI spec (with its documented quirks patched), unsupported ones a clear Reject.
 */
import assert from "node:assert/strict";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator, type SimulatorAnswer } from "../../simulator/index.js";
import { b64 } from "./helpers.js";
import { specErrors, unknownFields } from "../support/terminal-api-spec.js";
import { baseVars, collection, fill, fresh, POIID, requests } from "../support/postman.js";

const SUPPORTED = [
  "AdminRequest",
  "InputRequest",
  "DisplayRequest",
  "PaymentRequest",
  "ReversalRequest",
  "TransactionStatusRequest",
  "AbortRequest",
  "PrintRequest",
  "CardAcquisitionRequest",
  "EnableServiceRequest",
];
function checkAnswer(name: string, answer: SimulatorAnswer): void {
  assert.ok(!("dropped" in answer), `${name}: dropped`);
  assert.equal(answer.status, 200, `${name}: HTTP ${answer.status} ${answer.body}`);
  const message = JSON.parse(answer.body);
  assert.deepEqual(
    specErrors(message, "TerminalAPIResponse"),
    [],
    `${name}: answer does not validate:\n${answer.body}`,
  );
  assert.deepEqual(
    unknownFields(message, "TerminalAPIResponse"),
    [],
    `${name}: answer has fields the spec does not define`,
  );
}

describe("simulator answers to Adyen's Postman collection", () => {
  const all = requests(collection.item);

  it("finds the collection's request bodies", () => {
    assert.ok(all.length >= 80, `only ${all.length} requests`);
  });

  it("answers every supported body with a message that validates against the OpenAPI spec", async () => {
    const clock = new VirtualClock();
    const sim = createSimulator({ clock });
    const vars = baseVars();
    let checked = 0;
    const bodyOf = (raw: string) =>
      Object.keys(JSON.parse(fill(raw, { ...vars })).SaleToPOIRequest).find((k) => k !== "MessageHeader")!;
    for (const { name, raw } of all) {
      const body = bodyOf(raw);
      if (!SUPPORTED.includes(body)) continue;
      if (body === "AdminRequest") {
        const scanning = name.startsWith("Barcode");
        const session = scanning ? "Scan_1" : "Session_1";
        const type = name.endsWith("Start session") ? "Begin" : name.endsWith("/ Scan") ? "Once" : "End";
        vars.serverIdentification = b64({
          Session: { Id: session, Type: type },
          ...(type === "Begin"
            ? {
                Operation: [
                  {
                    Type: "InputRequest",
                    Variant: "WaitingScreen",
                    UserInterfaceData: { WaitingScreenTimeoutMs: 15000 },
                  },
                ],
              }
            : type === "Once"
              ? { Operation: [{ Type: "ScanBarcode", TimeoutMs: 15000 }] }
              : {}),
        });
      }
      if (body === "AbortRequest" || body === "TransactionStatusRequest") {
        // Put the referenced dialogue in place first, as the collection's flow does.
        vars.inProcessServiceId = fresh();
        const category = fill(raw, { ...vars }).includes('"Input"') ? "Input" : "Payment";
        const inProcess =
          category === "Input"
            ? fill(all.find((r) => r.name.endsWith("Get Input / Confirmation"))!.raw, vars).replace(
                /"ServiceID":\s*"POS\d+"/,
                `"ServiceID":"${vars.inProcessServiceId}"`,
              )
            : fill(all.find((r) => r.name === "Payments / Payment request")!.raw, vars).replace(
                /"ServiceID":\s*"POS\d+"/,
                `"ServiceID":"${vars.inProcessServiceId}"`,
              );
        const running = sim.handle(inProcess);
        if (body === "TransactionStatusRequest") {
          await clock.runAll();
          checkAnswer(`${name} (the payment)`, await running);
          const answer = await sim.handle(fill(raw, vars));
          checkAnswer(name, answer);
          assert.equal(
            JSON.parse((answer as { body: string }).body).SaleToPOIResponse.TransactionStatusResponse.Response.Result,
            "Success",
          );
        } else {
          const answer = await sim.handle(fill(raw, vars));
          assert.deepEqual(answer, { status: 200, body: "" }, `${name}: the abort answers empty`);
          const aborted = await running;
          checkAnswer(`${name} (the aborted request)`, aborted);
          assert.match((aborted as { body: string }).body, /"ErrorCondition":"Aborted"/);
        }
        await clock.runAll();
        checked++;
        continue;
      }
      if (body === "PaymentRequest" && raw.includes("CardAcquisitionReference")) {
        // A payment that continues a card acquisition needs one the terminal holds: read a card first.
        const acquisition = all.find((r) => bodyOf(r.raw) === "CardAcquisitionRequest")!;
        const reading = sim.handle(fill(acquisition.raw, { ...vars, serviceId: fresh() }));
        await clock.runAll();
        const read = await reading;
        checkAnswer(`${name} (its card acquisition)`, read);
        const poi = JSON.parse((read as { body: string }).body).SaleToPOIResponse.CardAcquisitionResponse.POIData
          .POITransactionID;
        vars.poiTransactionId = poi.TransactionID;
        vars.poiTimeStamp = poi.TimeStamp;
      }
      const answer = sim.handle(fill(raw, vars));
      // Admin answers at once; running the clock would also expire the scan before its cancel.
      if (body !== "AdminRequest") await clock.runAll();
      const result = await answer;
      checkAnswer(name, result);
      if (body === "PaymentRequest" || body === "CardAcquisitionRequest") {
        // A payment after a card acquisition continues it: it names the acquisition's POITransactionID.
        const answer = JSON.parse((result as { body: string }).body).SaleToPOIResponse;
        const poi = (answer.PaymentResponse ?? answer.CardAcquisitionResponse).POIData.POITransactionID;
        vars.poiTransactionId = poi.TransactionID;
        vars.poiTimeStamp = poi.TimeStamp;
      }
      checked++;
    }
    assert.ok(checked >= 60, `only ${checked} supported requests were checked`);
    const odd = sim
      .terminal(POIID)
      .requests()
      .filter((r) => !["Success", "empty", "Failure/Aborted"].includes(r.outcome ?? ""));
    assert.deepEqual(
      odd.map((r) => [r.body, r.outcome, JSON.stringify(r.response)]),
      [],
    );
  });

  it("answers every unsupported body with a clear Reject naming it", async () => {
    const sim = createSimulator({ clock: new VirtualClock({ auto: true }) });
    const vars = baseVars();
    const unsupported = all.filter(({ raw }) => !SUPPORTED.some((b) => fill(raw, { ...vars }).includes(`"${b}"`)));
    assert.ok(unsupported.length >= 6, `only ${unsupported.length} unsupported bodies`);
    const seen = new Set<string>();
    for (const { name, raw } of unsupported) {
      const text = fill(raw, vars);
      const body = Object.keys(JSON.parse(text).SaleToPOIRequest).find((k) => k !== "MessageHeader")!;
      seen.add(body);
      const answer = await sim.handle(text);
      assert.ok("status" in answer && answer.status === 200, name);
      const message = JSON.parse(answer.body);
      assert.deepEqual(specErrors(message, "TerminalAPIRequest"), [], `${name}: Reject does not validate`);
      const event = message.SaleToPOIRequest.EventNotification;
      assert.equal(event.EventToNotify, "Reject");
      assert.match(
        new URLSearchParams(event.EventDetails).get("message")!,
        new RegExp(`field ${body}: not supported by the termflow simulator`),
      );
      assert.equal(Buffer.from(event.RejectedMessage, "base64").toString("utf8"), text);
    }
    assert.deepEqual([...seen].sort(), [
      "BalanceInquiryRequest",
      "GetTotalsRequest",
      "LoginRequest",
      "LogoutRequest",
      "ReconciliationRequest",
      "StoredValueRequest",
    ]);
  });
});
