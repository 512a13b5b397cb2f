import assert from "node:assert/strict";
import { parseFlowText } from "../../../language/text/parse-text.js";
import type { Expression } from "../../../language/ast.js";
import { ast, FILE, marked, step, tree } from "./helpers.js";

const screens = (source: string) => {
  const s = step(`${source} < >`);
  return s.kind === "session" ? s.waiting.map((w) => `${w.request}=${w.timeout.text}`) : [];
};
const durationOf = (text: string) => {
  const s = step(`wait ${text}`);
  return s.kind === "wait" ? s.duration.ms : undefined;
};
const minor = (source: string) => {
  const s = step(`pay ${source}`);
  const minorOf = (e: Expression | undefined) => (e?.kind === "money" ? e.amount.minor : undefined);
  return s.kind === "pay" ? [minorOf(s.amount), minorOf(s.tip)] : [];
};
const parts = (literal: string) => {
  const s = step(`display ${literal}`);
  return s.kind === "display" && s.content.kind === "text" ? s.content.text : undefined;
};

describe("mini-language AST building (drafts)", () => {
  describe("flow header", () => {
    it("reads the flow name", () =>
      assert.deepEqual(ast('flow "Pay at table"').name, { kind: "string", value: "Pay at table" }));
    it("reads params with and without defaults", () =>
      assert.deepEqual(
        ast('param a\nparam b = "x"\nparam c = -2.5\nparam d = true').params.map((p) => [p.name.name, p.default]),
        [
          ["a", undefined],
          [
            "b",
            { kind: "string-literal", value: { kind: "template", value: "x", parts: [{ kind: "text", value: "x" }] } },
          ],
          ["c", { kind: "number", value: -2.5, text: "-2.5" }],
          ["d", { kind: "boolean", value: true }],
        ],
      ));
    it("has no name and no params when none are written", () =>
      assert.deepEqual(ast("wait 1s"), { kind: "flow", params: [], steps: [step("wait 1s")] }));
  });

  describe("session", () => {
    it("waits on every request type by default", () =>
      assert.deepEqual(screens("session waiting 5000"), ["input=5000", "display=5000", "payment=5000"]));
    it("waits on the types listed after `on`, in canonical order", () =>
      assert.deepEqual(screens("session waiting 5s on payment, input"), ["input=5s", "payment=5s"]));
    it("reads per-type timeouts, in canonical order", () =>
      assert.deepEqual(screens("session waiting display 10000, input 15000"), ["input=15000", "display=10000"]));
    it("reads the id", () => {
      const s = step('session waiting 5s id "S-1" < >');
      assert.deepEqual(s.kind === "session" && s.id, {
        kind: "template",
        value: "S-1",
        parts: [{ kind: "text", value: "S-1" }],
      });
    });
    it("interpolates the id", () => {
      const s = step('session waiting 5s id "table-${table}" < >');
      assert.deepEqual(s.kind === "session" && s.id?.parts.map((p) => p.kind), ["text", "interpolation"]);
    });
    it("holds its steps", () => {
      const s = step("session waiting 5s <\n  wait 1s; wait 2s\n>");
      assert.deepEqual(s.kind === "session" && s.steps.map((x) => x.kind), ["wait", "wait"]);
    });
  });

  describe("steps", () => {
    it("reads an input with a time limit and a capture", () =>
      assert.deepEqual(step('input confirm "Split?" within 30s as split'), {
        kind: "input",
        input: "confirm",
        prompt: { kind: "template", value: "Split?", parts: [{ kind: "text", value: "Split?" }] },
        within: { kind: "duration", ms: 30000, text: "30s" },
        as: { kind: "identifier", name: "split" },
      }));
    it("reads every input kind", () =>
      assert.deepEqual(
        ast(
          'input confirm "a"\ninput digits "a"\ninput text "a"\ninput amount "a"\ninput phone "a"\ninput signature "a"\ninput menu "a" []',
        ).steps.map((s) => s.kind === "input" && s.input),
        ["confirm", "digits", "text", "amount", "phone", "signature", "menu"],
      ));
    it("reads menu entries", () => {
      const s = step('input menu "Rate" ["Good", "Bad"] as r');
      assert.deepEqual(s.kind === "input" && s.entries?.map((e) => e.value), ["Good", "Bad"]);
    });
    it("reads display text with a minimum time", () => {
      const s = step('display "Hi" for 3s');
      assert.deepEqual(s.kind === "display" && [s.content.kind, s.for?.ms], ["text", 3000]);
    });
    it("reads display idle", () =>
      assert.deepEqual(step("display idle"), { kind: "display", content: { kind: "idle" } }));
    it("reads pay with tip, ref and capture", () =>
      assert.deepEqual(step('pay 12.50 EUR tip 2.00 EUR ref "t-7" as payment'), {
        kind: "pay",
        amount: {
          kind: "money",
          amount: { kind: "amount", text: "12.50", minor: 1250 },
          currency: { kind: "currency", code: "EUR" },
        },
        tip: {
          kind: "money",
          amount: { kind: "amount", text: "2.00", minor: 200 },
          currency: { kind: "currency", code: "EUR" },
        },
        ref: { kind: "template", value: "t-7", parts: [{ kind: "text", value: "t-7" }] },
        as: { kind: "identifier", name: "payment" },
      }));
    it("reads wait", () =>
      assert.deepEqual(step("wait 250ms"), { kind: "wait", duration: { kind: "duration", ms: 250, text: "250ms" } }));
    it("reads if / else if / else", () => {
      const s = step("if a { wait 1 } else if b { wait 2 } else { wait 3 }");
      assert.ok(s.kind === "if" && s.else?.[0].kind === "if");
      assert.deepEqual(s.kind === "if" && s.else?.[0].kind === "if" && s.else[0].else?.map((x) => x.kind), ["wait"]);
    });
    it("reads an if without else", () => assert.equal((step("if a { }") as { else?: unknown }).else, undefined));
    it("accepts soft keywords as capture names and fields", () =>
      assert.equal(tree("ref.for == id.if"), "(== ref.for id.if)"));
  });

  describe("durations and amounts", () => {
    it("reads a bare number as milliseconds", () => assert.equal(durationOf("5000"), 5000));
    it("reads ms", () => assert.equal(durationOf("250ms"), 250));
    it("reads s", () => assert.equal(durationOf("5s"), 5000));
    it("converts EUR to cents", () => assert.deepEqual(minor("12.50 EUR tip 1 EUR"), [1250, 100]));
    it("converts JPY without decimals", () => assert.deepEqual(minor("500 JPY"), [500, undefined]));
    it("converts KWD with three decimals", () => assert.deepEqual(minor("1.250 KWD"), [1250, undefined]));
    it("leaves minor units null when not exact", () => assert.deepEqual(minor("12.345 EUR"), [null, undefined]));
    it("leaves minor units null for an unknown currency", () => assert.deepEqual(minor("12 ERU"), [null, undefined]));
  });

  describe("expressions", () => {
    it("binds and tighter than or", () => assert.equal(tree("a or b and c"), "(or a (and b c))"));
    it("associates and/or to the left", () => assert.equal(tree("a and b and c"), "(and (and a b) c)"));
    it("binds not looser than comparisons", () => assert.equal(tree("not a == b"), "(not (== a b))"));
    it("binds unary minus tighter than comparisons", () => assert.equal(tree("-a < b"), "(< (- a) b)"));
    it("honours parentheses", () => assert.equal(tree("(a or b) and c"), "(and (or a b) c)"));
    it("reads every comparison", () =>
      assert.equal(
        tree("a == 1 or b != 2 or c < 3 or d <= 4 or e > 5 or f >= 6"),
        "(or (or (or (or (or (== a 1) (!= b 2)) (< c 3)) (<= d 4)) (> e 5)) (>= f 6))",
      ));
    it("reads literals", () => assert.equal(tree('true or false or 1.5 or "s"'), '(or (or (or true false) 1.5) "s")'));
    it("reads field paths", () => assert.equal(tree("payment.result.code"), "payment.result.code"));
  });

  describe("strings", () => {
    it("unescapes", () => assert.equal(parts('"a\\"b\\\\c\\nd\\te\\$f"')?.value, 'a"b\\c\nd\te$f'));
    it("splits interpolations", () =>
      assert.deepEqual(parts('"Hi ${name.first}!"')?.parts, [
        { kind: "text", value: "Hi " },
        {
          kind: "interpolation",
          ref: {
            kind: "reference",
            name: { kind: "identifier", name: "name" },
            fields: [{ kind: "identifier", name: "first" }],
          },
        },
        { kind: "text", value: "!" },
      ]));
    it("keeps an escaped `${` as text", () =>
      assert.deepEqual(parts('"\\${x}"')?.parts, [{ kind: "text", value: "${x}" }]));
    it("has no parts for an empty string", () =>
      assert.deepEqual(parts('""'), { kind: "template", value: "", parts: [] }));
    it("does not interpolate the flow name", () => assert.equal(ast('flow "${x}"').name?.value, "${x}"));
  });

  describe("spans", () => {
    const spanOf = (
      text: string,
      pick: (
        flow: ReturnType<typeof parseFlowText>["flow"],
      ) => { start: { offset: number }; end: { offset: number } } | undefined,
    ) => {
      const { source, start, end } = marked(text);
      const got = pick(parseFlowText(source, FILE).flow);
      assert.deepEqual([got?.start.offset, got?.end.offset], [start, end]);
    };
    it("spans a step half-open", () => spanOf('wait 1\n<|display "x" for 2s|>\n', (f) => f?.steps[1].span));
    it("spans a multi-line session", () => spanOf("<|session waiting 5s <\n  wait 1\n>|>", (f) => f?.steps[0].span));
    it("spans an amount", () =>
      spanOf("pay <|12.50|> EUR", (f) => {
        const s = f?.steps[0];
        return s?.kind === "pay" && s.amount.kind === "money" ? s.amount.amount.span : undefined;
      }));
    it("spans a money literal from its amount to its currency", () =>
      spanOf("pay <|12.50 EUR|> as p", (f) => (f?.steps[0].kind === "pay" ? f.steps[0].amount.span : undefined)));
    it("spans an interpolated reference inside a string", () =>
      spanOf('display "a ${<|b.c|>}"', (f) => {
        const s = f?.steps[0];
        const part = s?.kind === "display" && s.content.kind === "text" ? s.content.text.parts[1] : undefined;
        return part?.kind === "interpolation" ? part.ref.span : undefined;
      }));
    it("spans a binary expression from its left to its right operand", () =>
      spanOf("expect <|a or b|>", (f) => (f?.steps[0].kind === "expect" ? f.steps[0].condition.span : undefined)));
    it("gives lines and columns 1-based", () => {
      const s = parseFlowText("wait 1\n  wait 2", FILE).flow?.steps[1].span;
      assert.deepEqual([s?.file, s?.start.line, s?.start.column, s?.end.line, s?.end.column], [FILE, 2, 3, 2, 9]);
    });
    it("spans the whole file for the flow", () =>
      assert.deepEqual(parseFlowText("wait 1\n", FILE).flow?.span.end, { line: 2, column: 1, offset: 7 }));
  });
});
