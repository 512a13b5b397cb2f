import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-undefined-name", () => {
  it("reports an unknown name with a did-you-mean", () =>
    expectDiagnostic('input confirm "Split?" as split\nexpect <|spilt|> == true', "undefined-name", undefined, {
      hint: "did you mean `split`?",
    }));
  it("suggests capturing or declaring when nothing is close", () =>
    expectDiagnostic('display "Table ${<|table|>}"', "undefined-name", undefined, {
      hint: "declare `table` as a param",
    }));
  it("reports use before capture, relating the capture", () =>
    expectDiagnostic('expect <|split|> == true\ninput confirm "Split?" as split', "used-before-capture", undefined, {
      related: ["split"],
    }));
  it("reports a step that uses its own capture", () =>
    expectDiagnostic('input text "Was ${<|name|>}" as name', "used-before-capture"));
  it("knows captures made inside a session after the session", () =>
    expectNoDiagnostic('session waiting 5s < input confirm "Split?" as split >\nexpect split == true'));
  it("knows params everywhere", () => expectNoDiagnostic('param table\ndisplay "Table ${table}"'));
  it("reports a capture from one if branch used after the if", () =>
    expectDiagnostic('if true { input text "Note" as note }\ndisplay "${<|note|>}"', "maybe-uncaptured", undefined, {
      related: ["note"],
    }));
  it("accepts a capture made on both branches", () =>
    expectNoDiagnostic('if true { input text "A" as note } else { input text "B" as note }\ndisplay "${note}"'));
  it("accepts a capture used inside its own branch", () =>
    expectNoDiagnostic('if true { input text "Note" as note\ndisplay "${note}" }'));
  it("warns about a capture repeated on one path", () =>
    expectDiagnostic('input text "A" as x\ninput text "B" as <|x|>', "duplicate-capture", undefined, {
      severity: "warning",
      related: ["x"],
    }));
  it("warns about a capture named like a param", () =>
    expectDiagnostic('param x\ninput text "B" as <|x|>', "duplicate-capture", undefined, { message: "param" }));
  it("rejects a param declared twice", () => expectDiagnostic("param x\nparam <|x|>", "duplicate-param"));
  it("reports an unknown field of a payment with a did-you-mean", () =>
    expectDiagnostic('pay 1.00 EUR as payment\nexpect payment.<|reslt|> == "approved"', "unknown-field", undefined, {
      hint: "did you mean `result`?",
    }));
  it("reports a field on a yes/no answer", () =>
    expectDiagnostic('input confirm "Split?" as split\nexpect split.<|value|> == true', "unknown-field", undefined, {
      hint: "yes/no answer",
    }));
  it("reports a field on a field", () =>
    expectDiagnostic("pay 1.00 EUR as payment\nexpect payment.amount.<|minor|> == 1", "unknown-field"));
  it("accepts every payment field", () =>
    expectNoDiagnostic(
      'pay 1.00 EUR as p\ndisplay "${p.result} ${p.transactionId} ${p.amount} ${p.currency} ${p.declineReason} ${p.errorCondition}"',
    ));

  describe("loops", () => {
    it("knows a loop's item inside the loop only", () => {
      expectNoDiagnostic("param total = 10.00 EUR\nfor share in split(total, 2) { pay share }");
      expectDiagnostic(
        "param total = 10.00 EUR\nfor share in split(total, 2) { pay share }\npay <|share|>",
        "undefined-name",
      );
    });
    it("knows what a loop over a split captures after it (a split has one share or more)", () =>
      expectNoDiagnostic('for share in split(10.00 EUR, 2) { pay share as p }\nexpect p.result == "approved"'));
    it("knows what a loop that may not run captures after it only maybe", () => {
      expectDiagnostic(
        'param n = 2\nrepeat n times { pay 1.00 EUR as p }\nexpect <|p|>.result == "approved"',
        "maybe-uncaptured",
      );
      expectDiagnostic(
        'param n = 2\nfor i in 1..n { pay 1.00 EUR as p }\nexpect <|p|>.result == "approved"',
        "maybe-uncaptured",
      );
      expectNoDiagnostic('repeat 2 times { pay 1.00 EUR as p }\nexpect p.result == "approved"');
    });
    it("refuses a loop's item named like a param or capture", () =>
      expectDiagnostic("param share = 1.00 EUR\nfor <|share|> in split(share, 2) { pay share }", "duplicate-name"));
  });
});
