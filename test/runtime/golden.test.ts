/**
 * Golden request sequences: `termflow run --dry-run --seed 1` of every example flow in flows/, in
 * both syntaxes, against test/runtime/golden/<example>.requests.json (UPDATE_GOLDEN=1 rewrites them).
 * Every request validates against Adyen's spec.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/main.js";
import { flowFilesIn, loadFlow } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import { runFlow } from "../../runtime/run-flow.js";
import { dryRunTransport } from "../../runtime/transports/dry-run.js";
import { fromRoot, repoRoot } from "../support/paths.js";
import { specErrors, unknownFields } from "../support/terminal-api-spec.js";

const GOLDEN_DIR = fromRoot("test", "runtime", "golden");
const update = process.env.UPDATE_GOLDEN === "1";

const files = readdirSync(fromRoot("flows"))
  .filter((f) => /\.flow$|\.flow\.ya?ml$/.test(f))
  .sort();
const exampleName = (file: string): string => file.replace(/\.flow(\.ya?ml)?$/, "");

async function dryRunRequests(file: string): Promise<unknown[]> {
  const { flow, diagnostics, called } = loadFlow(readFileSync(fromRoot("flows", file), "utf8"), join("flows", file), {
    files: flowFilesIn(repoRoot),
  });
  assert.ok(flow, diagnostics.map((d) => d.message).join("; "));
  const transport = dryRunTransport();
  const result = await runFlow(flow, {
    terminal: transport,
    clock: new VirtualClock({ auto: true }),
    seed: 1,
    calls: called,
  });
  assert.equal(result.status, "passed", result.diagnostics.map((d) => d.message).join("; "));
  return transport.requests;
}

function captureCli() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      cwd: fromRoot(),
      isTTY: false,
      env: { NO_COLOR: "1" },
    },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

describe("runtime golden request sequences (--dry-run --seed 1)", () => {
  it("has example flows to check", () => assert.ok(files.length >= 6, `flows/ holds ${files.length} examples`));

  for (const file of files) {
    it(`flows/${file} sends exactly the golden requests, each valid against the spec`, async () => {
      const requests = await dryRunRequests(file);
      const golden = join(GOLDEN_DIR, `${exampleName(file)}.requests.json`);
      const text = `${JSON.stringify(requests, null, 2)}\n`;
      if (update) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        // Both syntaxes of an example share one golden file: write it from the mini-language form.
        if (file.endsWith(".flow") || !existsSync(golden)) writeFileSync(golden, text);
      }
      assert.ok(existsSync(golden), `${golden} is missing (UPDATE_GOLDEN=1 writes it)`);
      assert.equal(text, readFileSync(golden, "utf8"), `${file} differs from ${golden} (UPDATE_GOLDEN=1 rewrites it)`);
      const ids = new Set<string>();
      for (const request of requests) {
        assert.deepEqual(specErrors(request, "TerminalAPIRequest"), [], JSON.stringify(request));
        assert.deepEqual(unknownFields(request, "TerminalAPIRequest"), [], JSON.stringify(request));
        const id = (request as { SaleToPOIRequest: { MessageHeader: { ServiceID: string } } }).SaleToPOIRequest
          .MessageHeader.ServiceID;
        assert.match(id, /^[A-Za-z0-9]{10}$/);
        ids.add(id);
      }
      assert.equal(ids.size, requests.length, "a fresh ServiceID per request");
    });
  }

  it("prints the same requests from the CLI, stably, as NDJSON and for people", async () => {
    const file = "flows/pay-at-table.flow";
    const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, "pay-at-table.requests.json"), "utf8")) as unknown[];
    const json = captureCli();
    assert.equal(await runCli(["run", file, "--dry-run", "--seed", "1", "--json"], json.io), 0, json.err());
    const lines = json
      .out()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
    assert.deepEqual(lines, golden);

    const human = captureCli();
    const again = captureCli();
    assert.equal(await runCli(["run", file, "--dry-run", "--seed", "1"], human.io), 0);
    assert.equal(await runCli(["run", file, "--dry-run", "--seed", "1"], again.io), 0);
    assert.equal(human.out(), again.out(), "stable output with --seed");
    assert.match(human.out(), /^# 1\/\d+ AdminRequest: Begin session "pay-at-table"$/m);
    assert.match(human.out(), /# dry run: \d+ requests, nothing was sent/);
    const blocks = human
      .out()
      .split(/^# .*$/m)
      .map((b) => b.trim())
      .filter((b) => b.startsWith("{"));
    assert.deepEqual(
      blocks.map((b) => JSON.parse(b) as unknown),
      golden,
    );
  });
});
