import assert from "node:assert/strict";
import type { Diagnostic } from "../../../language/diagnostic.js";
import { LineIndex } from "../../../language/index.js";
import { verbatimSentence } from "../../../qa/scenario/sentence-tokens.js";
import { parseExpectation, parseGiven } from "../../../qa/scenario/sentences.js";

/** Parses the sentence after `given ` / `then ` on one line, as the text form does. */
function parse(kind: "given" | "then", sentence: string) {
  const line = `${kind} ${sentence}`;
  const source = new LineIndex(line, "t.scenario");
  const text = verbatimSentence(source, kind.length, line.length);
  return kind === "given" ? parseGiven(text, 0) : parseExpectation(text, 0);
}

/** The value without spans, for comparisons. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "span" ? undefined : v)));
}

/** The one diagnostic of a bad sentence: its code, the text it underlines, and its hint. */
function problem(kind: "given" | "then", sentence: string): { code: string; underlined: string; hint?: string } {
  const r = parse(kind, sentence);
  assert.equal(r.value, undefined, "a bad sentence gives no value");
  assert.equal(r.diagnostics.length, 1, JSON.stringify(r.diagnostics));
  const d: Diagnostic = r.diagnostics[0];
  const line = `${kind} ${sentence}`;
  return {
    code: d.code,
    underlined: line.slice(d.span.start.offset, d.span.end.offset),
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

describe("qa/scenario/sentences", () => {
  describe("givens", () => {
    const cases: Array<[string, unknown]> = [
      [
        'shopper answers "Split the bill?" with yes',
        { kind: "answer", prompt: "Split the bill?", values: [{ kind: "boolean", value: true, text: "yes" }] },
      ],
      [
        'shopper answers no, "1234", 12.50',
        {
          kind: "answer",
          values: [
            { kind: "boolean", value: false, text: "no" },
            { kind: "string", value: "1234" },
            { kind: "number", text: "12.50" },
          ],
        },
      ],
      [
        'shopper answers "Rate us" with "Good", 3',
        {
          kind: "answer",
          prompt: "Rate us",
          values: [
            { kind: "string", value: "Good" },
            { kind: "number", text: "3" },
          ],
        },
      ],
      ['shopper does not answer "Add a tip?"', { kind: "no-answer", prompt: "Add a tip?" }],
      ["shopper does not answer", { kind: "no-answer" }],
      ["shopper cancels", { kind: "cancel" }],
      ["shopper thinks 2s", { kind: "think", ms: 2000 }],
      ["payment approved", { kind: "payment", outcome: { kind: "approved" } }],
      ["payment partially approved 30.00", { kind: "payment", outcome: { kind: "partial", authorised: "30.00" } }],
      [
        "payment partially approved 1.250 KWD with visa",
        { kind: "payment", outcome: { kind: "partial", authorised: "1.250", brand: "visa" } },
      ],
      [
        'payment declined WrongPIN "129 Invalid online PIN"',
        {
          kind: "payment",
          outcome: { kind: "declined", errorCondition: "WrongPIN", reason: "129 Invalid online PIN" },
        },
      ],
      ["payment declined", { kind: "payment", outcome: { kind: "declined", errorCondition: "Refusal" } }],
      ["payment card removed", { kind: "payment", outcome: { kind: "card-removed" } }],
      ["payment unanswered", { kind: "payment", outcome: { kind: "unanswered" } }],
      ["fault drop on payment", { kind: "fault", fault: { kind: "drop" }, on: { request: "payment", occurrence: 1 } }],
      [
        "fault busy on 2nd payment",
        { kind: "fault", fault: { kind: "busy" }, on: { request: "payment", occurrence: 2 } },
      ],
      [
        "fault delay 3s on every display",
        { kind: "fault", fault: { kind: "delay", ms: 3000 }, on: { request: "display", occurrence: "every" } },
      ],
      [
        "fault http 500 on admin begin",
        { kind: "fault", fault: { kind: "http", status: 500 }, on: { request: "begin", occurrence: 1 } },
      ],
      [
        "fault malformed on third input",
        { kind: "fault", fault: { kind: "malformed" }, on: { request: "input", occurrence: 3 } },
      ],
      ["run cancelled after 2500ms", { kind: "cancel-run", afterMs: 2500 }],
      ['var table = "12"', { kind: "var", name: "table", value: { kind: "string", value: "12" } }],
    ];
    for (const [sentence, expected] of cases) {
      it(`given ${sentence}`, () => {
        const r = parse("given", sentence);
        assert.deepEqual(r.diagnostics, []);
        assert.deepEqual(plain(r.value), expected);
      });
    }
  });

  describe("expectations", () => {
    const cases: Array<[string, unknown]> = [
      [
        'waiting 5000ms after input "Split the bill?"',
        { kind: "waiting", after: { screen: "input", text: "Split the bill?" }, timeoutMs: 5000 },
      ],
      [
        'waiting after display "Thanks" shown 5s',
        { kind: "waiting", after: { screen: "display", text: "Thanks" }, shownMs: 5000 },
      ],
      ["waiting 3000 after payment", { kind: "waiting", after: { screen: "payment" }, timeoutMs: 3000 }],
      ["no waiting after session end", { kind: "no-waiting", after: "session-end" }],
      ['no waiting after display "Bye"', { kind: "no-waiting", after: { screen: "display", text: "Bye" } }],
      ["screen at end is idle", { kind: "final-screen", screen: { screen: "idle" } }],
      ["sent admin end exactly once", { kind: "sent", request: "end", count: { kind: "exactly", count: 1 } }],
      ["sent session begin once", { kind: "sent", request: "begin", count: { kind: "exactly", count: 1 } }],
      ["sent payment never", { kind: "sent", request: "payment", count: { kind: "exactly", count: 0 } }],
      ["sent input 3 times", { kind: "sent", request: "input", count: { kind: "exactly", count: 3 } }],
      ["sent status at least once", { kind: "sent", request: "status", count: { kind: "at-least", count: 1 } }],
      ["sent request at most 9 times", { kind: "sent", request: "request", count: { kind: "at-most", count: 9 } }],
      ["last request is admin end", { kind: "sent-last", request: "end" }],
      ["run passes", { kind: "run", passed: true }],
      ["run fails with Busy", { kind: "run", passed: false, reason: "Busy" }],
      ['run fails with "timed out"', { kind: "run", passed: false, reason: "timed out" }],
      [
        'capture payment.result == "declined"',
        {
          kind: "capture",
          path: ["payment", "result"],
          comparison: "==",
          value: { kind: "string", value: "declined" },
        },
      ],
      [
        "capture payment.amount >= 100",
        { kind: "capture", path: ["payment", "amount"], comparison: ">=", value: { kind: "number", text: "100" } },
      ],
      ["timeline matches golden", { kind: "golden-timeline" }],
    ];
    for (const [sentence, expected] of cases) {
      it(`then ${sentence}`, () => {
        const r = parse("then", sentence);
        assert.deepEqual(r.diagnostics, []);
        assert.deepEqual(plain(r.value), expected);
      });
    }

    it("spans the whole line from the keyword to the last word, so a failure underlines it", () => {
      const r = parse("then", "sent payment once   # a comment");
      assert.equal(r.value?.span.start.column, 1);
      assert.equal(r.value?.span.end.column, "then sent payment once".length + 1);
    });
  });

  describe("mistakes", () => {
    const cases: Array<
      [kind: "given" | "then", sentence: string, expected: { code: string; underlined: string; hint?: string }]
    > = [
      ["then", "sent paymnt once", { code: "unknown-word", underlined: "paymnt", hint: "did you mean `payment`?" }],
      [
        "then",
        "wating 5000 after payment",
        { code: "unknown-word", underlined: "wating", hint: "did you mean `waiting`?" },
      ],
      [
        "then",
        "waits 5000 after payment",
        { code: "unknown-word", underlined: "waits", hint: "did you mean `waiting`?" },
      ],
      ["given", "shoper answers yes", { code: "unknown-word", underlined: "shoper", hint: "did you mean `shopper`?" }],
      [
        "then",
        "waiting 5m after payment",
        { code: "bad-duration", underlined: "5m", hint: "write milliseconds (`5000`, `250ms`) or seconds (`5s`)" },
      ],
      ["then", "capture split = true", { code: "expected-comparison", underlined: "=", hint: "write `==` to compare" }],
      ["given", 'shopper answers "Split the bill?" with', { code: "expected-value", underlined: "" }],
      [
        "then",
        "run passes quickly",
        { code: "unexpected-token", underlined: "quickly", hint: "remove it, or start a new line" },
      ],
      [
        "given",
        'shopper answers "Split the bill?',
        { code: "unterminated-string", underlined: '"Split the bill?', hint: 'end it with `"` on the same line' },
      ],
      ["then", 'waiting after display "${greeting}"', { code: "unknown-variable", underlined: "${greeting}" }],
      ["given", "fault http 404 on display", { code: "bad-status", underlined: "404", hint: "use `http 500`" }],
      [
        "given",
        'payment partially approved "half"',
        { code: "expected-number", underlined: '"half"', hint: "`given payment partially approved 30.00`" },
      ],
      ["given", "fault drop on 2x payment", { code: "bad-ordinal", underlined: "2x" }],
      ["then", "sent session once", { code: "expected-word", underlined: "session" }],
      ["then", "sent payment sometimes", { code: "expected-count", underlined: "sometimes" }],
    ];
    for (const [kind, sentence, expected] of cases) {
      it(`${kind} ${sentence}`, () => {
        const got = problem(kind, sentence);
        assert.equal(got.code, expected.code);
        assert.equal(got.underlined, expected.underlined);
        if (expected.hint !== undefined) assert.equal(got.hint, expected.hint);
      });
    }
  });
});
