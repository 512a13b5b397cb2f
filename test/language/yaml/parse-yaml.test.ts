import assert from "node:assert/strict";
import {
  stripSpans,
  type ExpectStep,
  type Expression,
  type InputStep,
  type PayStep,
  type SessionStep,
} from "../../../language/ast.js";
import { parseFlowYaml } from "../../../language/yaml/parse-yaml.js";
import { FILE, expectYamlAt, expectYamlDiagnostic, parseYamlValid, stepsOf, textAt } from "./helpers.js";

const first = (yaml: string) => stepsOf(yaml)[0] as Record<string, unknown>;
const ms = (step: Record<string, unknown>, key: string) => (step[key] as { ms: number }).ms;

describe("parseFlowYaml: the forms of every step", () => {
  it("reads wait in milliseconds, seconds and ms", () => {
    assert.equal(ms(first("steps: [{wait: 2s}]"), "duration"), 2000);
    assert.equal(ms(first("steps: [{wait: 5000}]"), "duration"), 5000);
    assert.equal(ms(first("steps: [{wait: 250ms}]"), "duration"), 250);
    assert.equal(ms(first('steps: [{wait: "5000"}]'), "duration"), 5000);
  });

  it("keeps a duration's text as written", () => {
    assert.deepEqual(first("steps: [{wait: 007}]").duration, { kind: "duration", ms: 7, text: "007" });
  });

  it("reads display as text, text with a time, and the idle screen", () => {
    assert.deepEqual(first("steps: [{display: Thanks}]").content, {
      kind: "text",
      text: { kind: "template", value: "Thanks", parts: [{ kind: "text", value: "Thanks" }] },
    });
    assert.equal(ms(first("steps: [{display: {text: Thanks, for: 3s}}]"), "for"), 3000);
    assert.deepEqual(first("steps: [{display: {idle: true}}]").content, { kind: "idle" });
    assert.deepEqual(first("steps: [{display: idle}]").content, { kind: "idle" });
  });

  it("shows the word idle with {text: idle}", () => {
    assert.equal((first("steps: [{display: {text: idle}}]").content as { kind: string }).kind, "text");
  });

  it("reads every input kind, with its prompt, time limit and capture", () => {
    for (const kind of ["confirm", "digits", "text", "amount", "phone", "signature"]) {
      const step = first(`steps: [{input: {${kind}: "Go?", within: 30s, as: answer}}]`) as unknown as InputStep;
      assert.equal(step.input, kind);
      assert.equal(step.prompt.value, "Go?");
      assert.equal(step.within?.ms, 30000);
      assert.equal(step.as?.name, "answer");
      assert.equal(step.entries, undefined);
    }
  });

  it("reads a menu and its entries", () => {
    const step = first(
      "steps: [{input: {menu: Rate us, entries: [Good, Bad, 5], as: rating}}]",
    ) as unknown as InputStep;
    assert.deepEqual(
      step.entries?.map((e) => e.value),
      ["Good", "Bad", "5"],
    );
  });

  it("reads one waiting timeout for every request type", () => {
    const session = first("steps: [{session: {waiting: 5000, steps: [{wait: 1s}]}}]") as unknown as SessionStep;
    assert.deepEqual(
      session.waiting.map((w) => [w.request, w.timeout.ms]),
      [
        ["input", 5000],
        ["display", 5000],
        ["payment", 5000],
      ],
    );
  });

  it("reads a timeout for some request types with `on`, in canonical order", () => {
    const session = first(
      "steps: [{session: {waiting: 5s, on: [display, input], id: S1, steps: []}}]",
    ) as unknown as SessionStep;
    assert.deepEqual(
      session.waiting.map((w) => w.request),
      ["input", "display"],
    );
    assert.equal(session.id?.value, "S1");
  });

  it("reads one timeout per request type", () => {
    const session = first(
      "steps: [{session: {waiting: {payment: 1s, input: 15000}, steps: []}}]",
    ) as unknown as SessionStep;
    assert.deepEqual(
      session.waiting.map((w) => [w.request, w.timeout.ms]),
      [
        ["input", 15000],
        ["payment", 1000],
      ],
    );
  });

  it("reads if with then and else", () => {
    const step = first('steps: [{if: {condition: "split == true", then: [{wait: 1s}], else: [{wait: 2s}]}}]');
    assert.equal((step.then as unknown[]).length, 1);
    assert.equal((step.else as unknown[]).length, 1);
  });

  it("reads params: a default, or null when the caller must supply it", () => {
    const flow = parseYamlValid('params: {table: "7", guests: null, n: -3, ok: true, ratio: 1.50}\nsteps: []');
    assert.deepEqual(
      stripSpans(flow.params).map((p) => [
        p.name.name,
        p.default?.kind,
        p.default && "text" in p.default ? p.default.text : undefined,
      ]),
      [
        ["table", "string-literal", undefined],
        ["guests", undefined, undefined],
        ["n", "number", "-3"],
        ["ok", "boolean", undefined],
        ["ratio", "number", "1.50"],
      ],
    );
  });

  it("reads the flow's name", () => {
    assert.equal(parseYamlValid("flow: Pay at table\nsteps: []").name?.value, "Pay at table");
  });
});

