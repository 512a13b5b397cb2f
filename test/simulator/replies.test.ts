/**
 * An answer repeats what it may of its request (header, devices, qualifiers), and only what the
 * spec allows there: a request refused for a bad value never gets an answer that a POS's client,
 * generated from the spec with enums, cannot read. Found by `npm run fuzz` (simulator, mutated
 * bodies): the simulator echoed `"InfoQualify": "AAAAAAAAAAA"` and `"MessageCategory": "XXX"`.
 */
import assert from "node:assert/strict";
import { decodeAdditionalResponse } from "../../protocol/index.js";
import type { SimulatorAnswer } from "../../simulator/index.js";
import { specErrors } from "../support/terminal-api-spec.js";
import { confirmation, display, inner, manualSim, payment, request, responseOf } from "./helpers.js";

type Json = Record<string, any>;

/** Sends `message`; the answer is Failure / MessageFormat naming `field`, and validates against the spec. */
async function refusedOnSpec(message: Json, field: RegExp): Promise<Json> {
  const { sim } = manualSim();
  const answer: SimulatorAnswer = await sim.handle(message);
  const response = responseOf(answer);
  assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", "MessageFormat"]);
  assert.match(decodeAdditionalResponse(response.AdditionalResponse).errors, field);
  assert.deepEqual(specErrors(JSON.parse((answer as { body: string }).body), "TerminalAPIResponse"), []);
  return inner(answer);
}

const withInput = (patch: (body: Json) => void): Json => {
  const message = confirmation("Tip?", 30);
  patch(message.SaleToPOIRequest.InputRequest);
  return message;
};

describe("simulator answers repeat only what the spec allows", () => {
  it("refuses an input whose DisplayOutput has an unknown InfoQualify, and answers with a known one", async () => {
    const root = await refusedOnSpec(
      withInput((b) => (b.DisplayOutput.InfoQualify = "AAAAAAAAAAA")),
      /DisplayOutput, field InfoQualify: Unknown value "AAAAAAAAAAA"/,
    );
    assert.equal(root.InputResponse.OutputResult.InfoQualify, "Display");
  });

  it("refuses an input whose InputData names an unknown Device (an escape sequence)", async () => {
    const root = await refusedOnSpec(
      withInput((b) => (b.InputData.Device = "\u001b[31m")),
      /InputData, field Device: Unknown value "\\u001b\[31m"/,
    );
    assert.equal(root.InputResponse.InputResult.Device, "CustomerInput");
  });

  it("refuses a display output with an unknown Device", async () => {
    const message = display("x");
    message.SaleToPOIRequest.DisplayRequest.DisplayOutput[0].Device = "Screen";
    const root = await refusedOnSpec(message, /DisplayOutput\[0\], field Device: Unknown value "Screen"/);
    assert.equal(root.DisplayResponse.OutputResult[0].Device, "CustomerDisplay");
  });

  it("refuses a display output without a Device or an InfoQualify, which its answer would have to repeat (found by npm run fuzz)", async () => {
    for (const field of ["Device", "InfoQualify"]) {
      const message = display("x");
      delete message.SaleToPOIRequest.DisplayRequest.DisplayOutput[0][field];
      await refusedOnSpec(message, new RegExp(`DisplayOutput\\[0\\], field ${field}: Missing`));
    }
  });

  it("refuses a payment with an unknown PaymentType, never echoing it (found by npm run fuzz)", async () => {
    const message = payment(30, "EUR");
    message.SaleToPOIRequest.PaymentRequest.PaymentData = { PaymentType: "Infinity" };
    await refusedOnSpec(message, /PaymentData, field PaymentType: Unknown value "Infinity"/);
  });

  it("refuses a print with an unknown DocumentQualifier", async () => {
    const message = request("PrintRequest", {
      PrintOutput: {
        DocumentQualifier: "Napkin",
        ResponseMode: "PrintEnd",
        OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "x" }] },
      },
    });
    const root = await refusedOnSpec(message, /PrintOutput, field DocumentQualifier: Unknown value "Napkin"/);
    assert.equal(root.PrintResponse.DocumentQualifier, "Document");
  });

  it("answers a header with an unknown class and category in the body's own class and category", async () => {
    const root = await refusedOnSpec(
      confirmation("Tip?", 30, { MessageClass: "12.50", MessageCategory: "XXX" }),
      /MessageCategory: Expected Input for InputRequest, got XXX/,
    );
    assert.deepEqual([root.MessageHeader.MessageClass, root.MessageHeader.MessageCategory], ["Device", "Input"]);
  });

  it("leaves out a ServiceID it refused for its length", async () => {
    const root = await refusedOnSpec(
      display("x", undefined, { ServiceID: "ABCDEFGHIJK" }),
      /ServiceID: Expected 1 to 10/,
    );
    assert.equal("ServiceID" in root.MessageHeader, false);
  });

  it("answers a ProtocolVersion that is no version (true) with its own", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle(display("x", undefined, { ProtocolVersion: true }));
    assert.equal(inner(answer).MessageHeader.ProtocolVersion, "3.0");
    assert.deepEqual(specErrors(JSON.parse((answer as { body: string }).body), "TerminalAPIResponse"), []);
  });
});
