/**
 * Exact decimal arithmetic on BigInt, for the two places a flow computes: money (integer minor
 * units, language/money.ts) and numbers. A flow's numbers are JavaScript numbers, but they are
 * read as the decimal they print as (`0.1` is one tenth, not the double nearest to it), so
 * `0.1 + 0.2` is `0.3` and `12.50 EUR * 10%` is exactly `1.25 EUR`.
 *
 * The one rounding rule of termflow is half to even ("banker's rounding"): a result exactly halfway
 * between two candidates goes to the even one (0.5 -> 0, 1.5 -> 2, 2.5 -> 2). It has no upward
 * drift over many roundings, which is why accounting uses it.
 */

/** `units * 10^-scale`: `12.5` is `{units: 125n, scale: 1}`. `scale` is never negative. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Fraction digits kept by a division whose result does not end (`1 / 3`). */
export const DIVISION_DIGITS = 20;

const DECIMAL_TEXT = /^(-)?([0-9]+)(?:\.([0-9]+))?$/;

/** `-12.50` -> {-1250n, 2}; undefined when the text is not a plain decimal. */
export function decimalOfText(text: string): Decimal | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  const units = BigInt(m[2] + fraction);
  return { units: m[1] ? -units : units, scale: fraction.length };
}

/**
 * The decimal a number prints as: `String(0.1)` is `0.1`, so 0.1 is exactly one tenth. Handles the
 * exponent forms (`1e21`, `1.5e-7`); undefined for NaN and the infinities.
 */
export function decimalOfNumber(n: number): Decimal | undefined {
  if (!Number.isFinite(n)) return undefined;
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([+-]?[0-9]+))?$/.exec(String(n));
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  let units = BigInt(m[2] + fraction);
  let scale = fraction.length - Number(m[4] ?? "0");
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: m[1] ? -units : units, scale };
}

/** The decimal as text, without trailing zeros after the point (`12.50` -> `12.5`). */
export function decimalText(d: Decimal): string {
  const normal = normalise(d);
  const negative = normal.units < 0n;
  const digits = (negative ? -normal.units : normal.units).toString().padStart(normal.scale + 1, "0");
  const text = normal.scale === 0 ? digits : `${digits.slice(0, -normal.scale)}.${digits.slice(-normal.scale)}`;
  return negative ? `-${text}` : text;
}

/** The nearest number to a decimal. */
export function numberOfDecimal(d: Decimal): number {
  const n = Number(decimalText(d));
  return Object.is(n, -0) ? 0 : n;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  return addDecimals(a, { units: -b.units, scale: b.scale });
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return normalise({ units: a.units * b.units, scale: a.scale + b.scale });
}

/** a / b, rounded half to even after `digits` fraction digits; b must not be zero. */
export function divideDecimals(a: Decimal, b: Decimal, digits = DIVISION_DIGITS): Decimal {
  // a/b = (a.units / b.units) * 10^(b.scale - a.scale); keep `digits` fraction digits.
  const shift = digits + b.scale - a.scale;
  const numerator = shift >= 0 ? a.units * 10n ** BigInt(shift) : a.units;
  const denominator = shift >= 0 ? b.units : b.units * 10n ** BigInt(-shift);
  return normalise({ units: divideHalfEven(numerator, denominator), scale: digits });
}

/** -1, 0 or 1. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * n / d rounded to an integer, half to even: THE rounding of termflow. Exact for any BigInts;
 * d must not be zero.
 */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError("division by zero");
  if (d < 0n) return divideHalfEven(-n, -d);
  let q = n / d; // truncates toward zero
  let r = n % d; // same sign as n
  if (r < 0n) {
    // Make the remainder non-negative so q is the floor.
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

/** A decimal with `units` rescaled to `scale` (>= its own). */
function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

/** Trailing zero fraction digits dropped: {1250n, 2} -> {125n, 1}. */
function normalise(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}
