import assert from "node:assert/strict";
import { parse } from "junit2json";
import { repoRoot } from "../../support/paths.js";
import { runSuite } from "../../../qa/run/suite.js";
import { junitReport, xmlEscape } from "../../../qa/report/junit.js";
import type { SuiteResult } from "../../../qa/result.js";

describe("qa/report/junit", function () {
  this.timeout(60_000);
  let suite: SuiteResult;

  before(async () => {
    suite = (
      await runSuite({
        paths: ["flows/scenarios/busy.scenario", "test/qa/fixtures/broken", "test/qa/fixtures/invalid"],
        cwd: repoRoot,
      })
    ).suite;
  });

  it("is JUnit XML a JUnit consumer reads back: suites per file, cases per scenario, counts", async () => {
    const parsed = await parse(junitReport(suite));
    assert.ok(parsed && "testsuite" in parsed, "a <testsuites> document");
    const suites = parsed.testsuite ?? [];
    assert.deepEqual(
      suites.map((s) => s.name),
      [
        "flows/scenarios/busy.scenario",
        "test/qa/fixtures/broken/expectations.scenario",
        "test/qa/fixtures/invalid/mistakes.scenario.yaml",
      ],
    );
    assert.equal(parsed.tests, suite.scenarios.length);
    assert.equal(parsed.failures, suite.totals.failed);
    assert.equal(parsed.errors, 2);
    const busy = suites[0];
    assert.equal(busy.tests, 2);
    assert.equal(busy.failures, 0);
    assert.deepEqual(
      busy.testcase?.map((t) => [t.name, t.classname]),
      [
        ["A Busy answer to the payment fails the flow and the session still ends", "flows/scenarios/busy.scenario"],
        ["A Busy answer to the session's Begin runs no inner step and sends no End", "flows/scenarios/busy.scenario"],
      ],
    );
    assert.equal(busy.testcase?.[0].failure, undefined);
  });

  it("carries each failure's message and its Hurl-style text", async () => {
    const parsed = await parse(junitReport(suite));
    const broken = (parsed && "testsuite" in parsed ? parsed.testsuite : [])?.[1];
    const timeout = broken?.testcase?.find((t) => t.name === "wrong waiting-screen timeout");
    assert.equal(timeout?.failure?.[0].message, 'the waiting screen after input "Split the bill?" had another timeout');
    assert.equal(timeout?.failure?.[0].type, "wrong-waiting-timeout");
    assert.match(timeout?.failure?.[0].inner ?? "", /--> test\/qa\/fixtures\/broken\/expectations\.scenario:5:1/);
    assert.match(
      timeout?.failure?.[0].inner ?? "",
      /actual: {3}after input "Split the bill\?" at 0 ms a waiting screen of 5000 ms/,
    );
    assert.match(timeout?.["system-out"]?.[0] ?? "", /waiting 5000 ms/);
  });

  it("reports invalid scenarios as errors", async () => {
    const parsed = await parse(junitReport(suite));
    const invalid = (parsed && "testsuite" in parsed ? parsed.testsuite : [])?.[2];
    assert.equal(invalid?.errors, 2);
    assert.equal(invalid?.testcase?.[0].error?.[0].type, "unknown-key");
  });

  it("escapes what XML cannot hold as it is, and shows control characters", async () => {
    assert.equal(xmlEscape(`a<b & "c" 'd'>\u0001`), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;␁");
    const odd: SuiteResult = {
      ...suite,
      scenarios: [{ ...suite.scenarios[0], name: 'Pay <10.00> & "tip" \u0007', tags: ["a&b"] }],
    };
    const parsed = await parse(junitReport(odd));
    const cases = parsed && "testsuite" in parsed ? parsed.testsuite?.[0].testcase : undefined;
    assert.equal(cases?.[0].name, 'Pay <10.00> & "tip" ␇');
  });
});
