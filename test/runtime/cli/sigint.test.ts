/**
 * SIGINT/SIGTERM during a session in `termflow run` over HTTP: the bundled CLI aborts the request in
 * flight, sends the End, and exits 130 (spawns `node dist/termflow.mjs`, built by `npm test`).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimulator } from "../../../simulator/index.js";
import { fromRoot } from "../../support/paths.js";

const BUNDLE = fromRoot("dist", "termflow.mjs");
const POIID = "V400m-300000003";

const FLOW = `flow "Interrupted"
session waiting 5000 id "interrupted" <
  display "Welcome"
  input digits "Your table number"
  display "never shown"
>
`;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  describe(`termflow run interrupted by ${signal}`, function () {
    this.timeout(30_000);

    it("aborts the input in flight, sends the End and exits 130", async () => {
      assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` first`);
      const simulator = createSimulator();
      const terminal = simulator.terminal(POIID);
      // The shopper never answers and the input has no time limit: the run waits until interrupted.
      terminal.shopper.answer("noAnswer");
      const server = await simulator.listen({ port: 0 });
      const dir = mkdtempSync(join(tmpdir(), "termflow-sigint-"));
      const file = join(dir, "interrupted.flow");
      writeFileSync(file, FLOW);
      try {
        const child = spawn(
          process.execPath,
          [BUNDLE, "run", file, "--target", "cloud", "--endpoint", server.url, "--poiid", POIID],
          {
            env: { ...process.env, NO_COLOR: "1" },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

        await waitFor(
          () => terminal.requests().some((e) => e.body === "InputRequest"),
          "the InputRequest to reach the terminal",
        );
        child.kill(signal);
        const code = await exited;

        assert.equal(code, 130, `exit code (stdout: ${stdout}\nstderr: ${stderr})`);
        const log = terminal.requests();
        assert.deepEqual(
          log.map((e) => (e.session ? `${e.body} ${e.session.type}` : e.body)),
          ["AdminRequest Begin", "DisplayRequest", "InputRequest", "AbortRequest", "AdminRequest End"],
        );
        assert.equal(log.filter((e) => e.session?.type === "End").length, 1, "exactly one End");
        assert.equal(terminal.session, null, "no session left open");
        assert.match(stderr, new RegExp(`${signal}: aborting the request in flight and ending the session`));
        assert.match(stdout, /✓ End session "interrupted"/);
        assert.match(stdout, /■ interrupted: the in-flight request was aborted and the session ended/);
      } finally {
        await server.close();
      }
    });
  });
}
