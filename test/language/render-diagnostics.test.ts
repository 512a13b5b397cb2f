import assert from "node:assert/strict";
import type { Span } from "../../language/ast.js";
import type { Diagnostic } from "../../language/diagnostic.js";
import { diagnosticsToJson, renderDiagnostics, checkSummaryLine } from "../../language/render-diagnostics.js";

/** A span from 1-based line/column pairs; offsets are computed from `source`. */
function span(file: string, source: string, start: [number, number], end: [number, number]): Span {
  const offsetOf = ([line, column]: [number, number]): number => {
    const lines = source.split("\n");
    return lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  };
  return {
    file,
    start: { line: start[0], column: start[1], offset: offsetOf(start) },
    end: { line: end[0], column: end[1], offset: offsetOf(end) },
  };
}

const TIP = 'flow "Tip"\nsession waiting 5s <\n    dispaly "Thanks"\n>\n';
const files: Record<string, string> = { "flows/tip.flow": TIP };
const lookup = (file: string): string | undefined => files[file];

function diag(partial: Partial<Diagnostic> & Pick<Diagnostic, "span">): Diagnostic {
  return { code: "unknown-step", severity: "error", message: "unknown step `dispaly`", ...partial };
}

describe("renderDiagnostics", () => {
  it("renders the rustc-style block with the caret under the span and the hint after it", () => {
    const d = diag({ span: span("flows/tip.flow", TIP, [3, 5], [3, 12]), hint: "did you mean `display`?" });
    assert.equal(
      renderDiagnostics([d], lookup),
      [
        "error[unknown-step]: unknown step `dispaly`",
        " --> flows/tip.flow:3:5",
        "  |",
        '3 |     dispaly "Thanks"',
        "  |     ^^^^^^^ did you mean `display`?",
        "",
      ].join("\n"),
    );
  });

  it("widens the gutter to the largest line number, notes included", () => {
    const source = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join("\n");
    const d: Diagnostic = {
      code: "nested-session",
      severity: "error",
      message: "a session inside a session",
      span: span("a.flow", source, [12, 1], [12, 7]),
      related: [{ message: "the outer session starts here", span: span("a.flow", source, [2, 1], [2, 6]) }],
    };
    assert.equal(
      renderDiagnostics([d], () => source),
      [
        "error[nested-session]: a session inside a session",
        "  --> a.flow:12:1",
        "   |",
        "12 | line12",
        "   | ^^^^^^",
        "note: the outer session starts here",
        "  --> a.flow:2:1",
        "   |",
        " 2 | line2",
        "   | ^^^^^",
        "",
      ].join("\n"),
    );
  });

  it("expands tabs and places the carets after them", () => {
    const source = "session waiting 5s <\n\tpay 1.234 EUR\n>";
    const d = diag({
      code: "amount-precision",
      message: "too many decimals",
      span: span("t.flow", source, [2, 6], [2, 11]),
    });
    const out = renderDiagnostics([d], () => source).split("\n");
    assert.equal(out[3], "2 |     pay 1.234 EUR");
    assert.equal(out[4], "  |         ^^^^^");
  });

  it("underlines the rest of the first line of a multi-line span", () => {
    const source = "session waiting 5s <\n  wait 1s\n>";
    const d = diag({ span: span("t.flow", source, [1, 9], [3, 2]) });
    assert.equal(renderDiagnostics([d], () => source).split("\n")[4], "  |         ^^^^^^^^^^^^");
  });

  it("gives a zero-width span one caret, also at the end of a line", () => {
    const source = "session waiting 5s < wait 1s";
    const d = diag({ code: "missing-session-close", span: span("t.flow", source, [1, 29], [1, 29]), hint: "add `>`" });
    assert.equal(renderDiagnostics([d], () => source).split("\n")[4], "  |                             ^ add `>`");
  });

  it("prints a warning with its own label and separates diagnostics by a blank line", () => {
    const source = "wait 0";
    const a = diag({ span: span("w.flow", source, [1, 1], [1, 5]) });
    const b = diag({
      severity: "warning",
      code: "duration-out-of-range",
      message: "waits for nothing",
      span: span("w.flow", source, [1, 6], [1, 7]),
    });
    const out = renderDiagnostics([a, b], () => source);
    assert.match(out, /\^\^\^\^\n\nwarning\[duration-out-of-range\]: waits for nothing\n/);
  });

  it("still prints location and hint when the source is not available", () => {
    const d = diag({ span: span("gone.flow", "x", [1, 1], [1, 2]), hint: "did you mean `display`?" });
    assert.equal(
      renderDiagnostics([d], () => undefined),
      "error[unknown-step]: unknown step `dispaly`\n --> gone.flow:1:1\n  = did you mean `display`?\n",
    );
  });

  it("does not trust broken positions (NaN lines) and does not throw", () => {
    const bad: Span = {
      file: "x.flow",
      start: { line: NaN, column: NaN, offset: NaN },
      end: { line: NaN, column: NaN, offset: NaN },
    };
    assert.equal(
      renderDiagnostics([diag({ span: bad })], () => "abc"),
      "error[unknown-step]: unknown step `dispaly`\n --> x.flow\n",
    );
  });

  it("shows CRLF sources without carriage returns", () => {
    const source = "wait 1s\r\ndispaly 'x'\r\n";
    const d = diag({ span: span("c.flow", source.replace(/\r/g, ""), [2, 1], [2, 8]) });
    assert.equal(renderDiagnostics([d], () => source).split("\n")[3], "2 | dispaly 'x'");
  });

  it("colours only when asked", () => {
    const d = diag({ span: span("flows/tip.flow", TIP, [3, 5], [3, 12]) });
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    assert.doesNotMatch(renderDiagnostics([d], lookup), ansi);
    assert.match(renderDiagnostics([d], lookup, { color: true }), ansi);
  });

  it("renders nothing for no diagnostics", () => {
    assert.equal(renderDiagnostics([], lookup), "");
  });
});

