import assert from "node:assert/strict";
import { lexFlowText, parseFlowText, parseFlowTextWithComments } from "../../../language/text/parse-text.js";
import { FILE, problem, problems } from "./helpers.js";

/** [source, `code@line:col`, hint (or a part of it)] */
const cases: [string, string, string | undefined][] = [
  ['dispaly "Thanks"', "unknown-step@1:1", "did you mean `display`?"],
  ["sesion waiting 5s\nwait 1", "unknown-step@1:1", "did you mean `session`?"],
  ['frobnicate "x"', "unknown-step@1:1", "a step starts with"],
  ["session waitng 5s < wait 1 >", "misspelt-keyword@1:9", "did you mean `waiting`?"],
  ['input comfirm "Split?"', "unknown-input-kind@1:7", "did you mean `confirm`?"],
  ['input confirm "x" withn 5s', "unexpected-token@1:19", "did you mean `within`?"],
  ["session waiting 5s on input, pament < >", "unknown-request-type@1:30", "did you mean `payment`?"],
  ["session waiting 5s on input, input < >", "duplicate-request-type@1:30", undefined],
  ['session waiting 5s < display "x"', "missing-session-close@1:33", "end the session's steps with `>`"],
  ['session waiting 5s < display "x" }', "missing-session-close@1:34", undefined],
  ['if a { display "x"', "missing-block-close@1:19", "end the block with `}`"],
  ['display "a" display "b"', "missing-separator@1:13", "separate steps on one line with `;`"],
  ['session waiting 5s < display "a" wait 1s >', "missing-separator@1:34", undefined],
  ['session waiting 5s\ndisplay "x" >', "expected-token@2:1", "session waiting 5000 <"],
  ["wait 5m", "bad-duration@1:6", "write `300s`"],
  ["wait 1.5s", "bad-duration@1:6", "write `1500ms`"],
  ["wait soon", "expected-token@1:6", undefined],
  ["pay 12.5.0 EUR", "bad-amount@1:5", "`12.50`"],
  ["pay 012 EUR", "bad-amount@1:5", undefined],
  ["pay", "expected-expression@1:4", undefined],
  ["expect 1x == 2", "bad-number@1:8", undefined],
  ['display "abc', "unterminated-string@1:9", 'close the string with `"`'],
  ["display 'x'", "single-quoted-string@1:9", 'write `"Thanks"`'],
  ["expect a && b", "c-style-operator@1:10", "`and`"],
  ["expect a || b", "c-style-operator@1:10", "`or`"],
  ["expect !b", "c-style-operator@1:8", "`not`"],
  ["wait 1 // pause", "slash-comment@1:8", "`# ...`"],
  ["wait 1 @", "unexpected-character@1:8", undefined],
  ['display "\\q"', "bad-escape@1:10", undefined],
  ['display "${1x}"', "bad-interpolation@1:10", undefined],
  ['display "${x"', "bad-interpolation@1:10", undefined],
  ["expect", "expected-expression@1:7", undefined],
  ["expect a = 1", "unexpected-token@1:10", "`==`"],
  ['display "x"\nparam a', "misplaced-declaration@2:1", "top of the file"],
  ['wait 1\nflow "x"', "misplaced-declaration@2:1", "first line"],
  ["else { }", "unexpected-token@1:1", "`else` follows"],
  [">", "unexpected-token@1:1", undefined],
  ["display", "expected-token@1:8", undefined],
  ['input text "x" ["a"]', "unexpected-menu-entries@1:16", "only `input menu`"],
  ["session waiting < >", "expected-token@1:17", undefined],
];

describe("mini-language diagnostics", () => {
  for (const [source, expected, hint] of cases) {
    it(`${JSON.stringify(source)} -> ${expected}`, () => {
      const d = problem(source);
      assert.equal(`${d.code}@${d.span.start.line}:${d.span.start.column}`, expected);
      assert.equal(d.severity, "error");
      if (hint) assert.ok(d.hint?.includes(hint), `hint ${JSON.stringify(d.hint)} lacks ${JSON.stringify(hint)}`);
    });
  }

  it("words the unclosed session with where it started, and points there too", () => {
    const d = problem('wait 1\nsession waiting 5s <\n  display "x"\n');
    assert.equal(d.message, "expected `>` to close the session started at 2:1");
    assert.deepEqual(
      d.related?.map((r) => [r.message, r.span.start.line, r.span.start.column, r.span.end.column]),
      [["the session starts here", 2, 1, 8]],
    );
  });
  it("words the missing separator", () =>
    assert.equal(problem("wait 1 wait 2").message, "expected `;` or a new line between steps"));
  it("points after the last token when the file ends early", () =>
    assert.deepEqual(problems("pay 12 EUR tip"), ["expected-expression@1:15"]));
  it("reports every error of a file in source order", () =>
    assert.deepEqual(problems('wait 5m\ndispaly "x"\npay 1.2.3 EUR\ninput confrm "x"'), [
      "bad-duration@1:6",
      "unknown-step@2:1",
      "bad-amount@3:5",
      "unknown-input-kind@4:7",
    ]));
  it("still builds the AST around an error", () => {
    const { flow } = parseFlowText('wait 1\ndispaly "x"\nwait 2', FILE);
    assert.deepEqual(
      flow?.steps.map((s) => s.kind),
      ["wait", "wait"],
    );
  });
  it("does not report a token twice (syntax error, then semantics)", () =>
    assert.deepEqual(problems("session waitng 5m < >"), ["misspelt-keyword@1:9", "bad-duration@1:16"]));
  it("counts columns after \\r\\n line ends", () =>
    assert.deepEqual(problems("wait 1\r\nwait 5m"), ["bad-duration@2:6"]));
  it("turns a too deep nesting into a diagnostic, not a crash", () => {
    const { diagnostics } = parseFlowText(`expect ${"(".repeat(20000)}a`, FILE);
    assert.ok(diagnostics.length > 0);
  });
  it("returns the comments for fmt", () =>
    assert.deepEqual(
      parseFlowTextWithComments("# a\nwait 1 # b", FILE).comments.map((c) => [
        c.text,
        c.span.start.line,
        c.span.start.column,
      ]),
      [
        ["# a", 1, 1],
        ["# b", 2, 8],
      ],
    ));
  it("lexes comments without parsing", () =>
    assert.deepEqual(
      lexFlowText("}}} # c", FILE).comments.map((c) => c.text),
      ["# c"],
    ));
  it("accepts an empty file", () =>
    assert.deepEqual(parseFlowText("", FILE), {
      flow: {
        kind: "flow",
        params: [],
        steps: [],
        span: { file: FILE, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      },
      diagnostics: [],
    }));
});
