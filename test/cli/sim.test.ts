/** `termflow sim`: serves until interrupted, one log line per request, secrets never printed. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request as httpRequest } from "node:http";
import { runCli } from "../../cli/main.js";
import type { InterruptHandler } from "../../cli/io.js";
import { encryptEnvelope } from "../../protocol/index.js";
import { begin, confirmation, display, payment } from "../simulator/helpers.js";
import { BUNDLE, hasStackTrace, termflow } from "./helpers.js";

function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json", ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** Starts `termflow sim ...` in-process; resolves once it prints its URL. */
async function startSim(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  let interrupt: InterruptHandler | undefined;
  const exit = runCli(["sim", "--port", "0", ...args], {
    env,
    isTTY: false,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => (interrupt = undefined);
    },
  });
  for (let i = 0; i < 400 && !/listening on (\S+)/.test(stdout); i++) await new Promise((r) => setTimeout(r, 5));
  const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
  assert.ok(url, `no URL in: ${stdout}${stderr}`);
  return {
    url,
    output: () => stdout + stderr,
    stop: async () => {
      interrupt?.("SIGINT");
      return exit;
    },
  };
}

describe("termflow sim", () => {
  it("serves requests, logs one line each, and stops with 130 on Ctrl-C", async () => {
    const sim = await startSim(["--payment-ms", "0"]);
    const paid = await post(`${sim.url}/sync`, payment(12.5));
    assert.equal(JSON.parse(paid.body).SaleToPOIResponse.PaymentResponse.Response.Result, "Success");
    const declined = await post(`${sim.url}/sync`, payment(11.24));
    assert.equal(JSON.parse(declined.body).SaleToPOIResponse.PaymentResponse.Response.ErrorCondition, "Refusal");
    await post(`${sim.url}/sync`, "{oops");
    await post(`${sim.url}/nexo`, { SaleToPoiMessage: {} });
    const sealed = encryptEnvelope(display("x"), { identifier: "K1", version: 1, passphrase: "p" });
    const noKey = await post(`${sim.url}/nexo`, sealed);
    assert.match(JSON.parse(noKey.body).errors[0], /^This simulator has no key configured/);
    await post(`${sim.url}/async`, payment(1));
    await post(`${sim.url}/sync`, { padding: "x".repeat(1024 * 1024) });
    const code = await sim.stop();
    assert.equal(code, 130);
    const lines = sim.output().trim().split("\n");
    assert.match(
      lines[0],
      /^termflow simulator listening on http:\/\/127\.0\.0\.1:\d+ \(no API key; \/nexo in cleartext; any POIID; control API on loopback\)$/,
    );
    const logged = lines.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    assert.equal(logged.length, 7, sim.output());
    assert.match(logged[0], /^\S+Z V400m-324688179 Payment PaymentRequest S\d+ Success \d+ms$/);
    assert.match(logged[1], / Payment PaymentRequest S\d+ Failure\/Refusal \d+ms$/);
    assert.match(logged[2], / N\/A unknown unknown - reject \d+ms$/);
    assert.match(logged[3], / N\/A unknown unknown - http 400 0ms$/);
    assert.match(logged[4], / V400m-324688179 Display encrypted S\d+ http 400 0ms$/);
    assert.match(logged[5], / N\/A unknown unknown - http 404 0ms$/);
    assert.match(logged[6], / N\/A unknown unknown - http 413 0ms$/);
    assert.equal(lines[lines.length - 1], "termflow simulator stopped");
  });

  it("requires the API key from the named variable and never prints it", async () => {
    const sim = await startSim(["--api-key-env", "SIM_KEY", "--poiid", "V400m-324688179"], { SIM_KEY: "s3cr3t-key" });
    assert.equal((await post(`${sim.url}/sync`, display("x"))).status, 401);
    assert.equal((await post(`${sim.url}/sync`, display("x"), { "x-api-key": "s3cr3t-key" })).status, 200);
    const other = await post(`${sim.url}/sync`, display("x", undefined, { POIID: "P400Plus-1" }), {
      "x-api-key": "s3cr3t-key",
    });
    assert.equal(
      JSON.parse(other.body).SaleToPOIResponse.DisplayResponse.OutputResult[0].Response.ErrorCondition,
      "UnreachableHost",
    );
    await sim.stop();
    assert.match(sim.output(), /X-API-Key required on \/sync and \/v1; \/nexo in cleartext; terminals V400m-324688179/);
    assert.doesNotMatch(sim.output(), /s3cr3t-key/);
  });

  it("never prints the control token, even where a request echoes it into the log", async () => {
    const token = "ctl-t0ken-CANARY";
    const sim = await startSim(["--control-token-env", "SIM_CONTROL"], { SIM_CONTROL: token });
    // The log line names the request's POIID: a client can make it say anything.
    await post(`${sim.url}/sync`, display("x", undefined, { POIID: token }));
    await sim.stop();
    assert.match(sim.output(), /\[redacted\]/, "the request was logged");
    assert.doesNotMatch(sim.output(), /CANARY/);
  });

  it("serves /nexo encrypted with the key and never prints the passphrase", async () => {
    const key = { identifier: "K1", version: 3, passphrase: "very-secret-pass" };
    const sim = await startSim(["--key-id", "K1", "--key-version", "3", "--passphrase-env", "PASS"], {
      PASS: key.passphrase,
    });
    const answer = await post(`${sim.url}/nexo`, encryptEnvelope(display("x"), key));
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body).SaleToPOIResponse.SecurityTrailer.KeyVersion, 3);
    await sim.stop();
    assert.match(sim.output(), /\/nexo encrypted with key K1 v3/);
    assert.doesNotMatch(sim.output(), /very-secret-pass/);
  });

  for (const [args, env, message] of [
    [["--api-key-env", "NOPE"], {}, /--api-key-env NOPE: that environment variable is not set or empty/],
    [["--key-id", "K1"], {}, /--key-id needs --passphrase-env VAR/],
    [
      ["--key-id", "K1", "--passphrase-env", "P"],
      {},
      /--passphrase-env P: that environment variable is not set or empty/,
    ],
    [["--passphrase-env", "P"], { P: "x" }, /--passphrase-env needs --key-id/],
  ] as const) {
    it(`exits 3 with a clear message for ${args.join(" ")}`, async () => {
      const r = await termflow(["sim", "--port", "0", ...args], { env });
      assert.equal(r.code, 3);
      assert.match(r.stderr, message);
      assert.ok(!hasStackTrace(r.stderr));
    });
  }

  it("exits 3 when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await termflow(["sim", "--port", String(port)]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, new RegExp(`port ${port} is in use; pick another with --port`));
    } finally {
      blocker.close();
    }
  });

  it("rejects a bad port as a usage error", async () => {
    const r = await termflow(["sim", "--port", "http"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected a whole number from 0 to 65535/);
  });

  it("shows curl examples and the endpoints in --help", async () => {
    const r = await termflow(["sim", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /curl -s http:\/\/127\.0\.0\.1:8080\/sync/);
    assert.match(r.stdout, /GET {2}\/__termflow\/terminals\/\{POIID\}\/timeline/);
    assert.match(r.stdout, /--passphrase-env <var>/);
  });
});

