import assert from "node:assert/strict";
import fc from "fast-check";
import { LineIndex } from "../../../language/text/positions.js";
import { quoteTemplate, quoteText, readString } from "../../../language/text/strings.js";
import { templateArb, textArb } from "../../support/arbitrary-flow.js";

const lines = (source: string) => new LineIndex(source, "s.flow");
const read = (literal: string, interpolate = true) => readString(literal, 0, interpolate, lines(literal));

describe("mini-language strings", () => {
  it("quotes any text so it reads back the same", () =>
    fc.assert(fc.property(textArb, (text) => assert.equal(read(quoteText(text), false).value, text))));
  it("quotes any template so its parts read back the same", () =>
    fc.assert(
      fc.property(templateArb, (t) => {
        const back = read(quoteTemplate(t.parts));
        assert.deepEqual(
          JSON.parse(JSON.stringify(back.parts, (k, v) => (k === "span" ? undefined : v))),
          JSON.parse(JSON.stringify(t.parts, (k, v) => (k === "span" ? undefined : v))),
        );
        assert.deepEqual(back.problems, []);
      }),
    ));
  it("escapes `${` only where it would interpolate", () => assert.equal(quoteText("$a ${b} $"), '"$a \\${b} $"'));
  it("reads a string whose closing quote is missing", () => assert.equal(read('"abc').value, "abc"));
  it("keeps an escaped quote at the end of an unclosed string", () => assert.equal(read('"abc\\"').value, 'abc"'));
  it("places an interpolation's reference at its source offset", () => {
    const part = read('"ab ${x.y}"').parts[1];
    assert.ok(part.kind === "interpolation");
    assert.deepEqual(
      [part.ref.span.start.offset, part.ref.span.end.offset, part.ref.fields[0].span.start.offset],
      [6, 9, 8],
    );
  });
  it("reports an unknown escape where it is", () =>
    assert.deepEqual(
      read('"a\\qb"').problems.map((p) => [p.code, p.start, p.end]),
      [["bad-escape", 2, 4]],
    ));
});
