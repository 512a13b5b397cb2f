/**
 * Money arithmetic against a BigInt model, for every currency exponent (JPY 0, EUR 2, KWD 3): the
 * one rounding rule (half to even to the minor unit), exact sums, and splits that add up.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Decimal } from "../../language/decimal.js";
import {
  addMoney,
  divideMoney,
  formatMoney,
  type Money,
  moneyOf,
  multiplyMoney,
  readMoneyText,
  splitMoney,
  subtractMoney,
} from "../../language/money.js";

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
/** Currencies with 0, 2 and 3 decimals. */
const CURRENCIES = ["JPY", "EUR", "KWD"] as const;

/**
 * The model of rounding: of the two integers around n/d, the nearer one; on a tie, the even one.
 * Written as distances, not as the implementation's quotient and remainder.
 */
function nearestEven(n: bigint, d: bigint): bigint {
  const [num, den] = d < 0n ? [-n, -d] : [n, d];
  let low = num / den;
  if (low * den > num) low -= 1n; // floor for negatives
  const high = low + 1n;
  const toLow = num - low * den;
  const toHigh = high * den - num;
  if (toLow < toHigh) return low;
  if (toHigh < toLow) return high;
  return low % 2n === 0n ? low : high;
}

const inRange = (minor: bigint): number | undefined => (minor > MAX || minor < -MAX ? undefined : Number(minor));

const minorArb = fc.oneof(
  fc.bigInt({ min: -MAX, max: MAX }),
  fc.bigInt({ min: -100_000n, max: 100_000n }),
  // Amounts whose products land exactly on a half.
  fc.bigInt({ min: -1000n, max: 1000n }).map((n) => n * 5n),
);
const moneyArb = fc
  .tuple(minorArb, fc.constantFrom(...CURRENCIES))
  .map(([minor, currency]): Money => moneyOf(Number(minor), currency));
/** Factors as flows write them: `3`, `10%` (0.1), `0.125`, `1.1`, negative too. */
const factorArb: fc.Arbitrary<Decimal> = fc
  .tuple(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), fc.integer({ min: 0, max: 7 }))
  .map(([units, scale]) => ({ units, scale }));

describe("money arithmetic (BigInt model, exponents 0, 2 and 3)", () => {
  it("adds and subtracts exactly, refusing results beyond the safe range", () =>
    fc.assert(
      fc.property(moneyArb, minorArb, (a, bMinor) => {
        const b = moneyOf(Number(bMinor), a.currency);
        const sum = inRange(BigInt(a.minor) + BigInt(b.minor));
        const difference = inRange(BigInt(a.minor) - BigInt(b.minor));
        assert.deepEqual(addMoney(a, b), sum === undefined ? undefined : moneyOf(sum, a.currency));
        assert.deepEqual(subtractMoney(a, b), difference === undefined ? undefined : moneyOf(difference, a.currency));
      }),
      { numRuns: 500 },
    ));

  it("multiplies by a number or a percentage, rounding half to even to the minor unit", () =>
    fc.assert(
      fc.property(moneyArb, factorArb, (money, factor) => {
        const expected = inRange(nearestEven(BigInt(money.minor) * factor.units, 10n ** BigInt(factor.scale)));
        const actual = multiplyMoney(money, factor);
        assert.deepEqual(actual, expected === undefined ? undefined : moneyOf(expected, money.currency));
      }),
      { numRuns: 1000 },
    ));

  it("divides by a number, rounding half to even to the minor unit", () =>
    fc.assert(
      fc.property(
        moneyArb,
        factorArb.filter((f) => f.units !== 0n),
        (money, divisor) => {
          const expected = inRange(nearestEven(BigInt(money.minor) * 10n ** BigInt(divisor.scale), divisor.units));
          const actual = divideMoney(money, divisor);
          assert.deepEqual(actual, expected === undefined ? undefined : moneyOf(expected, money.currency));
        },
      ),
      { numRuns: 1000 },
    ));

  it("rounds exact halves to the even neighbour", () => {
    const eur = (minor: number) => moneyOf(minor, "EUR");
    const half = { units: 5n, scale: 1 };
    assert.deepEqual(multiplyMoney(eur(1), half), eur(0), "0.5 -> 0");
    assert.deepEqual(multiplyMoney(eur(3), half), eur(2), "1.5 -> 2");
    assert.deepEqual(multiplyMoney(eur(5), half), eur(2), "2.5 -> 2");
    assert.deepEqual(multiplyMoney(eur(-5), half), eur(-2), "-2.5 -> -2");
    assert.deepEqual(multiplyMoney(moneyOf(1005, "EUR"), { units: 5n, scale: 1 }), eur(502), "10.05 * 50% = 5.02");
  });

  it("splits into shares that add up exactly, differ by at most one minor unit, earlier ones larger", () =>
    fc.assert(
      fc.property(moneyArb, fc.integer({ min: 1, max: 100 }), (total, n) => {
        const shares = splitMoney(total, n);
        assert.equal(shares.length, n);
        assert.equal(
          shares.reduce((sum, s) => sum + BigInt(s.minor), 0n),
          BigInt(total.minor),
        );
        for (const s of shares) assert.equal(s.currency, total.currency);
        const sizes = shares.map((s) => Math.abs(s.minor));
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, "within one minor unit");
        for (let i = 1; i < sizes.length; i++)
          assert.ok(sizes[i - 1] >= sizes[i], "earlier shares take the extra units");
      }),
      { numRuns: 500 },
    ));

  it("splits 100.00 EUR in 3 as 33.34, 33.33, 33.33", () =>
    assert.deepEqual(splitMoney(moneyOf(10000, "EUR"), 3).map(formatMoney), ["33.34 EUR", "33.33 EUR", "33.33 EUR"]));

  it("reads what it writes, in every currency", () =>
    fc.assert(
      fc.property(moneyArb, (money) => {
        const reading = readMoneyText(formatMoney(money));
        assert.ok(reading.ok);
        assert.deepEqual(reading.money, money);
      }),
      { numRuns: 300 },
    ));

  it("reads a caller's amount strictly", () => {
    assert.deepEqual(readMoneyText("42.50 EUR"), { ok: true, money: moneyOf(4250, "EUR") });
    assert.deepEqual(readMoneyText(" 500 JPY "), { ok: true, money: moneyOf(500, "JPY") });
    for (const [text, problem] of [
      ["42.505 EUR", "has 3 decimals, but EUR has 2"],
      ["1.5 JPY", "has 1 decimal, but JPY has 0"],
      ["42.50", "is not an amount with its currency"],
      ["42,50 EUR", "is not an amount"],
      ["42.50 eur", "is not a currency"],
      ["abc EUR", "is not an amount with its currency"],
    ] as const) {
      const reading = readMoneyText(text);
      assert.ok(!reading.ok && reading.problem.includes(problem), `${text}: ${JSON.stringify(reading)}`);
    }
  });
});
