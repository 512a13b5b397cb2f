import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-expression-types", () => {
  it("rejects comparing a string with a number", () => expectDiagnostic('expect <|"a" == 1|>', "type-mismatch"));
  it("rejects a payment amount compared with a string", () =>
    expectDiagnostic('pay 1.00 EUR as p\nexpect <|p.amount == "1.00"|>', "type-mismatch", undefined, {
      message: "cannot compare an amount in EUR with a string",
    }));
  it("rejects a pay of a number, with the amount written out in the hint", () =>
    expectDiagnostic("pay <|12.50|>", "type-mismatch", undefined, {
      message: "`pay` needs an amount, but `12.50` is a number",
      hint: "`12.50 EUR`",
    }));
  it("rejects a number added to an amount, and a percentage added to one with the product to write", () => {
    expectDiagnostic("pay <|1.00 EUR + 2|>", "type-mismatch", undefined, {
      message: "cannot add a number to an amount",
    });
    expectDiagnostic("param total = 10.00 EUR\npay <|total + 10%|>", "type-mismatch", undefined, {
      hint: "`total * 110%`",
    });
  });
  it("rejects two amounts multiplied", () =>
    expectDiagnostic("pay <|1.00 EUR * 2.00 EUR|>", "type-mismatch", undefined, { hint: "`total * 10%`" }));
  it("rejects a list where an amount goes, with the loop to write", () =>
    expectDiagnostic("pay <|split(10.00 EUR, 2)|>", "type-mismatch", undefined, { hint: "for share in" }));
  it("rejects `<` on booleans", () =>
    expectDiagnostic('input confirm "Split?" as split\nexpect <|split|> < true', "type-mismatch", undefined, {
      hint: "`==`",
    }));
  it("rejects `and` on a number", () => expectDiagnostic("expect true and <|1|>", "type-mismatch"));
  it("rejects `not` on a string", () => expectDiagnostic('expect <|not "x"|>', "type-mismatch"));
  it("rejects a non-boolean condition", () =>
    expectDiagnostic("pay 1.00 EUR as p\nexpect <|p.amount|>", "condition-not-boolean", undefined, {
      message: "`expect` needs",
    }));
  it("rejects a non-boolean if condition", () => expectDiagnostic('if <|"yes"|> { wait 1s }', "condition-not-boolean"));
  it("rejects a whole payment in text", () =>
    expectDiagnostic('pay 1.00 EUR as p\ndisplay "${<|p|>}"', "type-mismatch"));
  it("warns about a value a field never has", () =>
    expectDiagnostic('pay 1.00 EUR as p\nexpect p.result == <|"aproved"|>', "impossible-value", undefined, {
      hint: "did you mean `approved`?",
    }));
  it("types params by their default", () => expectDiagnostic('param n = 2\nexpect <|n == "2"|>', "type-mismatch"));
  it("leaves params without default untyped", () => expectNoDiagnostic('param n\nexpect n == 2 and n == "2"'));
  it("accepts well-typed expressions", () =>
    expectNoDiagnostic(
      'input confirm "Split?" as split\ninput amount "How much?" as part\n' +
        'pay 1.00 EUR as p\nexpect not split or part > 0.00 EUR and p.result != "declined" and -p.amount < 0.00 EUR',
    ));
  it("types arithmetic: amounts by numbers and percentages, amounts by amounts, numbers", () =>
    expectNoDiagnostic(
      "param total = 100.00 EUR\nparam guests = 3\npay total / guests tip total * 10%\n" +
        "expect total / 4.00 EUR > 2 and (guests + 1) * 2 == 8\nexpect number(string(guests)) == 3",
    ));
});
