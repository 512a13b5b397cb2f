/**
 * Issue 8 item 14 as users meet it: `termflow run` killed with -9 inside a session (spawned from the
 * bundle, built by `npm test`) leaves the session open on a `termflow sim` over HTTP, which then
 * refuses every Begin with NotAllowed. `termflow end-session` ends it from the journal or by its Id,
 * and the next `termflow run` of the same POS ends it by itself before beginning.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { termflow } from "../../cli/helpers.js";
import { createSimulator } from "../../../simulator/index.js";
import { fromRoot } from "../../support/paths.js";

const BUNDLE = fromRoot("dist", "termflow.mjs");
const POIID = "V400m-500000005";
const dir = mkdtempSync(join(tmpdir(), "termflow-crash-"));
const CRASH_FLOW = join(dir, "crash.flow");
writeFileSync(CRASH_FLOW, `session waiting 5000 id "crashed" <\n  input digits "Table?"\n>\n`);
const NEXT_FLOW = join(dir, "next.flow");
writeFileSync(NEXT_FLOW, `session waiting 5000 id "next" <\n  display "Welcome back"\n>\n`);

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function cli(args: string[], env: Record<string, string>) {
  const r = await termflow(args, { env });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** A `termflow sim` with a run killed -9 inside session "crashed"; the journal in `state`. */
async function afterCrash() {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` first`);
  const simulator = createSimulator();
  const terminal = simulator.terminal(POIID);
  terminal.shopper.answer("noAnswer");
  const server = await simulator.listen({ port: 0 });
  const state = mkdtempSync(join(tmpdir(), "termflow-state-"));
  const child = spawn(
    process.execPath,
    [BUNDLE, "run", CRASH_FLOW, "--target", "cloud", "--endpoint", server.url, "--poiid", POIID],
    {
      env: { ...process.env, NO_COLOR: "1", TERMFLOW_STATE_DIR: state },
      stdio: "ignore",
    },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await waitFor(() => terminal.requests().some((e) => e.body === "InputRequest"), "the input to reach the terminal");
  child.kill("SIGKILL");
  await exited;
  const target = ["--target", "cloud", "--endpoint", server.url, "--poiid", POIID];
  return { simulator, terminal, server, state, target, env: { TERMFLOW_STATE_DIR: state } };
}

describe("after `kill -9` of termflow run inside a session", function () {
  this.timeout(30_000);

  it("the terminal holds the session; termflow end-session ends it from the journal", async () => {
    const crash = await afterCrash();
    try {
      assert.equal(crash.terminal.session?.id, "crashed");
      assert.equal(readdirSync(join(crash.state, "open-sessions")).length, 1, "the journal remembers it");
      const refused = await cli(["run", NEXT_FLOW, ...crash.target], {});
      assert.equal(refused.code, 1, "without the journal: refused, as before");
      assert.match(refused.err, /the terminal refused to begin session "next": Failure NotAllowed/);
      assert.match(
        refused.err,
        /termflow end-session --poiid V400m-500000005 --sale-id termflow --session-id <its id>/,
      );

      const ended = await cli(["end-session", ...crash.target], crash.env);
      assert.equal(ended.code, 0, ended.out + ended.err);
      assert.equal(ended.out, `✓ ended session "crashed" on ${POIID}\n`);
      assert.equal(crash.terminal.session, null);
      assert.deepEqual(readdirSync(join(crash.state, "open-sessions")), []);

      const nothing = await cli(["end-session", ...crash.target], crash.env);
      assert.equal(nothing.code, 2);
      assert.match(
        nothing.err,
        /no session of SaleID termflow on V400m-500000005 is recorded as left open on this machine: give --session-id/,
      );
    } finally {
      await crash.server.close();
    }
  });

  it("the next termflow run of the same POS ends it first, says so, and passes", async () => {
    const crash = await afterCrash();
    try {
      const next = await cli(["run", NEXT_FLOW, ...crash.target], crash.env);
      assert.equal(next.code, 0, next.out + next.err);
      assert.match(
        next.err,
        new RegExp(
          String.raw`warning\[session-recovered\]: ended session "crashed", left open on V400m-500000005 ` +
            String.raw`by an earlier run \(pid \d+, begun .+\), before beginning session "next"`,
        ),
      );
      assert.match(next.out, /✓ passed/);
      const admin = crash.terminal
        .requests()
        .filter((e) => e.session)
        .map((e) => `${e.session!.type} ${e.session!.id} ${e.outcome}`);
      assert.deepEqual(admin, [
        "Begin crashed Success",
        "Begin next Failure/NotAllowed",
        "End crashed Success",
        "Begin next Success",
        "End next Success",
      ]);
      assert.equal(crash.terminal.session, null);
    } finally {
      await crash.server.close();
    }
  });

  it("termflow end-session --session-id ends it without any journal, and says when that Id is not open", async () => {
    const crash = await afterCrash();
    try {
      const wrong = await cli(["end-session", ...crash.target, "--session-id", "typo"], {});
      assert.equal(wrong.code, 1);
      assert.match(
        wrong.out,
        new RegExp(
          String.raw`• session "typo" on V400m-500000005 is not open: the terminal answered Failure NotFound ` +
            String.raw`\(message: No open session or scan with Id typo; the open session is crashed\)`,
        ),
      );
      const right = await cli(["end-session", ...crash.target, "--session-id", "crashed"], {});
      assert.equal(right.code, 0, right.out + right.err);
      assert.equal(crash.terminal.session, null);
    } finally {
      await crash.server.close();
    }
  });

  it("termflow end-session refuses the embedded simulator and wants a POIID", async () => {
    const sim = await cli(["end-session", "--poiid", POIID, "--session-id", "x"], {});
    assert.equal(sim.code, 3);
    assert.match(sim.err, /end-session needs the terminal: --target cloud or --target local/);
    const noPoiid = await cli(
      ["end-session", "--target", "cloud", "--endpoint", "http://127.0.0.1:9", "--session-id", "x"],
      {},
    );
    assert.equal(noPoiid.code, 2);
    assert.match(noPoiid.err, /needs the terminal's --poiid/);
  });
});
