import assert from "node:assert/strict";
import { isSecretName, redact, secretsFromEnv, REDACTED } from "../../../qa/report/redact.js";

describe("qa/report/redact", () => {
  const names: Array<[string, boolean]> = [
    ["X-API-Key", true],
    ["apiKey", true],
    ["KeyIdentifier", true],
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
      SecurityTrailer: { KeyIdentifier: "termflow-key", KeyVersion: 1, Nonce: "abc" },
      log: ["sent with passphrase s3cr3t-pass in the body"],
    };
    const out = redact(value, ["s3cr3t-pass"]);
    assert.deepEqual(out, {
      headers: { "X-API-Key": REDACTED, Accept: "application/json" },
      SecurityTrailer: { KeyIdentifier: REDACTED, KeyVersion: REDACTED, Nonce: "abc" },
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
});
