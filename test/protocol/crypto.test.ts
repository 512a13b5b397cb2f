/**
 * Local encryption on node:crypto against Adyen's own NexoCrypto (@adyen/api-library): each side
 * decrypts the other, the HMAC checks out, and every tampering yields the same generic error.
 */
import assert from "node:assert/strict";
import * as adyenModule from "@adyen/api-library";
import {
  decryptEnvelope,
  deriveKeyMaterial,
  encryptEnvelope,
  GENERIC_CRYPTO_ERROR,
  isEncryptedMessage,
  type NexoKey,
} from "../../protocol/index.js";

type AdyenLibrary = typeof adyenModule;
const adyen: AdyenLibrary = (adyenModule as unknown as { default?: AdyenLibrary }).default ?? adyenModule;

const KEY: NexoKey = { identifier: "CryptoKeyIdentifier12345", version: 1, passphrase: "p@ssw0rd123456" };
const SECURITY_KEY = {
  AdyenCryptoVersion: 1,
  KeyIdentifier: KEY.identifier,
  KeyVersion: KEY.version,
  Passphrase: KEY.passphrase,
};

const header = {
  ProtocolVersion: "3.0",
  MessageClass: "Service",
  MessageCategory: "Payment",
  MessageType: "Response",
  ServiceID: "406aa21f8b",
  SaleID: "POS1",
  POIID: "V400m-347374578",
} as const;
const response = {
  SaleToPOIResponse: { MessageHeader: header, PaymentResponse: { Response: { Result: "Success" }, Note: "€ ünïcødé" } },
};

describe("nexo local encryption", () => {
  it("derives 80 bytes of key material split 32/32/16 and caches it", () => {
    const a = deriveKeyMaterial(KEY.passphrase);
    assert.deepEqual([a.hmacKey.length, a.cipherKey.length, a.ivBase.length], [32, 32, 16]);
    assert.equal(deriveKeyMaterial(KEY.passphrase), a);
    assert.notDeepEqual(deriveKeyMaterial("another").hmacKey, a.hmacKey);
  });

  it("encrypts what Adyen's NexoCrypto decrypts and verifies", () => {
    const encrypted = encryptEnvelope(response, KEY);
    assert.ok(isEncryptedMessage(encrypted));
    assert.deepEqual(encrypted.SaleToPOIResponse!.MessageHeader, header);
    assert.equal(encrypted.SaleToPOIResponse!.SecurityTrailer.KeyIdentifier, KEY.identifier);
    const text = new adyen.NexoCrypto().decrypt(encrypted.SaleToPOIResponse as never, SECURITY_KEY as never);
    assert.deepEqual(JSON.parse(text), response);
  });

  it("is really checked: Adyen's NexoCrypto refuses our message with a wrong HMAC", () => {
    const encrypted = encryptEnvelope(response, KEY).SaleToPOIResponse!;
    encrypted.SecurityTrailer.Hmac = Buffer.alloc(32, 1).toString("base64");
    assert.throws(
      () => new adyen.NexoCrypto().decrypt(encrypted as never, SECURITY_KEY as never),
      (e: { message?: string }) => e.message === "Hmac validation failed",
    );
  });

  it("decrypts what Adyen's NexoCrypto encrypts", () => {
    const request = {
      SaleToPOIRequest: { MessageHeader: { ...header, MessageType: "Request" }, PaymentRequest: { SaleData: {} } },
    };
    const secured = adyen.NexoCrypto.encrypt(
      request.SaleToPOIRequest.MessageHeader as never,
      JSON.stringify(request),
      SECURITY_KEY as never,
    );
    const result = decryptEnvelope(JSON.parse(JSON.stringify({ SaleToPOIRequest: secured })), KEY);
    assert.ok(result.ok);
    assert.equal(result.root, "SaleToPOIRequest");
    assert.deepEqual(result.message, request);
  });

  it("uses a fresh nonce per message", () => {
    const a = encryptEnvelope(response, KEY).SaleToPOIResponse!;
    const b = encryptEnvelope(response, KEY).SaleToPOIResponse!;
    assert.notEqual(a.SecurityTrailer.Nonce, b.SecurityTrailer.Nonce);
    assert.notEqual(a.NexoBlob, b.NexoBlob);
  });

  const tamperings: Array<[string, (m: any) => void]> = [
    [
      "a flipped ciphertext byte",
      (m) => {
        const blob = Buffer.from(m.NexoBlob, "base64");
        blob[5] ^= 1;
        m.NexoBlob = blob.toString("base64");
      },
    ],
    [
      "a truncated ciphertext (bad padding)",
      (m) => (m.NexoBlob = Buffer.from(m.NexoBlob, "base64").subarray(0, 16).toString("base64")),
    ],
    ["another HMAC", (m) => (m.SecurityTrailer.Hmac = Buffer.alloc(32, 7).toString("base64"))],
    ["a short HMAC", (m) => (m.SecurityTrailer.Hmac = "AAAA")],
    ["a short nonce", (m) => (m.SecurityTrailer.Nonce = Buffer.alloc(8).toString("base64"))],
    ["another key identifier", (m) => (m.SecurityTrailer.KeyIdentifier = "Other")],
    ["another key version", (m) => (m.SecurityTrailer.KeyVersion = 2)],
    ["another crypto version", (m) => (m.SecurityTrailer.AdyenCryptoVersion = 0)],
    [
      "a cleartext header that differs from the encrypted one",
      (m) => (m.MessageHeader = { ...m.MessageHeader, POIID: "V400m-000000000" }),
    ],
    ["no SecurityTrailer", (m) => delete m.SecurityTrailer],
    ["a NexoBlob that is not a string", (m) => (m.NexoBlob = 42)],
  ];
  for (const [name, tamper] of tamperings) {
    it(`answers ${name} with the one generic error`, () => {
      const encrypted = encryptEnvelope(response, KEY) as any;
      tamper(encrypted.SaleToPOIResponse);
      assert.deepEqual(decryptEnvelope(encrypted, KEY), { ok: false, error: GENERIC_CRYPTO_ERROR });
    });
  }

  it("answers the wrong passphrase and non-messages with the same error, never throwing", () => {
    const encrypted = encryptEnvelope(response, KEY);
    for (const value of [undefined, null, "text", [], {}, { SaleToPOIRequest: "x" }]) {
      assert.deepEqual(decryptEnvelope(value, KEY), { ok: false, error: GENERIC_CRYPTO_ERROR });
    }
    assert.deepEqual(decryptEnvelope(encrypted, { ...KEY, passphrase: "wrong" }), {
      ok: false,
      error: GENERIC_CRYPTO_ERROR,
    });
  });
});
