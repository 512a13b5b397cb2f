/**
 * No secret in any output (issue 8, items 4-7): each case runs the bundled CLI as a user would, with
 * a canary secret, and looks for the canary in every encoding in stdout, stderr and every file the
 * run wrote (reports). Each case also shows the same canary under a name that is not secret, so the
 * search is known to find it when nothing hides it.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CANARY, findSecret } from "../support/secrets.js";
import { fixtureDir, termflowBundle } from "./helpers.js";

interface Outputs {
  code: number | null;
  /** `stdout`, `stderr` and every file the run wrote, by name. */
  texts: Record<string, string>;
}

/** Runs the bundle in a directory holding `files`; collects what it printed and the files it wrote. */
function runIn(files: Record<string, string>, args: string[], env: Record<string, string> = {}): Outputs {
  const fx = fixtureDir(files);
  try {
    const r = termflowBundle(args, { cwd: fx.dir, env });
    const texts: Record<string, string> = { stdout: r.stdout, stderr: r.stderr };
    for (const name of readdirSync(fx.dir, { recursive: true }) as string[])
      if (!(name in files) && statSync(join(fx.dir, name)).isFile())
        texts[name] = readFileSync(join(fx.dir, name), "utf8");
    return { code: r.code, texts };
  } finally {
    fx.cleanup();
  }
}

/** Where the canary shows: `r.json: form-encoded`, one per output that shows it. */
function leaks(outputs: Outputs, secret = CANARY): string[] {
  return Object.entries(outputs.texts).flatMap(([name, text]) => {
    const found = findSecret(text, secret);
    return found ? [`${name}: ${found}`] : [];
  });
}

function assertNoLeak(outputs: Outputs, secret = CANARY): void {
  assert.deepEqual(leaks(outputs, secret), [], JSON.stringify(outputs.texts, null, 1).slice(0, 4000));
}

/** A string literal of the flow and scenario languages. */
const literal = (text: string): string => JSON.stringify(text);

const REPORTS = ["-r", "json=out/r.json", "-r", "html=out/r.html", "-r", "junit=out/r.xml"];

