import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-duplicate-session-id", () => {
  it("reports the second use of an id, relating the first", () =>
    expectDiagnostic(
      'session waiting 5s id "S1" < display "a" >\nsession waiting 5s id <|"S1"|> < display "b" >',
      "duplicate-session-id",
      undefined,
      {
        severity: "error",
        related: ['"S1"'],
      },
    ));
  it("accepts different ids", () =>
    expectNoDiagnostic('session waiting 5s id "S1" < display "a" >\nsession waiting 5s id "S2" < display "b" >'));
  it("accepts sessions without ids", () =>
    expectNoDiagnostic('session waiting 5s < display "a" >\nsession waiting 5s < display "b" >'));
});
