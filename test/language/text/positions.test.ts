import assert from "node:assert/strict";
import { LineIndex } from "../../../language/text/positions.js";

const lines = (source: string) => new LineIndex(source, "s.flow");

describe("line index", () => {
  it("maps offsets to 1-based lines and columns", () =>
    assert.deepEqual(lines("ab\ncd").position(4), { line: 2, column: 2, offset: 4 }));
  it("treats \\r\\n and \\r as one line end each", () =>
    assert.deepEqual([lines("a\r\nb\rc").position(3).line, lines("a\r\nb\rc").position(5).line], [2, 3]));
  it("clamps offsets into the file", () =>
    assert.deepEqual(
      [lines("ab").position(-5).offset, lines("ab").position(99).offset, lines("ab").position(Number.NaN).offset],
      [0, 2, 0],
    ));
  it("answers offsets asked in any order, forwards, backwards and across lines", () => {
    const source = "a\nbc\r\n\rdef\n\nx";
    // Line starts by hand: after each \n, \r\n and lone \r.
    const starts = [0, 2, 6, 7, 11, 12];
    const index = lines(source);
    for (const offset of [0, 1, 2, 3, 5, 6, 7, 8, 11, 12, 13, 2, 0, 13, 9, 4, 10, 1, 12, 3, 7, 6]) {
      const line = starts.filter((start) => start <= offset).length;
      const want = { line, column: offset - starts[line - 1] + 1, offset };
      assert.deepEqual(index.position(offset), want, `offset ${offset}`);
    }
  });
  it("never makes a span end before it starts", () => assert.equal(lines("abc").span(2, 1).end.offset, 2));
});