describe("parseFlowYaml: money from the source text, never a float", () => {
  /** The written amounts of a YAML pay: `{amount, currency, tip}` make money literals. */
  const pay = (yaml: string) => {
    const step = first(yaml) as unknown as PayStep;
    const written = (e: Expression | undefined) => (e?.kind === "money" ? e.amount : undefined);
    return { amount: written(step.amount)!, tip: written(step.tip) };
  };

  it("keeps 12.50 written unquoted as the text 12.50", () => {
    const step = pay("steps: [{pay: {amount: 12.50, currency: EUR, tip: 1.10}}]");
    assert.deepEqual(
      [step.amount.text, step.amount.minor, step.tip?.text, step.tip?.minor],
      ["12.50", 1250, "1.10", 110],
    );
  });

  it("reads quoted amounts", () => {
    assert.equal(pay('steps: [{pay: {amount: "0.10", currency: EUR}}]').amount.minor, 10);
  });

  it("uses the currency's minor units", () => {
    assert.equal(pay("steps: [{pay: {amount: 500, currency: JPY}}]").amount.minor, 500);
    assert.equal(pay("steps: [{pay: {amount: 1.250, currency: KWD}}]").amount.minor, 1250);
  });

  it("leaves minor null when the amount has more decimals than the currency (the checks report it)", () => {
    const step = pay("steps: [{pay: {amount: 12.345, currency: EUR}}]");
    assert.deepEqual([step.amount.text, step.amount.minor], ["12.345", null]);
  });

  it("keeps an amount too precise for a float exact", () => {
    const step = pay("steps: [{pay: {amount: 4503599627370.49, currency: EUR}}]");
    assert.deepEqual([step.amount.text, step.amount.minor], ["4503599627370.49", 450359962737049]);
  });
});

describe("parseFlowYaml: templates", () => {
  const prompt = (yaml: string) => (first(yaml) as unknown as InputStep).prompt;

  it("splits ${name.field} into parts", () => {
    assert.deepEqual(
      prompt("steps:\n  - input:\n      confirm: Hi ${guest.name}!\n").parts.map((p) => p.kind),
      ["text", "interpolation", "text"],
    );
  });

  it("reads $${ as a literal ${ and a lone $ as itself", () => {
    const t = prompt('steps: [{input: {confirm: "$${x} costs $5"}}]');
    assert.deepEqual(t.parts, [{ kind: "text", value: "${x} costs $5" }]);
  });

  it("points an interpolation's reference into the YAML file, quoted or not", () => {
    const source = 'steps:\n  - input: {confirm: "Tip for ${table}?"}\n';
    const flow = parseYamlValid(source);
    const part = (flow.steps[0] as InputStep).prompt.parts[1];
    assert.ok(part.kind === "interpolation");
    assert.equal(textAt(source, part.ref.span), "table");
  });

  it("reports a malformed interpolation", () => {
    expectYamlDiagnostic("steps: [{display: 'Hi <|${a b}|>'}]", "bad-interpolation", { hint: "$${" });
  });
});

