import assert from "node:assert/strict";
import type { Flow, Step } from "../../../language/ast.js";
import { checkFlow } from "../../../language/checks/index.js";
import type { Diagnostic } from "../../../language/diagnostic.js";
import { bin, display, expect, flow, ifStep, input, num, pay, ref, session, str, wait } from "./build-ast.js";

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => d.code);

describe("checkFlow on hand-built ASTs", () => {
  it("finds nothing wrong with a sound flow", () => {
    const f = flow([
      session("5s", [
        input("confirm", "Split?", { as: "split" }),
        display("Thanks"),
        pay("12.50", "EUR", { as: "payment" }),
      ]),
      expect(bin(ref("payment.result"), "==", str("approved"))),
      ifStep(ref("split"), [display("Splitting ${payment.amount}")]),
    ]);
    assert.deepEqual(checkFlow(f), []);
  });

  it("points the nested-session error at the inner session, with the outer one as related", () => {
    const inner = session("1s", [wait("1s")]);
    const outer = session("5s", [inner]);
    const [d] = checkFlow(flow([outer])).filter((x) => x.code === "nested-session");
    assert.equal(d.span, inner.span);
    assert.equal(d.related?.[0].span, outer.span);
  });

  it("reports diagnostics of several passes sorted by position", () => {
    const f = flow([pay("1.234", "ERU"), expect(ref("missing")), session("0", [])]);
    const ds = checkFlow(f);
    const offsets = ds.map((d) => d.span.start.offset);
    assert.deepEqual(
      offsets,
      [...offsets].sort((a, b) => a - b),
    );
    assert.deepEqual(
      new Set(codes(ds)),
      new Set(["unknown-currency", "undefined-name", "duration-out-of-range", "empty-session"]),
    );
  });

  it("never throws, even on malformed ASTs no front end makes (a pass that trips is an internal-error)", () => {
    const holes = [
      { kind: "flow", span: undefined } as unknown as Flow,
      flow([{ kind: "session", span: undefined } as unknown as Step]),
      flow([{ kind: "pay" } as unknown as Step, { kind: "input", input: "menu" } as unknown as Step]),
      flow([{ kind: "if", condition: { kind: "binary", operator: "<" } } as unknown as Step]),
      flow([{ kind: "expect", condition: { kind: "reference", name: {} } } as unknown as Step]),
      flow([{ kind: "display", content: { kind: "text" }, for: { kind: "duration" } } as unknown as Step]),
      flow([null as unknown as Step, { kind: "session", waiting: [null], steps: [undefined] } as unknown as Step]),
      flow([
        {
          kind: "input",
          input: "confirm",
          as: { kind: "identifier" },
          prompt: { parts: [{ kind: "interpolation" }] },
        } as unknown as Step,
      ]),
      flow([], [{ kind: "param" } as never]),
    ];
    for (const f of holes) {
      const ds = checkFlow(f);
      assert.ok(Array.isArray(ds) && ds.every((d) => typeof d.code === "string" && d.message), JSON.stringify(ds));
    }
  });

  it("turns a crashing pass into one internal-error diagnostic instead of throwing", () => {
    const crashing = function reportBoom(): void {
      throw new Error("boom");
    };
    const ds = checkFlow(flow([]), { passes: [crashing] });
    assert.deepEqual(codes(ds), ["internal-error"]);
    assert.match(ds[0].message, /reportBoom.*boom/);
  });

  it("does not confuse captures in exclusive branches with duplicates, and knows both-branch captures", () => {
    const f = flow([
      ifStep(bin(num(1), "<", num(2)), [input("text", "a", { as: "note" })], [input("text", "b", { as: "note" })]),
      display("${note}"),
    ]);
    assert.deepEqual(checkFlow(f), []);
  });
});
