import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-amount-range", () => {
  it("rejects a payment of zero", () =>
    expectDiagnostic("pay <|0.00|> EUR", "amount-out-of-range", undefined, { message: "zero" }));
  it("rejects an amount beyond exact minor units", () =>
    expectDiagnostic("pay <|90071992547409.92|> EUR", "amount-out-of-range", undefined, { message: "too large" }));
  it("rejects a huge tip", () =>
    expectDiagnostic("pay 1 EUR tip <|99999999999999999|>", "amount-out-of-range", undefined, { message: "tip" }));
  it("accepts the largest exact amount and a zero tip", () => expectNoDiagnostic("pay 90071992547409.91 EUR tip 0"));
});