describe("parseFlowYaml: expressions in the mini-language", () => {
  const condition = (source: string) => (parseYamlValid(source).steps[0] as ExpectStep).condition;

  it("parses expect with the text parser", () => {
    assert.equal(condition('steps: [{expect: split == true and payment.result == "approved"}]').kind, "binary");
  });

  it("reads a boolean or number scalar as an expression", () => {
    assert.deepEqual(stripSpans(condition("steps: [{expect: true}]")), { kind: "boolean", value: true });
  });

  it("gives nodes inside a plain expression spans into the YAML file", () => {
    const source = "steps:\n  - expect: payment.result == x\n";
    const c = condition(source);
    assert.ok(c.kind === "binary");
    assert.equal(textAt(source, c.left.span), "payment.result");
    assert.equal(textAt(source, c.right.span), "x");
    assert.equal(c.right.span.start.line, 2);
  });

  it("gives nodes inside a double-quoted expression with escapes spans into the YAML file", () => {
    const source = 'steps: [{expect: "a == \\"\\u00e9\\" and bee"}]';
    const c = condition(source);
    assert.ok(c.kind === "binary");
    assert.equal(textAt(source, c.right.span), "bee");
  });

  it("gives nodes inside a folded block expression spans into the YAML file", () => {
    const source = "steps:\n  - expect: >-\n      a == 1\n      and bee\n";
    const c = condition(source);
    assert.ok(c.kind === "binary");
    assert.equal(textAt(source, c.right.span), "bee");
    assert.equal(c.right.span.start.line, 4);
  });

  it("reports an incomplete expression at its end", () => {
    expectYamlDiagnostic("steps: [{expect: a ==<||>}]", "expected-expression", { message: "end of the expression" });
  });

  it("reports text after the expression", () => {
    expectYamlDiagnostic("steps: [{expect: 'a == 1 <|\"b\"|>'}]", "unexpected-token");
    expectYamlDiagnostic('steps: [{expect: "a == 1<|; wait 2s|>"}]', "unexpected-token");
    expectYamlDiagnostic('steps: [{expect: "a <|# no|>"}]', "unexpected-token", { hint: "comment" });
  });

  it("reports an empty condition", () => {
    expectYamlDiagnostic('steps: [{expect: <|""|>}]', "expected-expression");
  });
});

describe("parseFlowYaml: YAML syntax errors point at the right line and column", () => {
  it("tab as indentation", () => void expectYamlAt("steps:\n\t- wait: 1s\n", "yaml-tab-as-indent", "2:1"));
  it("list items out of line", () =>
    void expectYamlAt("steps:\n  - wait: 1s\n   - wait: 2s\n", "yaml-bad-indent", "3:4"));
  it("map keys out of line", () =>
    void expectYamlAt('steps:\n  - pay:\n      amount: "1"\n     currency: EUR\n', "yaml-bad-indent", "4:1"));
  it("duplicate key", () => void expectYamlAt("flow: a\nflow: b\nsteps: []\n", "yaml-duplicate-key", "2:1"));
  it("duplicate key: the whole key underlined, a note at the first one", () => {
    const source = 'steps:\n  - pay: {amount: "1.00", currency: EUR, amount: "2.00"}\n';
    const d = parseFlowYaml(source, FILE).diagnostics.find((x) => x.code === "yaml-duplicate-key");
    assert.ok(d);
    assert.equal(source.slice(d.span.start.offset, d.span.end.offset), "amount");
    assert.equal(d.span.start.column, 42);
    assert.deepEqual(
      d.related?.map((r) => [r.message, r.span.start.line, r.span.start.column, r.span.end.column]),
      [["`amount` first appears here", 2, 11, 17]],
    );
  });
  it("unclosed flow list", () => void expectYamlAt("steps: [{wait: 1s}\n", "yaml-bad-indent", "2:1"));
  it("unclosed quote, at the opening quote", () => {
    expectYamlDiagnostic('flow: Broken\nsteps:\n  - display: <|"Unclosed|>\n  - wait: 1s\n', "yaml-missing-char", {
      message: 'no closing `"`',
    });
    expectYamlDiagnostic("steps: [{display: <|'it''s}]|>", "yaml-missing-char", { message: "no closing `'`" });
    expectYamlDiagnostic('steps: [{display: <|"a \\" b}]|>', "yaml-missing-char");
  });
  it("two documents", () => void expectYamlAt("steps: []\n---\nsteps: []\n", "yaml-multiple-docs", "2:1"));

  it("reports one error per line and no AST", () => {
    const parsed = parseFlowYaml("steps:\n- wait: 1s\n  - wait: 2s\n", FILE);
    assert.deepEqual(
      parsed.diagnostics.map((d) => d.code),
      ["yaml-block-as-implicit-key"],
    );
    assert.equal(parsed.flow, undefined);
  });

  it("gives a hint for tabs", () => {
    assert.match(expectYamlAt("steps:\n\t- wait: 1s\n", "yaml-tab-as-indent", "2:1").hint ?? "", /spaces/);
  });
});

