/** Control characters shown as visible characters, one for one (issue 8, item 7). */
import assert from "node:assert/strict";
import pc from "picocolors";
import { printable, terminalText } from "../../protocol/index.js";

describe("protocol/printable", () => {
  it("shows C0 controls and DEL as control pictures, C1 and bidi controls as �", () =>
    assert.equal(printable("a\u001b[2Jb\u0007c\rd\u007fe\u009bf\u202eg"), "a␛[2Jb␇c␍d␡e�f�g"));
  it("keeps a name on one line, a text's newlines and tabs with `lines`", () => {
    assert.equal(printable("x\ny\tz"), "x␊y␉z");
    assert.equal(printable("x\ny\tz\r", { lines: true }), "x\ny\tz␍");
  });
  it("keeps every character in its column", () => {
    const text = "a\u001b\u0000\u009b\u202eb";
    assert.equal(printable(text).length, text.length);
  });
  it("lets termflow's own colours through when colour is on, and nothing else", () => {
    const c = pc.createColors(true);
    const own = `${c.bold(c.red("error"))}: ${c.dim("x")} ${c.green("✓")} ${c.yellow("!")} ${c.cyan("→")} ${c.blue("|")}`;
    assert.equal(terminalText(own, true), own);
    assert.equal(terminalText(own, false), own.replace(/\u001b/g, "␛"));
    assert.equal(terminalText("t\u001b]0;title\u0007 \u001b[8mhidden\u001b[1A\r", true), "t␛]0;title␇ ␛[8mhidden␛[1A␍");
  });
});