describe("diagnosticsToJson", () => {
  it("prints the documented shape with every key, null hint and related locations", () => {
    const d: Diagnostic = {
      code: "nested-session",
      severity: "error",
      message: "m",
      span: span("a.flow", "abc\ndef", [2, 1], [2, 4]),
      related: [{ message: "outer", span: span("a.flow", "abc\ndef", [1, 1], [1, 2]) }],
    };
    assert.deepEqual(JSON.parse(diagnosticsToJson([d])), [
      {
        code: "nested-session",
        severity: "error",
        message: "m",
        hint: null,
        file: "a.flow",
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 4,
        offset: 4,
        endOffset: 7,
        related: [
          { message: "outer", file: "a.flow", line: 1, column: 1, endLine: 1, endColumn: 2, offset: 0, endOffset: 1 },
        ],
      },
    ]);
    assert.deepEqual(Object.keys(JSON.parse(diagnosticsToJson([d]))[0]), [
      "code",
      "severity",
      "message",
      "hint",
      "file",
      "line",
      "column",
      "endLine",
      "endColumn",
      "offset",
      "endOffset",
      "related",
    ]);
  });

  it("prints an empty array for no diagnostics", () => {
    assert.equal(diagnosticsToJson([]), "[]");
  });
});

describe("checkSummaryLine", () => {
  const s = span("x.flow", "x", [1, 1], [1, 2]);
  const error = diag({ span: s });
  const warning = diag({ span: s, severity: "warning" });
  it("counts errors and warnings rustc-style", () => {
    assert.equal(
      checkSummaryLine([error, error, error, warning], "x.flow"),
      "error: could not check `x.flow`: 3 errors, 1 warning",
    );
    assert.equal(checkSummaryLine([error], "x.flow"), "error: could not check `x.flow`: 1 error");
    assert.equal(checkSummaryLine([warning, warning], "x.flow"), "warning: `x.flow`: 2 warnings");
    assert.equal(checkSummaryLine([], "x.flow"), undefined);
  });
});
