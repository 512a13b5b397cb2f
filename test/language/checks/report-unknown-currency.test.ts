import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-unknown-currency", () => {
  it("suggests EUR for ERU", () =>
    expectDiagnostic("pay 12.50 <|ERU|>", "unknown-currency", undefined, { hint: "did you mean `EUR`?" }));
  it("hints at upper case for eur", () =>
    expectDiagnostic("pay 12.50 <|eur|>", "unknown-currency", undefined, { hint: "write `EUR`" }));
  it("names examples when nothing is close", () =>
    expectDiagnostic("pay 12.50 <|QQQQ|>", "unknown-currency", undefined, { hint: "ISO 4217" }));
  it("accepts known codes", () => expectNoDiagnostic("pay 12.50 EUR\npay 500 JPY\npay 1.250 KWD"));
});
