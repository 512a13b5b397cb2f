import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-empty-session", () => {
  it("warns about a session with no steps", () =>
    expectDiagnostic("<|session waiting 5s < >|>", "empty-session", undefined, {
      severity: "warning",
      message: "no steps",
    }));
  it("warns about a session that sends no request", () =>
    expectDiagnostic("<|session waiting 5s < wait 1s; expect true >|>", "empty-session", undefined, {
      message: "no request",
    }));
  it("counts a request inside an if", () => expectNoDiagnostic('session waiting 5s < if true { display "x" } >'));
  it("accepts a session with a payment", () => expectNoDiagnostic("session waiting 5s < pay 1.00 EUR >"));
});
