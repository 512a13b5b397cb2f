import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "junit2json";
import { runCli, type CliIO } from "../../../cli/main.js";
import { fromRoot, repoRoot } from "../../support/paths.js";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  lastLine: string;
}

async function termflow(args: string[], extra: Partial<CliIO> = {}): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: repoRoot,
    env: { NO_COLOR: "1" },
    isTTY: false,
    onInterrupt: () => () => {},
    ...extra,
  });
  const lines = stdout.trimEnd().split("\n");
  return { code, stdout, stderr, lastLine: lines[lines.length - 1] };
}

describe("termflow test (cli/commands/test.ts)", function () {
  this.timeout(120_000);

  it("runs scenarios, prints a ✓ line each, and ends with `N passed, N failed` alone on its line", async () => {
    const r = await termflow(["test", "flows/scenarios/busy.scenario"]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^Running 2 scenarios from 1 file\n/);
    assert.match(
      r.stdout,
      /\n {2}✓ A Busy answer to the payment fails the flow and the session still ends {2}flows\/scenarios\/busy\.scenario:4 {2}\d+ ms, 5 s on the terminal\n/,
    );
    assert.equal(r.lastLine, "2 passed, 0 failed");
  });

  it("exits 1 and prints each failure Hurl style, pointing at the scenario line", async () => {
    const r = await termflow(["test", "test/qa/fixtures/broken"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /\n {2}✗ wrong waiting-screen timeout {2}test\/qa\/fixtures\/broken\/expectations\.scenario:4 {2}/,
    );
    assert.ok(
      r.stdout.includes(
        [
          "✗ wrong waiting-screen timeout (test/qa/fixtures/broken/expectations.scenario:4)",
          'error[wrong-waiting-timeout]: the waiting screen after input "Split the bill?" had another timeout',
          " --> test/qa/fixtures/broken/expectations.scenario:5:1",
          "  |",
          '5 | then waiting 4000ms after input "Split the bill?"',
        ].join("\n"),
      ),
      r.stdout,
    );
    assert.equal(r.lastLine, "0 passed, 11 failed");
  });

  it("exits 2 on invalid scenarios and says what is wrong where", async () => {
    const r = await termflow(["test", "test/qa/fixtures/invalid"]);
    assert.equal(r.code, 2);
    assert.match(
      r.stdout,
      /error\[unknown-key\]: unknown key `thne` in a scenario\n --> test\/qa\/fixtures\/invalid\/mistakes\.scenario\.yaml:5:1/,
    );
    assert.match(r.stdout, /did you mean `then`\?/);
    assert.match(r.stdout, /did you mean `payment`\?/);
    assert.match(r.stdout, /^Running 2 scenarios from 1 file \(2 invalid: they do not run and count as failed\)\n/);
    assert.match(
      r.stdout,
      /\nRan 0 of 2 scenarios in \d+ ms \(0 ms of terminal time\); 2 invalid \(counted as failed\)\n0 passed, 2 failed\n$/,
    );
  });

  it("shows a mistake that every examples row shares once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-rows-"));
    try {
      writeFileSync(
        join(dir, "rows.scenario"),
        'scenario "Pay ${amount}"\nthen waits 5000 after payment\nsession waiting 5000 < pay ${amount} EUR as p >\nexamples\n| amount |\n| 1.00 |\n| 2.00 |\n',
      );
      const r = await termflow(["test", "rows.scenario"], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.stdout.split("error[unknown-word]").length - 1, 1, r.stdout);
      assert.match(r.stdout, /✗ Pay 2\.00 \(rows\.scenario:1\) invalid scenario\nthe same problem as in "Pay 1\.00"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("adds `, N skipped` when --bail stopped the suite", async () => {
    const r = await termflow(["test", "test/qa/fixtures/broken", "--bail"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\nRan 1 of 11 scenarios in .*; 10 skipped\n0 passed, 1 failed, 10 skipped\n$/);
  });

  it("writes JUnit, JSON and HTML reports", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-reports-"));
    try {
      const r = await termflow([
        "test",
        "flows/scenarios/busy.scenario",
        "--reporter",
        `junit=${dir}/out/junit.xml`,
        "-r",
        `json=${dir}/r.json`,
        "-r",
        `html=${dir}/r.html`,
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const junit = await parse(readFileSync(join(dir, "out/junit.xml"), "utf8"));
      assert.equal(junit && "tests" in junit ? junit.tests : undefined, 2);
      const json = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
      assert.deepEqual(json.totals, { passed: 2, failed: 0, invalid: 0, error: 0, skipped: 0 });
      assert.match(
        readFileSync(join(dir, "r.html"), "utf8"),
        /<title>termflow test report: 2 passed, 0 failed<\/title>/,
      );
      assert.match(r.stdout, /Wrote the junit report to .*junit\.xml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("redacts a secret given as a param everywhere: step labels, requests, timeline, console", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-secret-"));
    const secret = "sk_test_ABCDEF123";
    try {
      writeFileSync(
        join(dir, "secret.scenario"),
        `scenario "A secret param"\ngiven var apiKey = "${secret}"\nthen run passes\nthen capture apiKey == "other"\n\n` +
          'param apiKey = "x"\ndisplay "Using ${apiKey}" for 1s\npay 4.20 EUR ref "ref-${apiKey}" as payment\n' +
          'expect payment.result == "declined"\n',
      );
      const r = await termflow(
        ["test", "secret.scenario", "-r", "html=r.html", "-r", "json=r.json", "-r", "junit=r.xml"],
        { cwd: dir },
      );
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /\[redacted\]/);
      assert.ok(!(r.stdout + r.stderr).includes(secret), r.stdout);
      for (const file of ["r.html", "r.json", "r.xml"]) {
        const text = readFileSync(join(dir, file), "utf8");
        assert.ok(text.includes("[redacted]"), file);
        assert.ok(!text.includes(secret), `${file} shows the secret`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 130 when interrupted, reporting what did not run as skipped", async () => {
    const r = await termflow(["test", "flows/scenarios/input-kinds.scenario"], {
      onInterrupt: (handler) => (handler("SIGINT"), () => {}),
    });
    assert.equal(r.code, 130);
    assert.match(r.lastLine, /^0 passed, 0 failed, \d+ skipped$/);
    assert.match(r.stdout, /interrupted/);
  });

  const usage: Array<[string[], RegExp]> = [
    [["test", "--shard", "4/3"], /option '--shard <i\/n>' argument '4\/3' is invalid\. use <index>\/<count>/],
    [["test", "--jobs", "0"], /use a whole number from 1 to 64/],
    [["test", "--reporter", "xml=out.xml"], /unknown report format `xml`: use junit, json, html/],
    [["test", "--reporter", "junit"], /is not <format>=<path>/],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 on a bad option: ${args.slice(1).join(" ")}`, async () => {
      const r = await termflow(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    });
  }

  for (const filter of [
    ["--grep", "zzz"],
    ["--tag", "nosuchtag"],
  ]) {
    it(`exits 2 when ${filter.join(" ")} selects no scenario`, async () => {
      const r = await termflow(["test", "flows/scenarios/busy.scenario", ...filter]);
      assert.equal(r.code, 2, r.stdout);
      assert.match(
        r.stderr,
        new RegExp(`error: no scenario matches ${filter[0]} .*none of the 2 scenarios found was selected`),
      );
    });
  }

  it("exits 2 when a directory holds no scenario files, but 0 for a shard left empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-empty-"));
    try {
      const empty = await termflow(["test", dir]);
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /error: no scenarios found in /);
      const shard = await termflow(["test", "flows/scenarios/busy.scenario", "--shard", "3/3"]);
      assert.equal(shard.code, 0, shard.stdout + shard.stderr);
      assert.match(shard.stdout, /Shard 3\/3 has none of the 2 scenarios\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs a scenario whose flow file is an absolute path, from text and YAML scenarios", async () => {
    const flows = mkdtempSync(join(tmpdir(), "termflow-flows-"));
    const scenarios = mkdtempSync(join(tmpdir(), "termflow-scenarios-"));
    try {
      const flow = join(flows, "greet.flow");
      writeFileSync(flow, 'display "Hello"\n');
      writeFileSync(join(flows, "local.flow"), 'display "Local"\n');
      writeFileSync(
        join(scenarios, "abs.scenario"),
        `scenario "absolute"\nflow file "${flow}"\nthen screen at end is display "Hello"\n`,
      );
      writeFileSync(
        join(scenarios, "abs.scenario.yaml"),
        `scenario: absolute yaml\nflow: ${flow}\nthen: ['screen at end is display "Hello"']\n`,
      );
      // A relative path stays relative to the scenario file, not to the working directory.
      writeFileSync(
        join(flows, "rel.scenario"),
        'scenario "relative"\nflow file "local.flow"\nthen screen at end is display "Local"\n',
      );
      const r = await termflow(["test", scenarios, join(flows, "rel.scenario")]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.lastLine, "3 passed, 0 failed");
    } finally {
      rmSync(flows, { recursive: true, force: true });
      rmSync(scenarios, { recursive: true, force: true });
    }
  });

  it("exits 2 for a path that is not there", async () => {
    const r = await termflow(["test", "flows/scenarios/nope.scenario"]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /flows\/scenarios\/nope\.scenario: no such file or directory/);
    assert.match(
      r.stdout,
      /\nRan 0 scenarios in \d+ ms \(0 ms of terminal time\); 1 scenario file with errors \(counted as failed\)\n0 passed, 1 failed\n$/,
    );
  });

  it("shows examples in --help", async () => {
    const r = await termflow(["test", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\$ termflow test --jobs 4 --tag session/);
  });

  it("runs the whole suite from the bundled CLI with --jobs 2 (a worker thread next to the main one)", () => {
    const bundle = fromRoot("dist/termflow.mjs");
    assert.ok(existsSync(bundle), "npm test builds dist/termflow.mjs first");
    const r = spawnSync(process.execPath, [bundle, "test", "flows/scenarios", "--jobs", "2"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Running \d+ scenarios from \d+ files, 2 at a time\n/);
    assert.match(r.stdout.trimEnd().split("\n").pop() ?? "", /^\d+ passed, 0 failed$/);
  });
});
