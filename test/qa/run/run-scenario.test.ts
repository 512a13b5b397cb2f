import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fromRoot } from "../../support/paths.js";
import { loadScenarioFile } from "../../../qa/scenario/load.js";
import { runScenario } from "../../../qa/run/run-scenario.js";
import { fileSources } from "../../../qa/run/sources.js";
import type { ScenarioResult } from "../../../qa/result.js";

const FILE = "test/qa/fixtures/broken/expectations.scenario";

describe("qa/run/run-scenario: scenarios broken on purpose", function () {
  this.timeout(60_000);
  const results = new Map<string, ScenarioResult>();
  const source = readFileSync(fromRoot(FILE), "utf8").split("\n");

  before(async () => {
    const loaded = loadScenarioFile(FILE, { cwd: fromRoot() });
    assert.equal(loaded.invalid.length, 0, JSON.stringify(loaded.invalid));
    for (const s of loaded.scenarios) results.set(s.name, await runScenario(s, { sources: fileSources(fromRoot()) }));
  });

  /** The scenario's one failure: its code, the source line it points at, expected and actual. */
  function failure(name: string): {
    code: string;
    line: string;
    expected?: string;
    actual?: string;
    hint?: string;
    rendered: string;
  } {
    const r = results.get(name);
    assert.ok(r, `no scenario named ${name}`);
    assert.equal(r.status, "failed", `${name} should fail`);
    assert.equal(r.failures.length, 1, r.failures.map((f) => f.rendered).join("\n"));
    const f = r.failures[0];
    return {
      code: f.diagnostic.code,
      line: source[f.diagnostic.span.start.line - 1],
      ...(f.expected !== undefined ? { expected: f.expected } : {}),
      ...(f.actual !== undefined ? { actual: f.actual } : {}),
      ...(f.diagnostic.hint !== undefined ? { hint: f.diagnostic.hint } : {}),
      rendered: f.rendered,
    };
  }

  it("a wrong timeout says which timeout the waiting screen had", () => {
    const f = failure("wrong waiting-screen timeout");
    assert.equal(f.code, "wrong-waiting-timeout");
    assert.equal(f.line, 'then waiting 4000ms after input "Split the bill?"');
    assert.equal(f.expected, 'a waiting screen of 4000 ms after input "Split the bill?"');
    assert.equal(f.actual, 'after input "Split the bill?" at 0 ms a waiting screen of 5000 ms');
  });

  it("a missing waiting screen (rule 4) says what came instead", () => {
    const f = failure("waiting screen for a type the session does not list");
    assert.equal(f.code, "no-waiting-screen");
    assert.equal(f.line, 'then waiting after display "Thanks"');
    assert.match(f.actual ?? "", /^after display "Thanks" at 0 ms came /);
  });

  it("a waiting screen cut short (rule 2) says how long it showed and what ended it", () => {
    const f = failure("waiting screen cut short by the next request");
    assert.equal(f.code, "wrong-waiting-duration");
    assert.equal(f.actual, 'after display "One" at 0 ms it showed for 0 ms, then display "Two"');
  });

  it("a wrong request count lists when each request was sent and how it ended", () => {
    const f = failure("one payment, not two");
    assert.equal(f.code, "wrong-request-count");
    assert.equal(f.expected, "payment sent exactly twice");
    assert.equal(f.actual, "1: 0 ms (Success)");
  });

  it("a wrong capture shows the captured value", () => {
    const f = failure("a capture with another value");
    assert.equal(f.code, "capture-mismatch");
    assert.equal(f.line, "then capture split == true");
    assert.equal(f.actual, "split is false");
  });

  it("an unexpected flow failure points at the failing step and at the scenario", () => {
    const f = failure("a decline the scenario did not expect");
    assert.equal(f.code, "payment-declined");
    assert.equal(f.line, "session waiting 5000 < pay 1.24 EUR as payment >");
    assert.match(f.rendered, /the flow failed: .*declined/);
    assert.match(f.rendered, /this scenario expects the flow to pass \(`then run fails` if it should not\)/);
  });

  it("a given whose prompt never showed suggests the prompt that did", () => {
    const f = failure("a prompt with a typo in the given");
    assert.equal(f.code, "given-unused");
    assert.equal(f.line, 'given shopper answers "Split the bil?" with no');
    assert.equal(f.hint, 'did you mean "Split the bill?"?');
  });

  it("an answer that does not fit the screen says what would", () => {
    const f = failure("an answer that does not fit the screen");
    assert.equal(f.code, "answer-does-not-fit");
    assert.equal(f.hint, 'answer digits like `"1234"`');
  });

  it("a screen that never showed lists the screens that did", () => {
    const f = failure("a screen that never showed");
    assert.equal(f.code, "screen-not-shown");
    assert.match(f.actual ?? "", /display "Hello"/);
  });

  it("a flow that passes where a failure was expected says so", () => {
    const f = failure("a flow that passes where the scenario expects a failure");
    assert.equal(f.code, "run-passed");
    assert.equal(f.expected, "the flow fails with Busy");
  });

  it("the last request check names the request that came last", () => {
    const f = failure("the session End is not the last request");
    assert.equal(f.code, "wrong-last-request");
    assert.match(f.actual ?? "", /^DisplayRequest at \d+ ms was last$/);
  });

  it("renders every failure Hurl style: file:line:col, the line, carets, expected and actual", () => {
    const f = failure("wrong waiting-screen timeout");
    assert.equal(
      f.rendered,
      [
        'error[wrong-waiting-timeout]: the waiting screen after input "Split the bill?" had another timeout',
        ` --> ${FILE}:5:1`,
        "  |",
        '5 | then waiting 4000ms after input "Split the bill?"',
        '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected: a waiting screen of 4000 ms after input "Split the bill?"',
        '  |                                                   actual:   after input "Split the bill?" at 0 ms a waiting screen of 5000 ms',
      ].join("\n"),
    );
  });

  it("records what happened for the report: steps, requests with answers, the timeline", () => {
    const r = results.get("one payment, not two")!;
    assert.deepEqual(
      r.exchanges.map((e) => `${e.name} ${e.outcome}`),
      ["AdminRequest Begin Success", "PaymentRequest Success", "AdminRequest End Success"],
    );
    assert.deepEqual(
      r.timeline.map((t) => t.screen),
      ["idle", "payment", "result", "waiting", "idle"],
    );
    assert.equal(
      r.timeline.find((t) => t.screen === "payment")?.label,
      "payment 10.00 EUR",
      "amounts with the currency's decimals, not the wire's 10",
    );
    assert.equal(r.timeline.find((t) => t.screen === "waiting")?.durationMs, 5000);
    assert.deepEqual(
      r.steps.map((s) => s.label),
      ["session (waiting screen: input 5000ms, display 5000ms, payment 5000ms)", "pay 10.00 EUR as payment"],
    );
  });
});
