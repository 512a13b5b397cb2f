/** `termflow run --ui`: the embedded simulator in real time, shown on the page until Ctrl-C. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/main.js";
import type { InterruptHandler } from "../../cli/io.js";
import { termflow } from "./helpers.js";

describe("termflow run --ui", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "termflow-run-ui-"));
    writeFileSync(join(dir, "hello.flow"), 'display "Hello from the page"\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the page, runs the flow on it, and keeps it until Ctrl-C (exit as the run)", async () => {
    let stdout = "";
    let interrupt: InterruptHandler | undefined;
    const exit = runCli(["run", join(dir, "hello.flow"), "--ui"], {
      env: {},
      isTTY: false,
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stdout += t),
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
    });
    for (let i = 0; i < 500 && !/The page stays/.test(stdout); i++) await new Promise((r) => setTimeout(r, 10));
    const url = /page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
    assert.ok(url, stdout);
    assert.match(stdout, /The page stays at http:\/\/127\.0\.0\.1:\d+\/; Ctrl-C stops/);
    let ended = false;
    void exit.then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ended, false, "the run waits for Ctrl-C while the page is open");
    assert.match(await (await fetch(`${url}/`)).text(), /termflow simulator/);
    const timeline = (await (await fetch(`${url}/__termflow/terminals/V400m-123456789/timeline`)).json()) as Array<{
      screen: string;
      text?: string;
    }>;
    assert.deepEqual(
      timeline.map((e) => e.text ?? e.screen),
      ["idle", "Hello from the page"],
    );
    interrupt?.("SIGINT");
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${url}/`), "the page is closed after Ctrl-C");
  });

  it("refuses --ui on another target and --manual without --ui", async () => {
    const other = await termflow([
      "run",
      join(dir, "hello.flow"),
      "--ui",
      "--target",
      "cloud",
      "--endpoint",
      "http://127.0.0.1:9",
    ]);
    assert.equal(other.code, 3);
    assert.match(other.stderr, /--ui shows the embedded simulator/);
    const manual = await termflow(["run", join(dir, "hello.flow"), "--manual"]);
    assert.equal(manual.code, 3);
    assert.match(manual.stderr, /--manual needs --ui/);
  });
});
