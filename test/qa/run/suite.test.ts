import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot, fromRoot } from "../../support/paths.js";
import { runSuite, type SuiteRun } from "../../../qa/run/suite.js";

describe("qa/run/suite", function () {
  this.timeout(120_000);
  let all: SuiteRun;

  before(async () => {
    all = await runSuite({ paths: ["flows/scenarios"], cwd: repoRoot });
  });

  it("runs every scenario under flows/scenarios, and every one passes", () => {
    const notPassed = all.suite.scenarios.filter((s) => s.status !== "passed");
    assert.deepEqual(
      notPassed.map((s) => `${s.id}\n${s.failures.map((f) => f.rendered).join("\n")}`),
      [],
    );
    assert.deepEqual(all.suite.fileErrors, []);
    assert.ok(all.suite.scenarios.length >= 25, `${all.suite.scenarios.length} scenarios`);
  });

  it("covers the four waiting-screen rules, declines, Busy, abort, lost answers, every input kind and data tables", () => {
    const tags = new Set(all.suite.scenarios.flatMap((s) => s.tags));
    const wanted = [
      "rule-1",
      "rule-2",
      "rule-3",
      "rule-4",
      "timeouts",
      "decline",
      "busy",
      "abort",
      "recovery",
      "data-driven",
    ];
    const inputs = ["confirm", "digits", "text", "amount", "phone", "signature", "menu"];
    assert.deepEqual(
      [...wanted, ...inputs].filter((t) => !tags.has(t)),
      [],
    );
    assert.ok(
      all.suite.scenarios.some((s) => s.example !== undefined),
      "a data-driven scenario ran per row",
    );
  });

  it("spends terminal time, not wall time, on waiting screens", () => {
    const terminal = all.suite.scenarios.reduce((t, s) => t + s.virtualMs, 0);
    assert.ok(terminal > 60_000, `${terminal} ms of terminal time`);
    assert.ok(all.suite.scenarios.some((s) => s.timeline.some((t) => t.screen === "waiting" && t.durationMs === 5000)));
  });

  it("gives the same results with --jobs 2 (a worker thread next to the main one)", async () => {
    const parallel = await runSuite({ paths: ["flows/scenarios"], cwd: repoRoot, jobs: 2 });
    const statuses = (run: SuiteRun) => run.suite.scenarios.map((s) => `${s.id}: ${s.status}`);
    assert.deepEqual(statuses(parallel), statuses(all));
    // Same seeds, same virtual clocks: the very same timelines.
    assert.deepEqual(
      parallel.suite.scenarios.map((s) => s.timeline),
      all.suite.scenarios.map((s) => s.timeline),
    );
  });

  it("splits the suite into shards that together run each scenario exactly once", async () => {
    const ids = all.suite.scenarios.map((s) => s.id).sort();
    const shards = await Promise.all(
      [1, 2, 3].map((index) => runSuite({ paths: ["flows/scenarios"], cwd: repoRoot, shard: { index, count: 3 } })),
    );
    const shardIds = shards.map((r) => r.suite.scenarios.map((s) => s.id));
    assert.deepEqual(shardIds.flat().sort(), ids);
    const sizes = shardIds.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `shard sizes ${sizes}`);
  });

  it("selects by --grep on the name and by --tag (with !tag to leave out)", async () => {
    const grep = await runSuite({ paths: ["flows/scenarios"], cwd: repoRoot, grep: "is declined with" });
    assert.deepEqual(
      grep.suite.scenarios.map((s) => s.name),
      [
        "1.24 EUR is declined with Refusal",
        "11.25 EUR is declined with Refusal",
        "1.26 USD is declined with Refusal",
        "1128 JPY is declined with InvalidCard",
        "0.134 KWD is declined with WrongPIN",
      ],
    );
    const rule3 = await runSuite({ paths: ["flows/scenarios"], cwd: repoRoot, tags: ["rule-3"] });
    assert.ok(rule3.suite.scenarios.length >= 2 && rule3.suite.scenarios.every((s) => s.tags.includes("rule-3")));
    const noData = await runSuite({ paths: ["flows/scenarios"], cwd: repoRoot, tags: ["!data-driven"] });
    assert.ok(noData.suite.scenarios.every((s) => !s.tags.includes("data-driven")));
    assert.equal(
      noData.suite.scenarios.length,
      all.suite.scenarios.filter((s) => !s.tags.includes("data-driven")).length,
    );
  });

  it("stops after the first failure with --bail and reports the rest as skipped", async () => {
    const run = await runSuite({ paths: ["test/qa/fixtures/broken"], cwd: repoRoot, bail: true });
    const statuses = run.suite.scenarios.map((s) => s.status);
    assert.equal(statuses[0], "failed");
    assert.ok(
      statuses.slice(1).every((s) => s === "skipped"),
      statuses.join(),
    );
    assert.equal(run.suite.scenarios[1].failures[0].diagnostic.message, "not run: --bail stopped the suite");
    assert.equal(run.suite.totals.skipped, statuses.length - 1);
  });

  it("reports invalid scenarios without running them, and files that are not there", async () => {
    const run = await runSuite({ paths: ["test/qa/fixtures/invalid", "no/such/dir"], cwd: repoRoot });
    assert.deepEqual(
      run.suite.scenarios.map((s) => [s.name, s.status, s.failures[0].diagnostic.code]),
      [
        ["misspelt things", "invalid", "unknown-key"],
        ["a misspelt sentence", "invalid", "unknown-word"],
      ],
    );
    assert.deepEqual(
      run.suite.fileErrors.map((f) => f.diagnostic.message),
      ["no/such/dir: no such file or directory"],
    );
  });

  it("reports scenarios tagged `skip` as skipped without running them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-skip-"));
    try {
      writeFileSync(
        join(dir, "a.scenario"),
        'scenario "later"\ntags skip\ndisplay "x"\n\nscenario "now"\ndisplay "y"\n',
      );
      const run = await runSuite({ paths: [dir], cwd: dir });
      assert.deepEqual(
        run.suite.scenarios.map((s) => [s.name, s.status, s.exchanges.length]),
        [
          ["later", "skipped", 0],
          ["now", "passed", 1],
        ],
      );
      assert.equal(run.suite.totals.skipped, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes golden timelines with --update, then holds the scenario to them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "termflow-golden-"));
    try {
      cpSync(fromRoot("flows/scenarios/shopper.scenario"), join(dir, "shopper.scenario"));
      const update = await runSuite({ paths: [dir], cwd: dir, update: true });
      assert.deepEqual(update.goldensWritten, ["shopper.golden.json"]);
      const golden = JSON.parse(readFileSync(join(dir, "shopper.golden.json"), "utf8"));
      assert.ok(
        golden["A slow shopper delays the waiting screen until the answer"].some(
          (e: { label: string }) => e.label === "waiting 5000 ms",
        ),
      );
      assert.equal((await runSuite({ paths: [dir], cwd: dir })).suite.totals.failed, 0);
      // The shopper thinks less: the waiting screen moves, and the golden check says where.
      writeFileSync(
        join(dir, "shopper.scenario"),
        readFileSync(join(dir, "shopper.scenario"), "utf8").replace(
          "given shopper thinks 12s",
          "given shopper thinks 11s",
        ),
      );
      const changed = await runSuite({ paths: [dir], cwd: dir, grep: "slow shopper" });
      const failure = changed.suite.scenarios[0].failures[0];
      assert.equal(failure.diagnostic.code, "golden-mismatch");
      assert.equal(failure.expected, '0 ms input "Add a tip?" for 12000 ms');
      assert.match(failure.actual ?? "", /^0 ms input "Add a tip\?" for 11000 ms/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