describe("parseFlowYaml: shape errors", () => {
  it("unknown top-level key with did-you-mean, and no second error for the missing key", () => {
    expectYamlDiagnostic("<|stpes|>: []", "unknown-key", { hint: "did you mean `steps`?" });
  });

  it("unknown step with did-you-mean", () => {
    expectYamlDiagnostic("steps:\n  - <|dispaly|>: Thanks\n", "unknown-step", { hint: "did you mean `display`?" });
  });

  it("misspelt field with did-you-mean", () => {
    expectYamlDiagnostic('steps: [{pay: {amount: "1.00", <|curency|>: EUR}}]', "unknown-key", { hint: "`currency`" });
  });

  it("misspelt input kind with did-you-mean", () => {
    expectYamlDiagnostic('steps: [{input: {<|confrm|>: "Split?"}}]', "unknown-key", { hint: "`confirm`" });
  });

  it("missing field, at the step key", () => {
    expectYamlDiagnostic("steps: [{<|pay|>: {currency: EUR}}]", "missing-field", {
      message: "`pay` needs `amount`",
      hint: "(the amount to pay:",
    });
  });

  it("missing steps in a session", () => {
    expectYamlDiagnostic("steps: [{<|session|>: {waiting: 1s}}]", "missing-field", { message: "`steps`" });
  });

  it("an input without a kind", () => {
    expectYamlDiagnostic("steps: [{<|input|>: {as: x}}]", "missing-field", { message: "an input kind" });
  });

  it("an input with two kinds", () => {
    expectYamlDiagnostic("steps: [{input: {confirm: a, <|text|>: b}}]", "conflicting-keys");
  });

  it("menu entries only with a menu, and a menu needs entries", () => {
    expectYamlDiagnostic("steps: [{input: {confirm: a, <|entries|>: [x]}}]", "unexpected-key");
    expectYamlDiagnostic("steps: [{input: {<|menu|>: a}}]", "missing-field", { message: "`menu` needs `entries`" });
  });

  it("display: text or idle, and `for` only with text", () => {
    expectYamlDiagnostic("steps: [{display: {text: a, <|idle|>: true}}]", "conflicting-keys");
    expectYamlDiagnostic("steps: [{display: {idle: true, <|for|>: 3s}}]", "unexpected-key");
  });

  it("wrong types", () => {
    expectYamlDiagnostic("steps: [{wait: <|[1]|>}]", "wrong-type", { message: "`wait` expects a duration" });
    expectYamlDiagnostic("steps: [{input: {confirm: a, as: <|5|>}}]", "wrong-type", {
      message: "found the number `5`",
    });
    expectYamlDiagnostic("steps: <|5|>", "wrong-type", { message: "a list of steps" });
    expectYamlDiagnostic("steps: [{display: <|[a]|>}]", "wrong-type");
    expectYamlDiagnostic("<|- wait: 1s|>", "wrong-type", { message: "the flow expects" });
    expectYamlDiagnostic("steps: [<|wait|>]", "wrong-type", { hint: "`wait:`" });
  });

  it("pay: an amount alone, or a mapping; nothing else", () => {
    expectYamlDiagnostic("steps: [{pay: <|[12.50 EUR]|>}]", "wrong-type", {
      message: /`pay` expects an amount like `12\.50 EUR`.* or a payment like/,
    });
    expectYamlDiagnostic("steps: [{pay: 12.50 EUR <|tip|> 1.00 EUR}]", "unexpected-token");
    expectYamlDiagnostic("steps:\n  - pay: 12.50 EUR\n    <|as|>: p\n", "extra-step-key", {
      hint: "indent `as` under `pay`",
    });
  });

  it("an empty value names the key", () => {
    expectYamlDiagnostic("steps: [{input: {confirm: a, <|as|>: }}]", "wrong-type", { message: "found nothing" });
  });

  it("a field written next to the step key instead of under it", () => {
    expectYamlDiagnostic("steps:\n  - input: {confirm: a}\n    <|as|>: split\n", "extra-step-key", {
      hint: "indent `as` under `input`",
    });
    expectYamlDiagnostic("steps:\n  - session:\n      waiting: 1s\n    <|steps|>: []\n", "extra-step-key", {
      hint: "indent",
    });
    expectYamlDiagnostic("steps:\n  - input:\n    <|confirm|>: a\n    as: b\n", "extra-step-key", { total: 2 });
  });

  it("an empty file", () => {
    expectYamlDiagnostic("<||>", "missing-field", { message: "`steps`" });
  });

  it("an alias", () => {
    expectYamlDiagnostic("x: &d 2s\nsteps: [{wait: <|*d|>}]", "wrong-type", { message: "alias", total: 2 });
  });
});

