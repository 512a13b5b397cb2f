/**
 * Money without floats. Amounts are written in major units (`12.50`) and held as integer minor
 * units together with their text; the wire wants decimal major units again (`12.5`).
 */

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
