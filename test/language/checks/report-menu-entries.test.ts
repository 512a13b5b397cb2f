import { expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

const entries = (n: number): string => Array.from({ length: n }, (_, i) => `"E${i + 1}"`).join(", ");

describe("report-menu-entries", () => {
  it("rejects an empty menu", () =>
    expectDiagnostic('<|input menu "Rate us" []|>', "menu-empty", undefined, { severity: "error" }));
  it("rejects 16 entries, pointing at the 16th", () =>
    expectDiagnostic(`input menu "Pick" [${entries(16)}]`, "menu-too-long", '"E16"', {
      message: "16 entries",
      hint: "remove 1 entry",
    }));
  it("accepts 15 entries", () => expectNoDiagnostic(`input menu "Pick" [${entries(15)}]`));
  it("warns about a repeated entry, relating the first", () =>
    expectDiagnostic('input menu "Rate" ["Good", "Bad", <|"Good"|>]', "menu-duplicate-entry", undefined, {
      severity: "warning",
      related: ['"Good"'],
    }));
  it("rejects a blank entry", () => expectDiagnostic('input menu "Rate" ["Good", <|" "|>]', "menu-empty-entry"));
});
