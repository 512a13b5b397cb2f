/**
 * Issue 8 item 3 as `termflow run --target local` shows it: no cleartext to a terminal on the LAN
 * without `--insecure-cleartext`, and a warning on stderr when it is given. Nothing here leaves
 * loopback: the refusals happen before any connection.
 */
import assert from "node:assert/strict";
import { createSimulator } from "../../../simulator/index.js";
import { termflow } from "../../cli/helpers.js";

const CA = "test/runtime/fixtures/tls/ca.pem";

/** `termflow run flows/plain-payment.flow <args>` in-process. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const r = await termflow(["run", "flows/plain-payment.flow", ...args], { env });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe("termflow run --target local: encryption", function () {
  this.timeout(20_000);

  it("refuses to send cleartext to a LAN terminal without a key, naming the key variables and the flag (exit 3)", async () => {
    const { code, out, err } = await cli(["--target", "local", "--endpoint", "192.168.1.20", "--ca-file", CA]);
    assert.equal(code, 3);
    assert.match(
      err,
      new RegExp(
        String.raw`error: refusing to send cleartext to the terminal at 192\.168\.1\.20:8443: configure its encryption key ` +
          String.raw`\(TERMFLOW_KEY_IDENTIFIER, TERMFLOW_KEY_VERSION, TERMFLOW_KEY_PASSPHRASE\), or pass --insecure-cleartext`,
      ),
    );
    assert.equal(out, "", "nothing ran");
  });

  it("sends cleartext with --insecure-cleartext, warning on stderr before the run", async () => {
    const simulator = createSimulator({ paymentMs: 5 });
    const server = await simulator.listen({ port: 0 });
    try {
      const { code, out, err } = await cli(["--target", "local", "--endpoint", server.url, "--insecure-cleartext"]);
      assert.equal(code, 0, out + err);
      assert.match(
        err,
        new RegExp(
          `^warning: --insecure-cleartext: requests to ${server.url.replace(/[.:/]/g, "\\$&")} go unencrypted ` +
            "and answers are not verified; anyone on the network can read them, or turn an approved payment " +
            "into a declined one\\. Use it only with a TEST terminal\\.$",
          "m",
        ),
      );
      assert.match(out, /on local http:\/\/127\.0\.0\.1:\d+ \(unencrypted\)/);
    } finally {
      await server.close();
    }
  });

  it("refuses --insecure-cleartext together with a key, and on another target", async () => {
    const both = await cli(
      ["--target", "local", "--endpoint", "192.168.1.20", "--ca-file", CA, "--insecure-cleartext"],
      {
        TERMFLOW_KEY_IDENTIFIER: "K1",
        TERMFLOW_KEY_PASSPHRASE: "secret-1",
      },
    );
    assert.equal(both.code, 3);
    assert.match(both.err, /--insecure-cleartext and an encryption key contradict each other/);
    const cloud = await cli(["--target", "cloud", "--endpoint", "http://127.0.0.1:9", "--insecure-cleartext"]);
    assert.equal(cloud.code, 3);
    assert.match(cloud.err, /--insecure-cleartext is for --target local/);
  });

  it("runs against a termflow sim on this machine in clear without the flag", async () => {
    const simulator = createSimulator({ paymentMs: 5 });
    const server = await simulator.listen({ port: 0 });
    try {
      const { code, err } = await cli(["--target", "local", "--endpoint", server.url]);
      assert.equal(code, 0, err);
      assert.doesNotMatch(err, /warning/);
    } finally {
      await server.close();
    }
  });
});