describe("termflow sim: control API, scripts, page", () => {
  const T = "/__termflow/terminals/V400m-324688179";
  const getJson = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, json: (await response.json()) as any };
  };

  it("serves the control API on loopback and says where its OpenAPI document is", async () => {
    const sim = await startSim([]);
    assert.match(sim.output(), /control API: http:\/\/127\.0\.0\.1:\d+\/__termflow\/openapi\.json/);
    assert.equal((await post(`${sim.url}${T}/payments/next`, { outcomes: ["decline"] })).status, 200);
    const answer = JSON.parse((await post(`${sim.url}/sync`, payment(10))).body);
    assert.equal(answer.SaleToPOIResponse.PaymentResponse.Response.ErrorCondition, "Refusal");
    await sim.stop();
  });

  it("--no-control serves the Terminal API only", async () => {
    const sim = await startSim(["--no-control"]);
    assert.equal((await getJson(`${sim.url}/__termflow/terminals`)).status, 404);
    assert.equal((await post(`${sim.url}/sync`, display("Hi"))).status, 200);
    await sim.stop();
  });

  it("--control-token-env: every control call needs the token", async () => {
    const sim = await startSim(["--control-token-env", "SIM_TOKEN"], { SIM_TOKEN: "s3cret-token" });
    assert.equal((await getJson(`${sim.url}/__termflow/terminals`)).status, 401);
    const ok = await fetch(`${sim.url}/__termflow/terminals`, { headers: { authorization: "Bearer s3cret-token" } });
    assert.equal(ok.status, 200);
    assert.doesNotMatch(sim.output(), /s3cret-token/);
    await sim.stop();
  });

  it("refuses contradictions: --ui with --no-control, --ui on another host, an unset token variable", async () => {
    for (const [args, message] of [
      [["--ui", "--no-control"], /--ui needs the control API/],
      [["--ui", "--host", "0.0.0.0"], /--ui serves the page on loopback only/],
      [["--control-token-env", "NOPE_UNSET"], /--control-token-env NOPE_UNSET: that environment variable is not set/],
    ] as const) {
      const { code, stderr: err } = await termflow(["sim", "--port", "0", ...args]);
      assert.equal(code, 3);
      assert.match(err, message);
    }
  });

  it("--ui serves the page and its script, offline (no address outside this server)", async () => {
    const sim = await startSim(["--ui"]);
    assert.match(sim.output(), /page: http:\/\/127\.0\.0\.1:\d+\//);
    const page = await fetch(`${sim.url}/`);
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/__termflow\/ui\/page\.js">/);
    assert.doesNotMatch(html, /https?:\/\//);
    const script = await fetch(`${sim.url}/__termflow/ui/page.js`);
    assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.doesNotMatch(await script.text(), /https?:\/\/(?!www\.w3\.org)/);
    await sim.stop();
  });

  it("--script loads shopper, payment and fault givens per POIID", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-sim-script-"));
    const file = join(dir, "givens.yaml");
    writeFileSync(
      file,
      [
        "V400m-324688179:",
        '  - shopper answers "Split the bill?" with no',
        '  - payment declined Refusal "199 Card blocked"',
        "  - fault busy on 2nd display",
        "",
      ].join("\n"),
    );
    const sim = await startSim(["--script", file]);
    assert.match(sim.output(), /scripts from .*givens\.yaml for V400m-324688179/);
    const input = JSON.parse((await post(`${sim.url}/sync`, confirmation("Split the bill?"))).body);
    assert.equal(input.SaleToPOIResponse.InputResponse.InputResult.Input.ConfirmedFlag, false);
    const paid = JSON.parse((await post(`${sim.url}/sync`, payment(10))).body);
    assert.match(paid.SaleToPOIResponse.PaymentResponse.Response.AdditionalResponse, /199%20Card%20blocked/);
    const first = JSON.parse((await post(`${sim.url}/sync`, display("one"))).body);
    const second = JSON.parse((await post(`${sim.url}/sync`, display("two"))).body);
    assert.deepEqual(
      [first, second].map((a) => a.SaleToPOIResponse.DisplayResponse.OutputResult[0].Response.Result),
      ["Success", "Failure"],
    );
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("--script with a mistake: file:line:col, a did-you-mean, exit 2, nothing served", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-sim-script-"));
    const file = join(dir, "givens.yaml");
    writeFileSync(file, ["V400m-324688179:", "  - shoper answers yes", "  - var table = 7", ""].join("\n"));
    const { code, stdout: out, stderr: err } = await termflow(["sim", "--port", "0", "--script", file]);
    assert.equal(code, 2);
    assert.match(err, /givens\.yaml:2:5/);
    assert.match(err, /did you mean `shopper`\?/);
    assert.match(err, /givens\.yaml:3:5/);
    assert.match(err, /a simulator script has no flow/);
    assert.doesNotMatch(out, /listening/);
    assert.ok(!hasStackTrace(err));
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits at once on Ctrl-C while a 10-minute waiting screen shows and a payment waits (the bundle, a real SIGINT)", async () => {
    const child = spawn(process.execPath, [BUNDLE, "sim", "--port", "0", "--payment-ms", "600000"], {
      env: { PATH: process.env.PATH ?? "" },
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    for (let i = 0; i < 1000 && !/listening on (\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    assert.ok(url, out);
    await post(`${url}/sync`, begin("S1", { DisplayRequest: 600_000, Payment: 600_000 }));
    await post(`${url}/sync`, display("Thanks"));
    const paying = post(`${url}/sync`, payment(12.5)).catch((e: Error) => e);
    const state = async () =>
      (await (await fetch(`${url}/__termflow/terminals/V400m-324688179`)).json()) as { waiting: unknown };
    while (!(await state()).waiting) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGINT");
    assert.equal(await exited, 130, out);
    assert.ok((await paying) instanceof Error, "the payment's connection is closed");
    assert.match(out, /termflow simulator stopped/);
  });
});
