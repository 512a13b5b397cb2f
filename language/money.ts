/**
 * Money without floats. Amounts are written in major units (`12.50`) and held as integer minor
 * units together with their text; the wire wants decimal major units again (`12.5`). Arithmetic on
 * money is exact and rounds half to even to the currency's minor unit (decimal.ts).
 */
import { type Decimal, divideDecimals, divideHalfEven } from "./decimal.js";

/** ISO 4217 minor units (exponent) for codes that are not 2. */
const EXPONENT_EXCEPTIONS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Active ISO 4217 alphabetic codes a terminal can be asked to charge in. */
export const CURRENCIES: readonly string[] = (
  "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
  "CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP " +
  "GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
  "KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN " +
  "NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP " +
  "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND " +
  "VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"
).split(" ");

const KNOWN = new Set(CURRENCIES);

export function isKnownCurrency(code: string): boolean {
  return KNOWN.has(code);
}

/** The number of decimals a currency has (EUR 2, JPY 0, KWD 3), or undefined for an unknown code. */
export function minorUnitDigits(code: string): number | undefined {
  if (!KNOWN.has(code)) return undefined;
  return EXPONENT_EXCEPTIONS[code] ?? 2;
}

/** A decimal amount as written in a flow: digits, optionally a point and more digits. */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** Decimals written in an amount's text (`12.50` -> 2), or undefined when it is not an amount. */
export function writtenDecimals(text: string): number | undefined {
  const m = AMOUNT_PATTERN.exec(text);
  return m ? (m[2]?.length ?? 0) : undefined;
}

/**
 * `12.50` in EUR -> 1250; `1.5` in KWD -> 1500; `500` in JPY -> 500.
 * undefined when the text is not an amount, the currency is unknown, the text has more decimals than
 * the currency (`12.345` EUR), or the result leaves the safe-integer range.
 */
export function toMinorUnits(text: string, currency: string): number | undefined {
  const m = AMOUNT_PATTERN.exec(text);
  const digits = minorUnitDigits(currency);
  if (!m || digits === undefined) return undefined;
  const fraction = m[2] ?? "";
  if (fraction.length > digits) return undefined;
  const minor = Number(m[1] + fraction.padEnd(digits, "0"));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/**
 * Minor units -> the decimal major-unit number the wire wants (1250 EUR -> 12.5, 1250 KWD -> 1.25).
 * Built from the decimal string, so no float arithmetic can drift.
 */
export function toWireAmount(minor: number, currency: string): number {
  return Number(formatMinorUnits(minor, currency));
}

/** Minor units -> the canonical text with all of the currency's decimals (1250 EUR -> `12.50`). */
export function formatMinorUnits(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency) ?? 2;
  const sign = minor < 0 ? "-" : "";
  const s = String(Math.abs(minor)).padStart(digits + 1, "0");
  return digits === 0 ? sign + s : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/**
 * A wire amount (major units, maybe sent as a string) -> minor units, or undefined when it does not
 * fit the currency exactly. Goes through the shortest decimal text of the number, never multiplies.
 */
export function fromWireAmount(value: number | string, currency: string): number | undefined {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
  return /e/i.test(text) ? undefined : toMinorUnits(text, currency);
}

// ---- money values ----------------------------------------------------------------------------------

/**
 * An amount of money as flows compute with it: integer minor units of one currency, never a float.
 * `12.50 EUR` is `{kind: "money", minor: 1250, currency: "EUR"}`. Plain data, so it survives JSON
 * and structured cloning; `kind` tells it apart from a record. `minor` is a safe integer, negative
 * only in the middle of a computation (a payment of it is refused).
 */
export interface Money {
  readonly kind: "money";
  readonly minor: number;
  readonly currency: string;
}

/** A Money value (frozen, so no step can change a value another step holds). */
export function moneyOf(minor: number, currency: string): Money {
  return Object.freeze({ kind: "money", minor: minor === 0 ? 0 : minor, currency });
}

export function isMoney(value: unknown): value is Money {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Money).kind === "money" &&
    Number.isSafeInteger((value as Money).minor) &&
    typeof (value as Money).currency === "string"
  );
}

/** `12.50 EUR`, `-3.00 EUR`, `500 JPY`: how money reads in text, labels and messages. */
export function formatMoney(money: Money): string {
  return `${formatMinorUnits(money.minor, money.currency)} ${money.currency}`;
}

/** What reading a money text gave: the money, or why the text is not one. */
export type MoneyReading = { ok: true; money: Money } | { ok: false; problem: string; hint: string };

const MONEY_TEXT = /^(-?)\s*([0-9][0-9.,]*)\s+([A-Za-z]+)$/;