describe("parseFlowYaml: values", () => {
  it("bad durations, with a hint", () => {
    expectYamlDiagnostic("steps: [{wait: <|5m|>}]", "bad-duration", { hint: "`300s`" });
    expectYamlDiagnostic("steps: [{wait: <|1.5s|>}]", "bad-duration", { hint: "`1500ms`" });
    expectYamlDiagnostic("steps: [{wait: <|-1|>}]", "bad-duration");
  });

  it("bad amounts", () => {
    expectYamlDiagnostic("steps: [{pay: {amount: <|abc|>, currency: EUR}}]", "bad-amount");
    expectYamlDiagnostic("steps: [{pay: {amount: <|1e3|>, currency: EUR}}]", "bad-amount");
    expectYamlDiagnostic('steps: [{pay: {amount: "1.00", currency: EUR, tip: <|"01"|>}}]', "bad-amount");
  });

  it("bad names", () => {
    expectYamlDiagnostic("steps: [{input: {confirm: a, as: <|3x|>}}]", "bad-name");
    expectYamlDiagnostic("steps: [{input: {confirm: a, as: <|if|>}}]", "bad-name", { message: "keyword" });
    expectYamlDiagnostic("params: {<|3x|>: 1}\nsteps: []", "bad-name");
  });

  it("soft keywords are names", () => {
    parseYamlValid("steps: [{input: {confirm: a, as: waiting}}]");
  });

  it("bad params", () => {
    expectYamlDiagnostic("params: {<|a: [1]|>}\nsteps: []", "wrong-type");
    expectYamlDiagnostic("params: {a: <|0x10|>}\nsteps: []", "bad-number");
  });

  it("request types", () => {
    expectYamlDiagnostic("steps: [{session: {waiting: 1s, on: [<|inptu|>], steps: []}}]", "unknown-request-type", {
      hint: "`input`",
    });
    expectYamlDiagnostic(
      "steps: [{session: {waiting: 1s, on: [input, <|input|>], steps: []}}]",
      "duplicate-request-type",
    );
    expectYamlDiagnostic("steps: [{session: {waiting: {input: 1s}, <|on|>: [input], steps: []}}]", "unexpected-key");
    expectYamlDiagnostic("steps: [{session: {waiting: 1s, <|on: []|>, steps: []}}]", "empty-list");
    expectYamlDiagnostic("steps: [{session: {waiting: <|{}|>, steps: []}}]", "missing-field");
  });
});

describe("parseFlowYaml: spans", () => {
  it("a step spans its map, not the comment after it", () => {
    const source = "steps:\n  - wait: 2s   # pause\n  - display: Hi\n";
    const flow = parseYamlValid(source);
    assert.equal(textAt(source, flow.steps[0].span), "wait: 2s");
    assert.equal(textAt(source, flow.steps[1].span), "display: Hi");
  });

  it("a block step spans up to its last value", () => {
    const source = 'steps:\n  - pay:\n      amount: "1.00"\n      currency: EUR   # euro\n\n';
    const flow = parseYamlValid(source);
    assert.equal(textAt(source, flow.steps[0].span), 'pay:\n      amount: "1.00"\n      currency: EUR');
    const amount = (flow.steps[0] as PayStep).amount;
    assert.equal(amount.kind === "money" ? textAt(source, amount.currency.span) : "", "EUR");
  });

  it("the flow spans the whole file", () => {
    const source = "steps: []\n";
    assert.deepEqual(parseYamlValid(source).span.end, { line: 2, column: 1, offset: source.length });
  });
});

describe("parseFlowYaml: nesting", () => {
  const session = (i: number) => {
    const indent = "    ".repeat(i);
    return `${indent}  - session:\n${indent}      waiting: 1s\n${indent}      steps:`;
  };
  const sessions = (depth: number) => `steps:\n${Array.from({ length: depth }, (_, i) => session(i)).join("\n")} []\n`;

  it("reads sessions and ifs nested as deep as a real flow goes", () => {
    assert.equal(parseYamlValid(sessions(20)).steps.length, 1);
  });

  it("refuses absurd nesting before it can exhaust the stack", () => {
    expectYamlDiagnostic(`steps: ${"[".repeat(199)}<|[|>${"[".repeat(5000)}`, "too-deeply-nested");
    const parsed = parseFlowYaml(sessions(300), FILE);
    assert.deepEqual(
      parsed.diagnostics.map((d) => d.code),
      ["too-deeply-nested"],
    );
  });
});

describe("parseFlowYaml: list items that are not steps", () => {
  it("an empty item", () =>
    void expectYamlDiagnostic("steps:\n  - wait: 1s\n  -<||>\n", "wrong-type", { message: "found nothing" }));
  it("a list item", () => void expectYamlDiagnostic("steps: [<|[a]|>]", "wrong-type", { message: "found a list" }));
  it("an empty map", () => void expectYamlDiagnostic("steps: [<|{}|>]", "wrong-type", { message: "an empty map" }));
});
