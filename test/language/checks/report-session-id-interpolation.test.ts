import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-session-id-interpolation", () => {
  it("reports `${...}` in a session id, which would be sent literally", () =>
    expectDiagnostic(
      'param order\nsession waiting 5s id <|"coffee-${order}"|> < display "a" >',
      "session-id-interpolation",
      undefined,
      {
        severity: "error",
        message: "session ids are plain text and do not interpolate",
        hint: "leave `id` out",
      },
    ));
  it("accepts a plain session id", () => expectNoDiagnostic('session waiting 5s id "coffee-12" < display "a" >'));
  it("accepts a `$` that is not a placeholder", () =>
    expectNoDiagnostic('session waiting 5s id "cost-$5" < display "a" >'));
});
