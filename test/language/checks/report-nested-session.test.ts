import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-nested-session", () => {
  it("reports a session directly inside a session, at the inner one", () =>
    expectDiagnostic(
      "session waiting 5s < session waiting 1s < wait 1s > >",
      "nested-session",
      "<|session waiting 1s ...|>",
      {
        severity: "error",
        related: ["<|session waiting 5s ...|>"],
      },
    ));
  it("marks the exact inner span", () =>
    expectDiagnostic("session waiting 5s < <|session waiting 1s < wait 1s >|> >", "nested-session"));
  it("reports a session inside an if inside a session", () =>
    expectDiagnostic('session waiting 5s < if true { <|session waiting 1s < display "x" >|> } >', "nested-session"));
  it("relates a doubly nested session to the nearest outer one", () =>
    expectDiagnostic(
      "session waiting 5s < session waiting 2s < session waiting 1s < wait 1s > > >",
      "nested-session",
      "<|session waiting 1s ...|>",
      {
        related: ["<|session waiting 2s ...|>"],
      },
    ));
  it("accepts sessions one after another", () =>
    expectNoDiagnostic('session waiting 5s < display "a" >\nsession waiting 5s < display "b" >', "nested-session"));
  it("accepts a session inside an if at top level", () =>
    expectNoDiagnostic('if true { session waiting 5s < display "a" > }', "nested-session"));
});
