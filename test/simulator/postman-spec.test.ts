/**
 * Every request body of Adyen's Postman collection (../shared/reference/adyen-postman-ipp.json),
 * `{{variables}}` filled in, sent to the simulator: supported bodies get answers that validate against
 * Adyen's OpenAPI spec (with its documented quirks patched), unsupported ones a clear Reject.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator, type SimulatorAnswer } from "../../simulator/index.js";
import { sharedDir } from "../support/paths.js";
import { b64 } from "./helpers.js";
import { specErrors, unknownFields } from "../support/terminal-api-spec.js";

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { body?: { raw?: string } };
}

const collection = JSON.parse(readFileSync(join(sharedDir, "reference", "adyen-postman-ipp.json"), "utf8")) as {
  item: PostmanItem[];
};

function requests(items: PostmanItem[], path: string[] = []): Array<{ name: string; raw: string }> {
  return items.flatMap((item) =>
    item.item
      ? requests(item.item, [...path, item.name])
      : item.request?.body?.raw
        ? [{ name: [...path, item.name].join(" / "), raw: item.request.body.raw }]
        : [],
  );
}

const SUPPORTED = [
  "AdminRequest",
  "InputRequest",
  "DisplayRequest",
  "PaymentRequest",
  "ReversalRequest",
  "TransactionStatusRequest",
  "AbortRequest",
  "PrintRequest",
];
const POIID = "V400m-324688179";
let n = 0;
const fresh = () => `POS${String(++n).padStart(7, "0")}`;

/** Values for the collection's variables, as its pre-request scripts would set them. */
function fill(raw: string, vars: Record<string, string>): string {
  return raw.replace(/\{\{(\$?\w+)\}\}/g, (_, name: string) => {
    if (name === "serviceId" || name === "serviceID") return fresh();
    // Postman's dynamic variables.
    if (name === "$timestamp") return String(1767225600 + n);
    if (name === "$isoTimestamp") return "2026-01-01T00:00:00.000Z";
    if (!(name in vars)) throw new Error(`no value for {{${name}}}`);
    return vars[name];
  });
}

function baseVars(): Record<string, string> {
  return {
    saleId: "TestPOS",
    poiId: POIID,
    currency: "EUR",
    paymentTransactionId: "1699360000",
    paymentTimeStamp: "2026-01-01T00:00:00.000Z",
    originalPOIID: POIID,
    inProcessMessageCategory: "Payment",
    inProcessSaleId: "TestPOS",
    inProcessServiceId: "",
    originalAmount: "58.00",
    splitTransactionId: "split-1",
    requestedAmount: "30.00",
    paidAmount: "10.00",
    saleToPoiData: b64({ Operation: [{ Type: "NFCReadUID" }] }),
    poiTransactionId: "",
    poiTimeStamp: "2026-01-01T00:00:05.000Z",
    serverIdentification: "",
    xhtml: Buffer.from('<img src="data:image/png;base64,iVBORw0KGgo="/>').toString("base64"),
    date: "1/1/2026, 12:00:00",
    day: "Thursday",
    itemsTable: '{"CharacterStyle":"Normal","Alignment":"Left","EndOfLineFlag":true,"Text":"14 Taco de pastor 16.80"},',
    taxesTable: '{"CharacterStyle":"Normal","Alignment":"Left","EndOfLineFlag":true,"Text":"10% 1.68"},',
    total: "16.80",
    amount: "42.00",
    instalments: "3",
  };
}

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
      const answer = sim.handle(fill(raw, vars));
      // Admin answers at once; running the clock would also expire the scan before its cancel.
      if (body !== "AdminRequest") await clock.runAll();
      const result = await answer;
      checkAnswer(name, result);
      if (body === "PaymentRequest") {
        const poi = JSON.parse((result as { body: string }).body).SaleToPOIResponse.PaymentResponse.POIData
          .POITransactionID;
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
    assert.ok(unsupported.length >= 10, `only ${unsupported.length} unsupported bodies`);
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
      "CardAcquisitionRequest",
      "EnableServiceRequest",
      "GetTotalsRequest",
      "LoginRequest",
      "LogoutRequest",
      "ReconciliationRequest",
      "StoredValueRequest",
    ]);
  });
});
