import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-amount-precision", () => {
  it("rejects 12.345 EUR, naming EUR's minor units", () =>
    expectDiagnostic("pay <|12.345|> EUR", "amount-precision", undefined, { message: "EUR has 2 minor units" }));
  it("rejects 1.5 JPY: JPY has no minor units", () =>
    expectDiagnostic("pay <|1.5|> JPY", "amount-precision", undefined, {
      message: "JPY has no minor units",
      hint: "whole numbers",
    }));
  it("rejects 1.2345 KWD", () =>
    expectDiagnostic("pay <|1.2345|> KWD", "amount-precision", undefined, { message: "KWD has 3 minor units" }));
  it("suggests dropping extra zeros", () =>
    expectDiagnostic("pay <|12.500|> EUR", "amount-precision", undefined, { hint: "write `12.50 EUR`" }));
  it("checks the tip against the payment's currency", () =>
    expectDiagnostic("pay 500 JPY tip <|0.5|> JPY", "amount-precision", undefined, {
      message: "tip `0.5 JPY`",
      hint: "JPY amounts are whole numbers",
    }));
  it("checks amounts wherever they are written: expressions and param defaults", () => {
    expectDiagnostic("param total = <|1.005|> EUR\npay total", "amount-precision");
    expectDiagnostic("param total: money\nif total > <|0.001|> EUR { pay total }", "amount-precision");
  });
  it("accepts fewer decimals than the currency has", () =>
    expectNoDiagnostic("pay 12.5 EUR tip 1 EUR\npay 1.25 KWD\npay 500 JPY"));
  it("leaves unknown currencies to report-unknown-currency", () =>
    expectNoDiagnostic("pay 12.345 ERU", "amount-precision"));
});