/**
 * `42.50 EUR` (as a caller writes a money param: `--var total="42.50 EUR"`), read strictly: the
 * amount in major units with `.` for decimals, a space, a known ISO 4217 code, and no more decimals
 * than the currency has. A leading `-` is allowed (params may be negative; payments may not).
 */
export function readMoneyText(text: string): MoneyReading {
  const example = "write an amount and its currency, like `42.50 EUR`";
  const m = MONEY_TEXT.exec(text.trim());
  if (!m) return { ok: false, problem: `\`${text}\` is not an amount with its currency`, hint: example };
  const [, sign, amount, code] = m;
  if (!isKnownCurrency(code)) {
    const upper = code.toUpperCase();
    const hint = isKnownCurrency(upper)
      ? `currency codes are upper case: write \`${sign}${amount} ${upper}\``
      : "use an ISO 4217 currency code such as `EUR`, `USD` or `GBP`";
    return { ok: false, problem: `\`${code}\` is not a currency`, hint };
  }
  if (!AMOUNT_PATTERN.test(amount)) {
    return {
      ok: false,
      problem: `\`${amount}\` is not an amount`,
      hint: "write the amount in major units with a point for decimals: `42.50 EUR`",
    };
  }
  const minor = toMinorUnits(amount, code);
  if (minor === undefined) {
    const digits = minorUnitDigits(code) ?? 2;
    const decimals = writtenDecimals(amount) ?? 0;
    if (decimals > digits) {
      return {
        ok: false,
        problem: `\`${amount} ${code}\` has ${decimals} decimal${decimals === 1 ? "" : "s"}, but ${code} has ${digits}`,
        hint: `${code} amounts have at most ${digits} decimal${digits === 1 ? "" : "s"}`,
      };
    }
    return { ok: false, problem: `\`${amount} ${code}\` is too large`, hint: largestHint(code) };
  }
  return { ok: true, money: moneyOf(sign ? -minor : minor, code) };
}

/** `the largest amount termflow can hold exactly is 90071992547409.91 EUR`. */
export function largestHint(currency: string): string {
  const code = minorUnitDigits(currency) === undefined ? "EUR" : currency;
  return `the largest amount termflow can hold exactly is ${formatMinorUnits(Number.MAX_SAFE_INTEGER, code)} ${currency}`;
}

// ---- money arithmetic: exact, one rounding rule ----------------------------------------------------

/** A result in minor units, or undefined when it leaves the safe-integer range. */
function safe(minor: bigint, currency: string): Money | undefined {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return moneyOf(Number(minor), currency);
}

/** a + b in a's currency (the caller has checked both are the same). */
export function addMoney(a: Money, b: Money): Money | undefined {
  return safe(BigInt(a.minor) + BigInt(b.minor), a.currency);
}

export function subtractMoney(a: Money, b: Money): Money | undefined {
  return safe(BigInt(a.minor) - BigInt(b.minor), a.currency);
}

/** money * factor, rounded half to even to the currency's minor unit (`10.05 EUR * 50%` = 5.02 EUR). */
export function multiplyMoney(money: Money, factor: Decimal): Money | undefined {
  const scaled = divideHalfEven(BigInt(money.minor) * factor.units, 10n ** BigInt(factor.scale));
  return safe(scaled, money.currency);
}

/** money / divisor, rounded half to even to the minor unit; the divisor must not be zero. */
export function divideMoney(money: Money, divisor: Decimal): Money | undefined {
  const scaled = divideHalfEven(BigInt(money.minor) * 10n ** BigInt(divisor.scale), divisor.units);
  return safe(scaled, money.currency);
}

/** a / b of one currency as a number (`5.00 EUR / 20.00 EUR` = 0.25); b must not be zero. */
export function moneyRatio(a: Money, b: Money): Decimal {
  return divideDecimals({ units: BigInt(a.minor), scale: 0 }, { units: BigInt(b.minor), scale: 0 });
}

/**
 * `total` in `shares` parts that add up to it exactly: they differ by at most one minor unit and
 * the earlier shares take the extra units (100.00 EUR in 3: 33.34, 33.33, 33.33). A negative total
 * splits the same way with every share negative. `shares` is a whole number of at least 1.
 */
export function splitMoney(total: Money, shares: number): Money[] {
  const sign = total.minor < 0 ? -1 : 1;
  const whole = Math.abs(total.minor);
  const base = Math.floor(whole / shares);
  const extra = whole - base * shares;
  return Array.from({ length: shares }, (_, i) => moneyOf(sign * (base + (i < extra ? 1 : 0)), total.currency));
}

/** -1, 0 or 1 for two amounts of one currency. */
export function compareMoney(a: Money, b: Money): number {
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}