describe("no secret in any output (the bundled CLI)", () => {
  describe("termflow test: a secret param used in a payment reference (item 4)", () => {
    const scenario = (name: string): string =>
      `scenario "A secret in a reference"\ngiven var ${name} = ${literal(CANARY)}\nthen run passes\n\n` +
      `param ${name} = "x"\ndisplay "Using \${${name}}" for 1s\npay 4.20 EUR ref "ref-\${${name}}" as payment\n` +
      `expect payment.result == "approved"\n`;

    it("shows up form-encoded in the reports when its name is not secret (the search works)", () => {
      const out = runIn({ "s.scenario": scenario("note") }, ["test", "s.scenario", ...REPORTS]);
      assert.equal(out.code, 0, out.texts.stdout + out.texts.stderr);
      assert.ok(leaks(out).includes("out/r.json: form-encoded"), leaks(out).join("\n"));
    });

    it("appears in no output, in no encoding, when its name is secret", () => {
      const out = runIn({ "s.scenario": scenario("apiKey") }, ["test", "s.scenario", ...REPORTS]);
      assert.equal(out.code, 0, out.texts.stdout + out.texts.stderr);
      assert.deepEqual(Object.keys(out.texts).sort(), ["out/r.html", "out/r.json", "out/r.xml", "stderr", "stdout"]);
      assertNoLeak(out);
      assert.match(out.texts["out/r.json"], /merchantReference=ref-\[redacted\]/);
    });
  });

  describe("every command hides a secret-named param's --var value the same way (item 5)", () => {
    const flow = (name: string): string =>
      `flow "Token"\nparam ${name} = "placeholder"\ndisplay "Token \${${name}}" for 1s\n` +
      `pay 4.20 EUR ref "ref-\${${name}}" as payment\nexpect ${name} == "nope"\n`;
    const commands: Array<[string, string[], number]> = [
      ["plan", ["plan", "t.flow"], 0],
      ["run (its failure hint quotes the value)", ["run", "t.flow"], 1],
      ["run --json (NDJSON, flowEnd captures)", ["run", "t.flow", "--json"], 1],
      ["run --dry-run", ["run", "t.flow", "--dry-run"], 0],
      ["run --dry-run --json", ["run", "t.flow", "--dry-run", "--json"], 0],
    ];
    for (const [what, args, code] of commands) {
      it(what, () => {
        const shown = runIn({ "t.flow": flow("note") }, [...args, "--var", `note=${CANARY}`]);
        assert.equal(shown.code, code, shown.texts.stderr);
        assert.notDeepEqual(leaks(shown), [], "under a name that is not secret, the value shows");
        const hidden = runIn({ "t.flow": flow("api_token") }, [...args, "--var", `api_token=${CANARY}`]);
        assert.equal(hidden.code, code, hidden.texts.stderr);
        assertNoLeak(hidden);
      });
    }

    it("a value of an environment variable with a secret name is hidden from run too", () => {
      const args = ["run", "t.flow", "--var", `note=${CANARY}`];
      assertNoLeak(runIn({ "t.flow": flow("note") }, args, { MY_SERVICE_TOKEN: CANARY }));
      assertNoLeak(runIn({ "t.flow": flow("note") }, [...args, "--json"], { MY_SERVICE_TOKEN: CANARY }));
    });

    it("plan --json (the AST) hides a secret-named param's default", () => {
      const withDefault = (name: string): string => flow(name).replace('"placeholder"', literal(CANARY));
      assert.notDeepEqual(leaks(runIn({ "t.flow": withDefault("note") }, ["plan", "t.flow", "--json"])), []);
      assertNoLeak(runIn({ "t.flow": withDefault("api_token") }, ["plan", "t.flow", "--json"]));
    });

    it("plan shows a secret-named param as [redacted], however short", () => {
      const out = runIn({ "t.flow": flow("api_token") }, ["plan", "t.flow", "--var", "api_token=abc"]);
      assert.match(out.texts.stdout, /^ {2}api_token {2}\[redacted\] \(from --var\)$/m);
    });
  });

  describe("run: an answer captured into a secret name", () => {
    // The simulator's shopper answers a text input with this.
    const answer = "shopper@example.com";
    const flow = (name: string): string => `input text "Your token?" as ${name}\ndisplay "Got \${${name}}"\n`;
    for (const args of [
      ["run", "c.flow"],
      ["run", "c.flow", "--json"],
    ]) {
      it(`is hidden from \`${args.join(" ")}\`, even in the answer streamed before its step ended`, () => {
        const shown = runIn({ "c.flow": flow("email") }, args);
        assert.equal(shown.code, 0, shown.texts.stderr);
        assert.notDeepEqual(leaks(shown, answer), []);
        const hidden = runIn({ "c.flow": flow("token") }, args);
        assert.equal(hidden.code, 0, hidden.texts.stderr);
        assertNoLeak(hidden, answer);
      });
    }
  });

  describe("run --config: a malformed config file (item 6)", () => {
    // Unquoted or cut short, the passphrase is where JSON.parse's own message quotes the text.
    const secret = "CANARY-pass9phrase";
    const configs: Record<string, string> = {
      "an unquoted passphrase": `{"keyIdentifier": "K1", "passphrase": ${secret}}`,
      "a missing comma after it": `{"passphrase": "${secret}" "keyVersion": 1}`,
      "a missing closing quote": `{"passphrase": "${secret}`,
      "more text after the object": `{"passphrase": "${secret}"} ${secret}`,
    };
    it("JSON.parse's own message for an unquoted passphrase quotes part of it (what run printed before)", () => {
      assert.throws(
        () => JSON.parse(configs["an unquoted passphrase"]),
        (e: Error) => e.message.includes("CANARY"),
      );
    });

    for (const [what, config] of Object.entries(configs)) {
      it(`with ${what}: says where the mistake is, never what the file holds`, () => {
        const flow = 'display "hi"\n';
        const runs = [["run", "f.flow", "--config", "c.json"]];
        if (what === "an unquoted passphrase") runs.push(["run", "f.flow", "--config", "c.json", "--json"]);
        for (const args of runs) {
          const out = runIn({ "f.flow": flow, "c.json": config }, args);
          assert.equal(out.code, 3, out.texts.stderr);
          assert.match(out.texts.stderr, /error: the config file c\.json is not valid JSON: line 1, column \d+: /);
          assertNoLeak(out, secret);
          for (const [name, text] of Object.entries(out.texts)) assert.ok(!text.includes("CANARY"), `${name}: ${text}`);
        }
      });
    }
  });
});
