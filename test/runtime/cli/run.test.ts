/** `termflow run` in-process: outputs, exit codes, targets, NDJSON, secrets kept out of the output. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../cli/main.js";
import { createSimulator } from "../../../simulator/index.js";
import { fromRoot } from "../../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "termflow-run-"));

function flowFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    cwd: fromRoot(),
    isTTY: false,
    env: { NO_COLOR: "1", ...env },
    onInterrupt: () => () => {},
  });
  return { code, out: out.join(""), err: err.join("") };
}

describe("termflow run", function () {
  this.timeout(20_000);

  it("--dry-run --json shows a split bill's payments with their exact wire amounts", async () => {
    const { code, out, err } = await cli([
      "run",
      "flows/split-the-bill.flow",
      "--var",
      "total=86.45 EUR",
      "--var",
      "guests=4",
      "--dry-run",
      "--json",
      "--seed",
      "1",
    ]);
    assert.equal(code, 0, err);
    const payments = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).SaleToPOIRequest.PaymentRequest)
      .filter(Boolean)
      .map((p) => p.PaymentTransaction.AmountsReq);
    assert.deepEqual(payments, [
      { Currency: "EUR", RequestedAmount: 21.62 },
      { Currency: "EUR", RequestedAmount: 21.61 },
      { Currency: "EUR", RequestedAmount: 21.61 },
      { Currency: "EUR", RequestedAmount: 21.61 },
      { Currency: "EUR", RequestedAmount: 10 },
    ]);
  });

  it("refuses a --var that does not fit its param's type before sending anything, exit 2", async () => {
    const { code, out, err } = await cli(["run", "flows/split-the-bill.flow", "--var", "total=86.45", "--dry-run"]);
    assert.equal(code, 2);
    assert.equal(out, "");
    assert.match(
      err,
      /error\[invalid-var\]: `total` must be an amount like `42\.50 EUR`: `86\.45` is not an amount with its currency/,
    );
  });

  it("runs an example on the embedded simulator: step list, summary, screens, exit 0", async () => {
    const { code, out, err } = await cli(["run", "flows/pay-at-table.flow"]);
    assert.equal(code, 0, err);
    assert.match(out, /^Running flows\/pay-at-table\.flow "Pay at table" on simulator/m);
    assert.match(out, /✓ Begin session "pay-at-table"/);
    assert.match(out, /✓ input confirm "Split the bill\?" as split → true 1 s/);
    assert.match(out, /✓ pay 25\.00 EUR as first → approved 25\.00 EUR/);
    assert.match(out, /✓ End session "pay-at-table"/);
    // The bill's `display ... for 3s` holds the screen 3 s before the question replaces it.
    assert.match(out, /✓ display "Table 12: your bill is 50\.00 EUR" 3 s/);
    assert.match(out, /^✓ passed: 12 steps, 10 requests in 10 s$/m);
    assert.match(out, /Screens of V400m-123456789 \(simulated time\):/);
    assert.match(
      out,
      /\+0\.000s {2}display {3}"Table 12: your bill is 50\.00 EUR"\n\s+\+3\.000s {2}waiting {3}5000ms after DisplayRequest\n\s+\+3\.000s {2}input /,
    );
    assert.match(out, /\+4\.000s {2}waiting {3}5000ms after InputRequest/);
  });

  it("lists the payment screen with what the shopper is asked to pay: the amount with the tip", async () => {
    const file = flowFile("tipped.flow", 'flow "Tipped"\npay 25.00 EUR tip 2.50 EUR as payment\n');
    const { code, out, err } = await cli(["run", file]);
    assert.equal(code, 0, err);
    assert.match(out, /\+0\.000s {2}payment {3}27\.50 EUR \(incl\. tip 2\.50 EUR\)$/m);
  });

  it("exits 1 when the flow fails, with the diagnostic under the source line", async () => {
    const file = flowFile(
      "declined.flow",
      `flow "Declined"\npay 1.24 EUR as payment\nexpect payment.result == "approved"\n`,
    );
    const { code, out, err } = await cli(["run", file]);
    assert.equal(code, 1);
    assert.match(out, /✓ pay 1\.24 EUR as payment → declined \(Refusal/);
    assert.match(out, /✗ expect payment\.result == "approved"/);
    assert.match(out, /^✗ failed: expectation failed: payment\.result == "approved"/m);
    assert.match(err, /error\[expect-failed\]: expectation failed/);
    assert.match(err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:1`));
    assert.match(err, /`payment\.result` is "declined"/);
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
  });

  it("exits 2 for an invalid flow and for bad vars, before sending anything", async () => {
    const broken = await cli(["run", flowFile("broken.flow", `pay 12.50 EUR\ndispaly "x"\n`)]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /broken\.flow:2:1/);
    assert.doesNotMatch(broken.out, /Running/);

    const unknown = await cli(["run", "flows/pay-at-table.flow", "--var", "tabel=3"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /the flow has no param `tabel`/);
    assert.match(unknown.err, /did you mean `table`\?/);
    assert.equal(unknown.out, "", "nothing printed or sent before the params are right");

    const noValue = await cli(["run", flowFile("param.flow", `param table\ndisplay "Table \${table}"\n`)]);
    assert.equal(noValue.code, 2);
    assert.match(noValue.err, /error\[missing-param\]: param `table` has no value/);
    assert.match(noValue.err, /--var table=\.\.\./);

    const malformed = await cli(["run", "flows/pay-at-table.flow", "--var", "table"]);
    assert.equal(malformed.code, 2);
    assert.match(malformed.err, /--var wants name=value/);

    const missing = await cli(["run", join(dir, "nope.flow")]);
    assert.equal(missing.code, 2);
  });

  it("notes a decline the flow handles itself instead of warning about it, and passes", async () => {
    const file = flowFile(
      "handled.flow",
      `flow "Handled"\npay 1.24 EUR as p\nif p.result == "declined" {\n  display "Declined"\n}\n`,
    );
    const { code, out, err } = await cli(["run", file]);
    assert.equal(code, 0, err);
    assert.match(out, /✓ pay 1\.24 EUR as p → declined \(Refusal.*\(left to the flow\)/);
    assert.doesNotMatch(err, /warning\[payment-declined\]/);
    assert.match(err, /^note\[payment-declined\]: pay 1\.24 EUR as p: declined \(Refusal\).*; handled by the flow$/m);
  });

  it("exits 2 for a --seed that is not a whole number", async () => {
    const { code, out, err } = await cli(["run", "flows/plain-payment.flow", "--seed", "abc"]);
    assert.equal(code, 2);
    assert.match(err, /--seed <n>.*expected a whole number/);
    assert.equal(out, "");
  });

  it("exits 3 for --endpoint without --target cloud or local, instead of quietly running in-process", async () => {
    const { code, out, err } = await cli(["run", "flows/plain-payment.flow", "--endpoint", "http://127.0.0.1:9"]);
    assert.equal(code, 3);
    assert.match(err, /error: --endpoint needs --target cloud or --target local/);
    assert.doesNotMatch(out, /Running/);
  });

  it("with --json, also reports an invalid flow as one JSON line on stdout", async () => {
    const file = flowFile("invalid-json.flow", `flow "Bad"\nexpect spilt == true\n`);
    const { code, out, err } = await cli(["run", file, "--json"]);
    assert.equal(code, 2);
    assert.match(err, /error\[undefined-name\]/);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; diagnostics: { code: string; severity: string; line: number }[] });
    assert.equal(lines.length, 1);
    assert.equal(lines[0].event, "invalid");
    assert.deepEqual(
      lines[0].diagnostics.map((d) => [d.code, d.severity, d.line]),
      [["undefined-name", "error", 2]],
    );
  });

  it("takes params with --var", async () => {
    const { code, out } = await cli(["run", "flows/pay-at-table.flow", "--var", "table=31"]);
    assert.equal(code, 0);
    assert.match(out, /display "Table 31: your bill is 50\.00 EUR"/);
  });

  it("exits 3 for transport and configuration errors, naming what to fix", async () => {
    const refused = await cli([
      "run",
      "flows/plain-payment.flow",
      "--target",
      "cloud",
      "--endpoint",
      "http://127.0.0.1:9",
    ]);
    assert.equal(refused.code, 3);
    assert.match(refused.out, /✗ error: .*connection refused by 127\.0\.0\.1:9/);

    const noKey = await cli(["run", "flows/plain-payment.flow", "--target", "cloud"]);
    assert.equal(noKey.code, 3);
    assert.match(noKey.err, /needs an API key: set TERMFLOW_API_KEY/);

    const halfKey = await cli(
      ["run", "flows/plain-payment.flow", "--target", "local", "--endpoint", "http://127.0.0.1:9"],
      { TERMFLOW_KEY_IDENTIFIER: "K1" },
    );
    assert.equal(halfKey.code, 3);
    assert.match(halfKey.err, /the encryption key is incomplete: set TERMFLOW_KEY_PASSPHRASE/);

    const noCa = await cli(["run", "flows/plain-payment.flow", "--target", "local", "--endpoint", "192.168.1.20"]);
    assert.equal(noCa.code, 3);
    assert.match(noCa.err, /root CA: set TERMFLOW_CA_FILE/);

    const badTarget = await cli(["run", "flows/plain-payment.flow", "--target", "moon"]);
    assert.equal(badTarget.code, 2);
  });

  it("runs against a termflow sim over HTTP (cloud target) and shows its screens", async () => {
    const simulator = createSimulator({ thinkTimeMs: 5, paymentMs: 5, apiKey: "k-123-secret" });
    const server = await simulator.listen({ port: 0 });
    try {
      const { code, out, err } = await cli(
        ["run", "flows/plain-payment.flow", "--target", "cloud", "--endpoint", server.url, "--merchant", "M"],
        {
          TERMFLOW_API_KEY: "k-123-secret",
        },
      );
      assert.equal(code, 0, err + out);
      assert.match(out, /on cloud device API http:\/\/127\.0\.0\.1:\d+ \(merchant M\)/);
      assert.match(out, /Screens of V400m-123456789:/);
      assert.match(out, /payment {3}12\.50 EUR/);
      assert.ok(!(out + err).includes("k-123-secret"), "the API key is never printed");
    } finally {
      await server.close();
    }
  });

  it("runs encrypted against a local termflow sim with the key from the environment", async () => {
    const key = { identifier: "LocalKey", version: 2, passphrase: "Very$ecret-1" };
    const simulator = createSimulator({ thinkTimeMs: 5, paymentMs: 5, key });
    const server = await simulator.listen({ port: 0 });
    try {
      const env = {
        TERMFLOW_KEY_IDENTIFIER: key.identifier,
        TERMFLOW_KEY_VERSION: "2",
        TERMFLOW_KEY_PASSPHRASE: key.passphrase,
      };
      const { code, out, err } = await cli(
        ["run", "flows/pay-at-table.flow", "--target", "local", "--endpoint", server.url],
        env,
      );
      assert.equal(code, 0, err + out);
      assert.match(out, /local http:\/\/127\.0\.0\.1:\d+ \(encrypted, key LocalKey v2\)/);
      assert.ok(!(out + err).includes(key.passphrase), "the passphrase is never printed");
    } finally {
      await server.close();
    }
  });

  it("prints NDJSON events with --json, ending with the result and the screens", async () => {
    const { code, out } = await cli(["run", "flows/plain-payment.flow", "--json"]);
    assert.equal(code, 0);
    const events = out
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { event: string; result?: { status: string } });
    assert.equal(events[0].event, "flowStart");
    assert.deepEqual(
      [...new Set(events.map((e) => e.event))],
      ["flowStart", "stepStart", "request", "response", "payment", "stepEnd", "flowEnd", "timeline"],
    );
    assert.equal(events.find((e) => e.event === "flowEnd")?.result?.status, "passed");
  });

  it("reads target settings from --config", async () => {
    const simulator = createSimulator({ thinkTimeMs: 5, paymentMs: 5 });
    const server = await simulator.listen({ port: 0 });
    try {
      const config = flowFile(
        "termflow.json",
        JSON.stringify({ target: "cloud", endpoint: server.url, poiid: "P400Plus-987654321", saleId: "till-3" }),
      );
      const { code, err } = await cli(["run", "flows/plain-payment.flow", "--target", "cloud", "--config", config]);
      assert.equal(code, 0, err);
      const [entry] = simulator.terminal("P400Plus-987654321").requests();
      assert.equal(entry.saleId, "till-3");
      const unreadable = await cli(["run", "flows/plain-payment.flow", "--config", join(dir, "missing.json")]);
      assert.equal(unreadable.code, 3);
      assert.match(unreadable.err, /cannot read the config file/);
    } finally {
      await server.close();
    }
  });
});
