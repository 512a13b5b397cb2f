/** Envelope helpers shared by runtime and simulator. */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildResponseHeader,
  decodeAdditionalResponse,
  decodeBase64Json,
  encodeAdditionalResponse,
  encodeBase64Json,
} from "../../protocol/index.js";

describe("nexo codec", () => {
  it("echoes the request header as a response header", () => {
    const header = {
      ProtocolVersion: "3.0",
      MessageClass: "Service",
      MessageCategory: "Admin",
      MessageType: "Request",
      ServiceID: "1",
      SaleID: "s",
      POIID: "p",
    } as const;
    assert.deepEqual(buildResponseHeader(header), { ...header, MessageType: "Response" });
  });

  it("reads AdditionalResponse in both of Adyen's forms", () => {
    assert.deepEqual(
      decodeAdditionalResponse("message=Not+enough+balance&refusalReason=210%20Not%20enough%20balance"),
      {
        message: "Not enough balance",
        refusalReason: "210 Not enough balance",
      },
    );
    assert.deepEqual(decodeAdditionalResponse(encodeBase64Json({ message: "ok", count: 2 })), {
      message: "ok",
      count: "2",
    });
    assert.deepEqual(decodeAdditionalResponse(undefined), {});
    assert.deepEqual(decodeAdditionalResponse("just words"), { raw: "just words" });
  });

  it("reads Adyen's nested additionalData, plain JSON and padding whitespace", () => {
    const nested = encodeBase64Json({
      additionalData: { refusalReason: "Blocked card", count: 2 },
      message: "blocked",
    });
    assert.deepEqual(decodeAdditionalResponse(` ${nested}\n`), {
      message: "blocked",
      refusalReason: "Blocked card",
      count: "2",
    });
    assert.deepEqual(decodeAdditionalResponse('{"message":"ok","additionalData":"flat"}'), {
      message: "ok",
      additionalData: "flat",
    });
    assert.deepEqual(decodeAdditionalResponse("   "), {});
  });

  it("never throws, whatever text arrives", () => {
    fc.assert(
      fc.property(fc.string(), (text) => typeof decodeAdditionalResponse(text) === "object"),
      { numRuns: 300 },
    );
  });

  it("round-trips form encoding", () => {
    const text = encodeAdditionalResponse({ message: "a & b = c", n: 5 });
    assert.equal(text, "message=a+%26+b+%3D+c&n=5");
    assert.deepEqual(decodeAdditionalResponse(text), { message: "a & b = c", n: "5" });
  });

  it("tells Base64 failures from JSON failures", () => {
    assert.deepEqual(decodeBase64Json("not base64!"), { ok: false, error: "not-base64" });
    assert.deepEqual(decodeBase64Json(Buffer.from("{nope").toString("base64")), { ok: false, error: "not-json" });
    assert.deepEqual(decodeBase64Json(encodeBase64Json({ Session: { Id: "S1" } })), {
      ok: true,
      value: { Session: { Id: "S1" } },
    });
  });
});
