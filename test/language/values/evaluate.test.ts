/**
 * The one evaluator, on expressions written in the mini-language: values as a run sees them,
 * problems as the checks word them, and money through the parser against the BigInt model.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Expression } from "../../../language/ast.js";
import { loadFlow } from "../../../language/load-flow.js";
import { formatMoney, moneyOf } from "../../../language/money.js";
import { parseFlowText } from "../../../language/text/parse-text.js";
import { evaluate } from "../../../language/values/evaluate.js";
import type { Environment, Problem } from "../../../language/values/rules.js";
import { textOf, type Value } from "../../../language/values/value.js";
import { UNKNOWN_VALUE } from "../../../language/values/types.js";

/** The expression of `expect <text>`, parsed cleanly. */
function expression(text: string): Expression {
  const parsed = parseFlowText(`expect ${text}`, "e.flow");
  assert.deepEqual(parsed.diagnostics, [], text);
  const step = parsed.flow?.steps[0];
  assert.ok(step?.kind === "expect");
  return step.condition;
}

/** The value of an expression of literals, or the problems it has. */
function run(text: string): { value?: Value; problems: Problem[] } {
  const problems: Problem[] = [];
  const env: Environment = { shortCircuit: true, problem: (p) => problems.push(p), lookUp: () => UNKNOWN_VALUE };
  const typed = evaluate(expression(text), env);
  return typed.value === undefined ? { problems } : { value: typed.value, problems };
}

const value = (text: string): string => {
  const result = run(text);
  assert.deepEqual(result.problems, [], text);
  assert.ok(result.value !== undefined, `${text} has no value`);
  return textOf(result.value);
};
const problem = (text: string): string => {
  const { problems } = run(text);
  assert.equal(problems.length, 1, `${text}: ${JSON.stringify(problems)}`);
  return `${problems[0].code}: ${problems[0].message}`;
};

