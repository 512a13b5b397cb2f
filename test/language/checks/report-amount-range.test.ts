import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-amount-range", () => {
  it("rejects a payment of zero", () =>
    expectDiagnostic("pay <|0.00 EUR|>", "amount-out-of-range", undefined, { message: "zero" }));
  it("rejects a payment computed to zero or less, where it is known", () => {
    expectDiagnostic("pay <|10.00 EUR - 10.00 EUR|>", "amount-out-of-range", undefined, {
      message: "cannot pay 0.00 EUR (`10.00 EUR - 10.00 EUR`): the amount is zero",
    });
    expectDiagnostic("pay <|-5.00 EUR|>", "amount-out-of-range", undefined, { message: "negative" });
    expectDiagnostic("pay 5.00 EUR tip <|1.00 EUR - 2.00 EUR|>", "amount-out-of-range", undefined, {
      message: "the tip -1.00 EUR",
    });
  });
  it("leaves amounts known only at run time to the run", () =>
    expectNoDiagnostic("param total: money\npay total - 5.00 EUR", "amount-out-of-range"));
  it("rejects an amount beyond exact minor units", () =>
    expectDiagnostic("pay <|90071992547409.92|> EUR", "amount-out-of-range", undefined, { message: "too large" }));
  it("rejects a huge tip", () =>
    expectDiagnostic("pay 1 EUR tip <|99999999999999999|> EUR", "amount-out-of-range", undefined, {
      message: "too large",
    }));
  it("rejects a result too large to hold exactly", () =>
    expectDiagnostic("pay <|90071992547409.91 EUR * 2|>", "amount-out-of-range", undefined, {
      message: "the result is too large to hold exactly",
    }));
  it("accepts the largest exact amount and a zero tip", () =>
    expectNoDiagnostic("pay 90071992547409.91 EUR tip 0 EUR"));
});
