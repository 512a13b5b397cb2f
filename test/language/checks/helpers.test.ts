import assert from "node:assert/strict";
import { expectDiagnostic, expectNoDiagnostic, stripMarkers } from "./helpers.js";

describe("check test helpers", () => {
  it("strip markers and record the ranges", () => {
    assert.deepEqual(stripMarkers("pay <|12.345|> <|EUR|>"), {
      source: "pay 12.345 EUR",
      ranges: [
        { start: 4, end: 10 },
        { start: 11, end: 14 },
      ],
    });
  });
  it("fail when the diagnostic is elsewhere, absent, or differently worded", () => {
    assert.throws(() => expectDiagnostic("pay 12.345 <|EUR|>", "amount-precision"));
    assert.throws(() => expectDiagnostic("pay <|12.34|> EUR", "amount-precision"));
    assert.throws(() =>
      expectDiagnostic("pay <|12.345|> EUR", "amount-precision", undefined, { hint: "no such hint" }),
    );
    assert.throws(() => expectNoDiagnostic("pay 12.345 EUR"));
  });
  it("refuse sources with syntax errors", () => {
    assert.throws(() => expectNoDiagnostic("pay 12.34 EUR >>"), /must parse cleanly/);
  });
});
