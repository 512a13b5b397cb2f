import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { formatFlowText } from "../../../language/text/format-text.js";
import { fromRoot } from "../../support/paths.js";
import { FILE } from "./helpers.js";

/** The formatter's output for lines of source (joined with \n), as lines. */
const fmt = (...lines: string[]) => {
  const result = formatFlowText(lines.join("\n"), FILE);
  assert.ok(result.output !== undefined, JSON.stringify(result.diagnostics));
  return result.output.split("\n").slice(0, -1);
};

describe("mini-language formatter", () => {
  it("keeps an own-line comment before its statement", () =>
    assert.deepEqual(fmt("# pay now", "pay 1 EUR"), ["# pay now", "pay 1 EUR"]));
  it("keeps a trailing comment on its statement's line", () =>
    assert.deepEqual(fmt("wait 1;   wait 2 # then"), ["wait 1", "wait 2  # then"]));
  it("keeps a trailing comment after `;`", () =>
    assert.deepEqual(fmt("wait 1; # first", "wait 2"), ["wait 1  # first", "wait 2"]));
  it("indents comments inside blocks", () =>
    assert.deepEqual(fmt("session waiting 5s < # open", "# inside", "wait 1", "# last", "> # close"), [
      "session waiting 5s <  # open",
      "  # inside",
      "  wait 1",
      "  # last",
      ">  # close",
    ]));
  it("keeps a comment in an empty block inside it", () =>
    assert.deepEqual(fmt("if a {", "# nothing yet", "}"), ["if a {", "  # nothing yet", "}"]));
  it("keeps comments around else", () =>
    assert.deepEqual(fmt("if a { wait 1 # one", "} else { # other", "wait 2 }"), [
      "if a {",
      "  wait 1  # one",
      "} else {  # other",
      "  wait 2",
      "}",
    ]));
  it("keeps a comment at the end of the file", () =>
    assert.deepEqual(fmt("wait 1", "", "", "# bye"), ["wait 1", "", "# bye"]));
  it("keeps one blank line where there were several", () =>
    assert.deepEqual(fmt("wait 1", "", "", "", "wait 2"), ["wait 1", "", "wait 2"]));
  it("drops blank lines just inside a block", () =>
    assert.deepEqual(fmt("session waiting 1s <", "", "wait 1", "", ">"), ["session waiting 1s <", "  wait 1", ">"]));
  it("separates the header from the steps with one blank line", () =>
    assert.deepEqual(fmt('flow "A"', "# first step", "wait 1"), ['flow "A"', "", "# first step", "wait 1"]));
  it("normalises spacing and indentation", () =>
    assert.deepEqual(fmt("   pay   12.50   EUR  as  p"), ["pay 12.50 EUR as p"]));
  it("writes \\n line ends", () =>
    assert.equal(formatFlowText("wait 1\r\nwait 2\r\n", FILE).output, "wait 1\nwait 2\n"));

  it("refuses a file with errors, with the diagnostics", () => {
    const result = formatFlowText('dispaly "x"', FILE);
    assert.equal(result.output, undefined);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ["unknown-step"],
    );
  });

  it("is idempotent on every example flow", () => {
    const files = readdirSync(fromRoot("flows")).filter((f) => f.endsWith(".flow"));
    assert.ok(files.length > 0);
    for (const file of files) {
      const once = formatFlowText(readFileSync(fromRoot("flows", file), "utf8"), file).output;
      assert.ok(once !== undefined, file);
      assert.equal(formatFlowText(once, file).output, once, file);
    }
  });

  it("is idempotent with comments everywhere", () => {
    const source = [
      "# top",
      "",
      'flow "x" # name',
      "# before param",
      "param a = 1",
      "",
      "",
      "session waiting 5s # header",
      "< # open",
      "  # inside",
      '  display "a"; display "b" # b',
      "",
      "",
      "  # before wait",
      "  wait 1s",
      "  # end",
      ">   # close",
      "if a == 1 {",
      '  display "x"',
      "  # end of then",
      "} # after then",
      "# before else",
      "else { # else",
      "}",
      "# final",
    ].join("\n");
    const once = formatFlowText(source, FILE).output!;
    assert.equal(formatFlowText(once, FILE).output, once);
    for (const comment of source.match(/#[^\n]*/g) ?? []) assert.ok(once.includes(comment.trimEnd()), comment);
  });
});
