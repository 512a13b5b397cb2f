import assert from "node:assert/strict";
import {
  encodeAdditionalResponse,
  encodeBase64Json,
  isSecretName,
  redact,
  Redactor,
  REDACTED,
  secretsFromEnv,
  secretsOfUrl,
} from "../../protocol/index.js";
import { CANARY, findSecret } from "../support/secrets.js";

/** `text` redacted for CANARY, and what of the canary a reader can still find in it. */
function leakOf(text: string): string | undefined {
  return findSecret(new Redactor([CANARY]).text(text), CANARY);
}

describe("protocol/redact", () => {
  const names: Array<[string, boolean]> = [
    ["X-API-Key", true],
    ["apiKey", true],
    ["api_token", true],
    ["TERMFLOW_KEY_PASSPHRASE", true],
    ["KeyIdentifier", false],
    ["KeyVersion", false],
    ["TERMFLOW_KEY_IDENTIFIER", false],
    ["passphraseEnv", false],
    ["passphrase", true],
    ["TERMFLOW_PASSPHRASE", true],
    ["client_secret", true],
    ["Authorization", true],
    ["monkey", false],
    ["ServiceID", false],
    ["MessageHeader", false],
  ];
  for (const [name, secret] of names) {
    it(`${name} is ${secret ? "" : "not "}a secret name`, () => assert.equal(isSecretName(name), secret));
  }

  it("replaces secret-named fields at any depth, and known secret values inside any string", () => {
    const value = {
      headers: { "X-API-Key": "AQE-super-secret", Accept: "application/json" },
      SecurityTrailer: { KeyIdentifier: "termflow-key", KeyVersion: 1, Nonce: "abc", Passphrase: "pp" },
      log: ["sent with passphrase s3cr3t-pass in the body"],
    };
    const out = redact(value, ["s3cr3t-pass"]);
    assert.deepEqual(out, {
      headers: { "X-API-Key": REDACTED, Accept: "application/json" },
      SecurityTrailer: { KeyIdentifier: "termflow-key", KeyVersion: 1, Nonce: "abc", Passphrase: REDACTED },
      log: [`sent with passphrase ${REDACTED} in the body`],
    });
    assert.equal(value.headers["X-API-Key"], "AQE-super-secret", "the input is not changed");
  });

  it("takes secret values from environment variables with secret names", () => {
    assert.deepEqual(
      secretsFromEnv({ TERMFLOW_API_KEY: "AQE-123456", HOME: "/root", MY_TOKEN: "abc", PASSPHRASE: "long-enough" }),
      ["AQE-123456", "long-enough"],
    );
  });

  it("scrubs the value of a secret-named field wherever else it appears", () => {
    const value = {
      captures: { apiKey: "sk_test_ABCDEF123", order: "1001" },
      steps: [{ label: 'display "Using sk_test_ABCDEF123"' }],
    };
    assert.deepEqual(redact(value), {
      captures: { apiKey: REDACTED, order: "1001" },
      steps: [{ label: `display "Using ${REDACTED}"` }],
    });
  });

  describe("hides a secret in every form it takes on the wire (issue 8, item 4)", () => {
    const ref = `ref-${CANARY}`;
    const cases: Array<[string, string]> = [
      ["as written", `display "${ref}"`],
      ["form-encoded in AdditionalResponse", encodeAdditionalResponse({ tid: "1", merchantReference: ref })],
      ["URL-encoded", `https://example.test/?q=${encodeURIComponent(ref)}`],
      ["lower-case percent-encoding", encodeURIComponent(ref).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
      ["JSON-escaped", JSON.stringify({ label: ref })],
      ["JSON-escaped twice", JSON.stringify(JSON.stringify({ label: ref }))],
      ["HTML-escaped", ref.replace(/&/g, "&amp;").replace(/"/g, "&quot;")],
      ["Base64 JSON (ServiceIdentification)", encodeBase64Json({ Session: { Id: ref, Type: "Once" } })],
      ["Base64 JSON AdditionalResponse", encodeBase64Json({ merchantReference: ref, tid: "123" })],
      [
        "Base64 of a form-encoded AdditionalResponse",
        Buffer.from(encodeAdditionalResponse({ r: ref })).toString("base64"),
      ],
      ["URL-safe Base64", Buffer.from(`xx${ref}`).toString("base64url")],
      ...[0, 1, 2].map((n): [string, string] => [
        `Base64 at offset ${n}`,
        Buffer.from(`${"p".repeat(n)}${CANARY}tail`).toString("base64"),
      ]),
      ["Base64, percent-encoded", encodeURIComponent(Buffer.from(`ab${CANARY}`).toString("base64"))],
    ];
    for (const [name, text] of cases) {
      it(name, () => {
        assert.ok(findSecret(text, CANARY), `the test text must show the canary: ${text}`);
        assert.equal(leakOf(text), undefined, new Redactor([CANARY]).text(text));
      });
    }

    it("replaces the whole Base64 text a secret is in, so its edges carry none of its bits", () => {
      const blob = Buffer.from(`{"a":"${CANARY}"}`).toString("base64");
      assert.equal(new Redactor([CANARY]).text(`SI: ${blob}.`), `SI: ${REDACTED}.`);
    });

    it("leaves other text and other Base64 alone", () => {
      const other = `${encodeBase64Json({ Session: { Id: "S1" } })} pay 12.50 EUR at 1796402073919`;
      assert.equal(new Redactor([CANARY, "1234"]).text(other), other.replace("1234", REDACTED));
    });

    it("learns the values of secret-named fields and hides them in the rest of a JSON value", () => {
      const out = new Redactor().value({
        captures: { api_token: CANARY },
        answer: { additionalResponse: { merchantReference: `ref-${CANARY}` } },
        raw: encodeAdditionalResponse({ merchantReference: `ref-${CANARY}` }),
        at: 1796402073919,
      });
      assert.equal(findSecret(JSON.stringify(out), CANARY), undefined, JSON.stringify(out));
      assert.equal(out.at, 1796402073919, "a number that only contains digits of a secret stays a number");
    });

    it("a number that is a secret becomes [redacted] in a JSON value", () => {
      assert.deepEqual(new Redactor(["987654"]).value({ pin: 987654, at: 19876543 }), { pin: REDACTED, at: 19876543 });
    });
  });

  it("takes the user and password of a URL, as written and decoded", () => {
    assert.deepEqual(secretsOfUrl("https://termflow:p%40ss-word@example.test/x"), [
      "termflow",
      "termflow",
      "p%40ss-word",
      "p@ss-word",
    ]);
    assert.deepEqual(secretsOfUrl("https://example.test/x"), []);
    assert.deepEqual(secretsOfUrl("192.168.1.20"), []);
  });
});
