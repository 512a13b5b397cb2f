import assert from "node:assert/strict";
import fc from "fast-check";
import { stripSpans, type Span } from "../../../language/ast.js";
import type { Diagnostic } from "../../../language/diagnostic.js";
import { formatFlowText } from "../../../language/text/format-text.js";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { LineIndex } from "../../../language/text/positions.js";
import { printFlowText } from "../../../language/text/print-text.js";
import { flowArb } from "../../support/arbitrary-flow.js";
import { mutate, spansIn } from "../../support/fuzz.js";

const FILE = "random.flow";

/** A span lies in the file, ends after it starts, and its lines and columns match its offsets. */
function assertSpanInside(span: Span, source: string): void {
  const lines = new LineIndex(source, FILE);
  assert.equal(span.file, FILE);
  assert.ok(
    span.start.offset >= 0 && span.start.offset <= source.length,
    `start ${span.start.offset} outside 0..${source.length}`,
  );
  assert.ok(span.end.offset >= span.start.offset && span.end.offset <= source.length, `end ${span.end.offset} outside`);
  assert.deepEqual(span.start, lines.position(span.start.offset));
  assert.deepEqual(span.end, lines.position(span.end.offset));
}

function assertWellFormed(source: string): Diagnostic[] {
  const result = parseFlowText(source, FILE);
  for (const d of result.diagnostics) {
    assert.ok(d.code && d.message, "every diagnostic has a code and a message");
    assert.notEqual(d.code, "internal-error", `internal error on ${JSON.stringify(source)}: ${d.hint}`);
  }
  for (const span of spansIn(result)) assertSpanInside(span, source);
  return result.diagnostics;
}

/** Delete, insert or swap characters, several times. */
const mutationsArb = fc.array(
  fc.tuple(
    fc.constantFrom("delete", "insert", "swap"),
    fc.nat(),
    fc.constantFrom(..." \n;<>{}[]()\"\\$#=!.,-_0123456789aeisxyz@'\t\r"),
  ),
  { minLength: 1, maxLength: 5 },
);

/** Token-like pieces, so random text often gets past the lexer and into the parser. */
const SOUP = [
  ..." \n;<>{}[]()\"\\$#=!.,-0123456789@'\t",
  "session ",
  "waiting ",
  "input ",
  "display ",
  "pay ",
  "expect ",
  "if ",
  "else ",
  "as ",
  "5s ",
  "EUR ",
  "x ",
];

describe("mini-language properties", () => {
  it("random AST -> printFlowText -> parseFlowText gives the same AST, with no diagnostics", () => {
    fc.assert(
      fc.property(flowArb, (flow) => {
        const text = printFlowText(flow);
        const parsed = parseFlowText(text, FILE);
        assert.deepEqual(parsed.diagnostics, [], text);
        assert.deepEqual(stripSpans(parsed.flow), stripSpans(flow), text);
      }),
      { numRuns: 300 },
    );
  });

  it("formatting a printed random flow is the identity, and so is formatting twice", () => {
    fc.assert(
      fc.property(flowArb, (flow) => {
        const text = printFlowText(flow);
        assert.equal(formatFlowText(text, FILE).output, text);
      }),
      { numRuns: 150 },
    );
  });

  it("random strings give diagnostics only: no throw, every span inside the file", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...SOUP), maxLength: 40 }), (source) => {
        assertWellFormed(source);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (source) => void assertWellFormed(source)),
      { numRuns: 150 },
    );
  });

  it("mutated valid flows give diagnostics only: no throw, every span inside the file", () => {
    fc.assert(
      fc.property(flowArb, mutationsArb, (flow, mutations) => {
        assertWellFormed(mutate(printFlowText(flow), mutations));
      }),
      { numRuns: 400 },
    );
  });

  it("formatting a mutated flow either refuses with errors or gives a fixpoint", () => {
    fc.assert(
      fc.property(flowArb, mutationsArb, (flow, mutations) => {
        const source = mutate(printFlowText(flow), mutations);
        const once = formatFlowText(source, FILE);
        if (once.output === undefined) {
          assert.ok(once.diagnostics.some((d) => d.severity === "error"));
          return;
        }
        assert.equal(formatFlowText(once.output, FILE).output, once.output);
        assert.deepEqual(
          stripSpans(parseFlowText(once.output, FILE).flow),
          stripSpans(parseFlowText(source, FILE).flow),
        );
      }),
      { numRuns: 300 },
    );
  });
});
