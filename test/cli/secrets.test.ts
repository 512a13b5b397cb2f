/**
 * No secret in any output (issue 8, items 4-7): each case runs the bundled CLI as a user would, with
 * a canary secret, and looks for the canary in every encoding in stdout, stderr and every file the
 * run wrote (reports). Each case also shows the same canary under a name that is not secret, so the
 * search is known to find it when nothing hides it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CANARY, findSecret } from "../support/secrets.js";
import { runBundleIn as runIn, type BundleOutputs as Outputs } from "./helpers.js";

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

  describe("a flow or scenario file that is a symbolic link out of the project (item 7)", () => {
    // What a link committed to a repository could point at: a credentials file next to it.
    const secret = "aws_secret_access_key = CANARY0wJalrXUtnFEMI";
    let outside: string;
    before(() => {
      outside = mkdtempSync(join(tmpdir(), "termflow-outside-"));
      writeFileSync(join(outside, "credentials"), `[default]\n${secret}\n`);
    });
    after(() => rmSync(outside, { recursive: true, force: true }));

    const files = {
      "flows/scenarios/uses.scenario": 'scenario "Uses a linked flow"\nflow file "../evil.flow"\nthen run passes\n',
    };
    const linked = (dir: string): void => {
      symlinkSync(join(outside, "credentials"), join(dir, "flows", "evil.flow"));
      symlinkSync(join(outside, "credentials"), join(dir, "flows", "scenarios", "evil.scenario"));
    };
    const commands: Array<[string, string[]]> = [
      ["check", ["check", "flows/"]],
      ["run", ["run", "flows/evil.flow"]],
      ["plan", ["plan", "flows/evil.flow"]],
      ["test, with reports", ["test", ...REPORTS]],
    ];

    it("shows the file's lines in diagnostics when it is a file of the project (the search works)", () => {
      const copy = runIn({ ...files, "flows/evil.flow": `${secret}\n` }, ["check", "flows/"]);
      assert.ok(copy.texts.stdout.includes(secret), copy.texts.stdout);
    });

    for (const [what, args] of commands) {
      it(`${what}: not followed, and none of its lines in any output`, () => {
        const out = runIn(files, args, {}, (dir) => {
          mkdirSync(join(dir, "flows"), { recursive: true });
          linked(dir);
        });
        assert.ok((out.code ?? 0) >= 2, `exit ${out.code}`);
        const all = Object.values(out.texts).join("\n");
        assert.match(all, /a symbolic link to \/.*credentials, outside the project .*: not followed/);
        for (const [name, text] of Object.entries(out.texts))
          assert.ok(!text.includes("CANARY") && !text.includes("[default]"), `${name}: ${text}`);
      });
    }
  });

  describe("found while looking for more of the same", () => {
    it("termflow test --update writes a golden file without the secret, and the next run still matches it", () => {
      const scenario = (name: string): string =>
        `scenario "Golden"\ngiven var ${name} = ${literal(CANARY)}\nthen timeline matches golden\n\n` +
        `param ${name} = "x"\ndisplay "Using \${${name}}" for 1s\n`;
      const shown = runIn({ "s.scenario": scenario("note") }, ["test", "s.scenario", "--update"]);
      assert.ok(
        leaks(shown).some((l) => l.startsWith("s.golden.json")),
        leaks(shown).join("\n"),
      );
      const written = runIn({ "s.scenario": scenario("apiKey") }, ["test", "s.scenario", "--update"]);
      assert.equal(written.code, 0, written.texts.stdout);
      assertNoLeak(written);
      const golden = written.texts["s.golden.json"];
      assert.match(golden, /Using \[redacted\]/);
      const again = runIn({ "s.scenario": scenario("apiKey"), "s.golden.json": golden }, ["test", "s.scenario"]);
      assert.equal(again.code, 0, again.texts.stdout);
    });

    it("run: the user and password of an --endpoint URL", () => {
      const secret = "pa55w0rd-CANARY";
      const out = runIn({ "d.flow": 'display "hi"\n' }, [
        "run",
        "d.flow",
        "--target",
        "cloud",
        "--endpoint",
        `http://termflow:${secret}@127.0.0.1:9/x`,
      ]);
      assert.equal(out.code, 3, out.texts.stderr);
      assert.match(out.texts.stderr, /is an URL with embedded credentials/, "the transport refuses the URL");
      assertNoLeak(out, secret);
    });
  });
});