describe("the evaluator", () => {
  it("computes money exactly, rounding half to even", () => {
    assert.equal(value("12.50 EUR * 10%"), "1.25 EUR");
    assert.equal(value("100.00 EUR / 3"), "33.33 EUR");
    assert.equal(value("10.05 EUR * 50%"), "5.02 EUR");
    assert.equal(value("10.15 EUR * 50%"), "5.08 EUR");
    assert.equal(value("1000 JPY * 15%"), "150 JPY");
    assert.equal(value("1.005 KWD * 2 - 0.010 KWD"), "2.000 KWD");
    assert.equal(value("-(5.00 EUR) + 2.00 EUR"), "-3.00 EUR");
    assert.equal(value("5.00 EUR / 20.00 EUR"), "0.25");
  });
  it("rounds each operation on its own, as docs/language.md says", () => {
    assert.equal(value("0.25 EUR * 50%"), "0.12 EUR");
    assert.equal(value("0.27 EUR * 50%"), "0.14 EUR");
    assert.equal(value("33.35 EUR + 33.35 EUR * 10%"), "36.69 EUR");
    assert.equal(value("33.35 EUR * 110%"), "36.68 EUR");
  });
  it("computes numbers as the decimals they print as", () => {
    assert.equal(value("0.1 + 0.2"), "0.3");
    assert.equal(value("0.7 - 0.55"), "0.15");
    assert.equal(value("1 / 3 * 3 == 1"), "false");
    assert.equal(value("10% * 3"), "0.3");
    assert.equal(value("2 + 3 * 4 - 6 / 2"), "11");
  });
  it("splits, converts and ranges", () => {
    assert.equal(value("split(100.00 EUR, 3)"), "33.34 EUR, 33.33 EUR, 33.33 EUR");
    assert.equal(value("split(0.05 EUR, 3)"), "0.02 EUR, 0.02 EUR, 0.01 EUR");
    assert.equal(value('number("007") + 1'), "8");
    assert.equal(value("number(12.50 EUR)"), "12.5");
    assert.equal(value('string(12.50 EUR) == "12.50 EUR"'), "true");
    assert.equal(value("1..4"), "1, 2, 3, 4");
    assert.equal(value("3..2"), "");
  });
  it("compares amounts of one currency", () => {
    assert.equal(value("12.50 EUR == 12.5 EUR"), "true");
    assert.equal(value("0.00 EUR < 0.01 EUR"), "true");
  });
  it("words every broken rule", () => {
    assert.equal(problem("1.00 EUR + 1.00 USD"), "currency-mismatch: cannot add an amount in USD to an amount in EUR");
    assert.equal(
      problem("1.00 EUR < 1.00 USD"),
      "currency-mismatch: cannot compare an amount in USD with an amount in EUR",
    );
    assert.equal(problem("12.50 EUR == 1250"), "money-compared-with-number: cannot compare an amount with a number");
    assert.equal(problem("1.00 EUR + 1"), "type-mismatch: cannot add a number to an amount");
    assert.equal(problem("1.00 EUR * 1.00 EUR"), "type-mismatch: cannot multiply two amounts");
    assert.equal(problem("1 / 0"), "division-by-zero: division by zero");
    assert.equal(problem("1.00 EUR / 0"), "division-by-zero: division by zero");
    assert.equal(
      problem("split(1.00 EUR, 0)"),
      "bad-loop-count: `split` needs a whole number of shares of at least 1, not `0`",
    );
    assert.equal(
      problem("split(1.00 EUR, 101)"),
      "loop-too-long: a loop runs at most 100 times, but this one has 101 shares",
    );
    assert.equal(problem("1..200"), "loop-too-long: a loop runs at most 100 times, but this one has 200 items");
    assert.equal(problem('number("abc")'), 'not-a-number: `number` cannot read "abc" as a number');
    assert.equal(problem("splt(1)"), "unknown-function: unknown function `splt`");
    assert.equal(problem("split(1.00 EUR)"), "wrong-arguments: `split` takes 2 arguments, got 1");
    assert.equal(
      problem("90071992547409.91 EUR + 0.01 EUR"),
      "amount-out-of-range: the result is too large to hold exactly",
    );
  });
  it("a number that is not one (`74er`) is its own error: no division by zero, no internal error (found by npm run fuzz)", () => {
    for (const [steps, codes] of [
      ["pay 9999.99 USD / 74er", ["bad-number"]],
      ["pay 1.00 USD * 0x", ["bad-number"]],
      ["expect 1 / 74er == 1", ["bad-number"]],
      ["expect 74er / 2 == 1", ["bad-number"]],
      ["pay 1.00 USD / 0", ["division-by-zero"]],
    ] as const) {
      const { diagnostics } = loadFlow(`flow "x"\nsession waiting 5000 < ${steps} >\n`, "x.flow");
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        codes,
        `${steps}: ${diagnostics.map((d) => d.message).join("; ")}`,
      );
    }
  });

  it("hints the amount a number was meant to be", () => {
    const { problems } = run("12.50 EUR == 1250");
    assert.match(problems[0].hint ?? "", /`12\.50 EUR` \(1250 minor units\)/);
  });

  it("multiplies money by a percentage as the BigInt model does, through the parser", () =>
    fc.assert(
      fc.property(
        fc.constantFrom("JPY", "EUR", "KWD"),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 100_000n }),
        fc.integer({ min: 0, max: 3 }),
        (currency, minor, percentUnits, percentScale) => {
          const money = moneyOf(Number(minor), currency);
          const digits = percentUnits.toString().padStart(percentScale + 1, "0");
          const percent = `${percentScale === 0 ? digits : `${digits.slice(0, -percentScale)}.${digits.slice(-percentScale)}`}%`;
          // The model: minor * p / (100 * 10^scale), nearest, ties to even.
          const d = 100n * 10n ** BigInt(percentScale);
          const n = minor * percentUnits;
          let q = n / d;
          const twice = 2n * (n - q * d);
          if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
          assert.equal(value(`${formatMoney(money)} * ${percent}`), formatMoney(moneyOf(Number(q), currency)));
        },
      ),
      { numRuns: 400 },
    ));
});
