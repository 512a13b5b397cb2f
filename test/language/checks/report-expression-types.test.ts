import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-expression-types", () => {
  it("rejects comparing a string with a number", () => expectDiagnostic('expect <|"a" == 1|>', "type-mismatch"));
  it("rejects a payment amount compared with a string", () =>
    expectDiagnostic('pay 1.00 EUR as p\nexpect <|p.amount == "1.00"|>', "type-mismatch", undefined, {
      message: "cannot compare a number with a string",
    }));
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
      'input confirm "Split?" as split\ninput amount "How much?" as part\npay 1.00 EUR as p\nexpect not split or part > 0 and p.result != "declined" and -p.amount < 0',
    ));
});
