import assert from "node:assert/strict";
import { check, expectDiagnostic, expectNoDiagnostic } from "./helpers.js";

describe("report-duration-range", () => {
  it("rejects a zero waiting-screen timeout", () =>
    expectDiagnostic('session waiting <|0|> < display "x" >', "duration-out-of-range", undefined, {
      message: "cannot be zero",
    }));
  it("rejects a waiting-screen timeout over 600 s", () =>
    expectDiagnostic('session waiting <|601s|> < display "x" >', "duration-out-of-range", undefined, {
      hint: "between 1ms and 600s",
    }));
  it("checks each per-type timeout", () =>
    expectDiagnostic('session waiting input 15000, display <|700000|> < display "x" >', "duration-out-of-range"));
  it("accepts the bounds of a waiting-screen timeout", () =>
    expectNoDiagnostic('session waiting 1ms < display "x" >\nsession waiting 600000 < display "y" >'));
  it("rejects `within` below 1 s", () =>
    expectDiagnostic('input digits "PIN" within <|500ms|>', "duration-out-of-range", undefined, {
      message: "too short",
    }));
  it("rejects `within` over 600 s", () =>
    expectDiagnostic('input digits "PIN" within <|601s|>', "duration-out-of-range", undefined, {
      message: "too long",
    }));
  it("rejects `within` that is not whole seconds", () =>
    expectDiagnostic('input digits "PIN" within <|1500ms|>', "duration-not-whole-seconds", undefined, {
      hint: "`1s` or `2s`",
    }));
  it("rejects `within 0`", () =>
    expectDiagnostic('input digits "PIN" within <|0s|>', "duration-out-of-range", undefined, {
      hint: "leave `within` out",
    }));
  it("accepts `within` in range", () =>
    expectNoDiagnostic('input digits "PIN" within 30s\ninput digits "PIN" within 600s'));
  it("rejects a display time over 600 s", () => expectDiagnostic('display "x" for <|601s|>', "duration-out-of-range"));
  it("rejects a display time that is not whole seconds", () =>
    expectDiagnostic('display "x" for <|2500|>', "duration-not-whole-seconds"));
  it("rejects `wait 0`", () =>
    expectDiagnostic("wait <|0|>", "duration-out-of-range", undefined, { hint: "remove the `wait` step" }));
  it("rejects a wait over an hour", () => expectDiagnostic("wait <|3600001|>", "duration-out-of-range"));
  it("accepts a wait of exactly an hour and of 1 ms", () => expectNoDiagnostic("wait 3600s\nwait 1ms"));
});

describe("report-duration-range, shared timeouts", () => {
  it("reports a zero timeout shared by all request types once", () => {
    const ds = check('session waiting 0 < display "x" >').filter((d) => d.code === "duration-out-of-range");
    assert.equal(ds.length, 1);
  });
});
