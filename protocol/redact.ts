/**
 * The one rule for secrets in anything termflow prints or writes (docs/reliability.md, "No secret in
 * any output"). It lives on the ground floor so every output of every floor applies the same rule.
 *
 * What is secret: a value under a name with a word like key, secret, passphrase, password or token
 * (`X-API-Key`, `apiKey`, a param `api_token`, `TERMFLOW_KEY_PASSPHRASE`), and every value the
 * caller adds (a `--var`, a config file's passphrase, the user and password in an endpoint URL). A
 * secret is hidden wherever it appears, in every form it takes on the wire: as written, URL and form
 * encoded (`%2F`, `+` for a space), JSON and HTML escaped, Base64 (ServiceIdentification, a Base64
 * AdditionalResponse) at any alignment inside a longer Base64 text, and these nested two deep (a
 * form-encoded value inside Base64 JSON).
 */

const SECRET_WORDS = new Set([
  "key",
  "apikey",
  "secret",
  "passphrase",
  "password",
  "passwd",
  "token",
  "authorization",
  "credential",
  "credentials",
]);

export const REDACTED = "[redacted]";

/**
 * Shorter values are not hidden inside other text (a secret `1` would blank out every digit), though
 * a field with a secret name is hidden whatever its length.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Last words that name something about a secret rather than the secret: a key's identifier and
 * version travel in clear in every SecurityTrailer, `--api-key-env` names a variable, `keyFile` a path.
 */
const ABOUT_WORDS = new Set(["id", "identifier", "version", "name", "env", "file", "path"]);

/** Every name with a secret word contains one of these (each secret word contains one). */
const MAY_NAME_SECRET = /key|secret|pass|token|authorization|credential/i;

/**
 * True for `X-API-Key`, `apiKey`, `api_token`, `TERMFLOW_KEY_PASSPHRASE`; false for `monkey`, and for
 * `KeyIdentifier`, `KeyVersion`, `passphraseEnv` (what they hold is not the secret itself).
 */
export function isSecretName(name: string): boolean {
  // Most names (every nexo field a run's results and messages carry) hold no secret word at all:
  // they are turned down before being split into words, which redaction does for every key it visits.
  if (!MAY_NAME_SECRET.test(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
  return words.some((w) => SECRET_WORDS.has(w)) && !ABOUT_WORDS.has(words.at(-1) ?? "");
}

/** Values of environment variables with secret names. */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && typeof value === "string")
    .map(([, value]) => value as string)
    .filter(isHideable);
}

/**
 * The values held under secret names anywhere in `value` (a param or capture `apiKey`, a header
 * `X-API-Key`): a secret given as a param also shows up in display texts, request bodies and step
 * labels, so these values are hidden wherever they appear, not only under their own name.
 */
export function secretsOf(value: unknown): string[] {
  const found = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === "string" || typeof v === "number") {
      if (isHideable(String(v))) found.add(String(v));
    } else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === "object") Object.values(v).forEach(collect);
  };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object")
      for (const [k, child] of Object.entries(v)) (isSecretName(k) ? collect : visit)(child);
  };
  visit(value);
  return [...found];
}

/** The user and password of a URL (`https://user:token@host`), as written and decoded. */
export function secretsOfUrl(text: string | undefined): string[] {
  let url: URL;
  try {
    url = new URL(text ?? "");
  } catch {
    return [];
  }
  const decode = (v: string): string => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  return [url.username, url.password].flatMap((v) => (v ? [v, decode(v)] : [])).filter(isHideable);
}

function isHideable(value: string): boolean {
  return value.trim().length >= MIN_SECRET_LENGTH;
}

/** Percent-encoding that never throws (a lone surrogate has no UTF-8 form: it cannot go on the wire). */
function tryEncode(encode: (s: string) => string): (s: string) => string {
  return (s) => {
    try {
      return encode(s);
    } catch {
      return s;
    }
  };
}

const uri = tryEncode(encodeURIComponent);

/** The ways a text is written into another text on the wire or in a report. */
const TEXT_ENCODINGS: ReadonlyArray<(s: string) => string> = [
  uri,
  (s) => uri(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  (s) => uri(s).replace(/%20/g, "+"),
  // application/x-www-form-urlencoded as URLSearchParams writes it (AdditionalResponse, Adyen's form).
  (s) => new URLSearchParams([["", s]]).toString().slice(1),
  tryEncode(encodeURI),
  (s) => JSON.stringify(s).slice(1, -1),
  // JSON from other encoders: `\/`, and everything outside ASCII as `\uXXXX`.
  (s) =>
    JSON.stringify(s)
      .slice(1, -1)
      .replace(/\//g, "\\/")
      .replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`),
  (s) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  (s) => s.replace(/&/g, "&amp;").replace(/'/g, "&apos;"),
];

/** Every text form of a secret: itself, each encoding, and each encoding of those. */
export function textFormsOf(secret: string): string[] {
  const once = new Set([secret, ...TEXT_ENCODINGS.map((encode) => encode(secret))]);
  const twice = new Set(once);
  for (const form of once) for (const encode of TEXT_ENCODINGS) twice.add(encode(form));
  return [...twice];
}

/**
 * The part of the Base64 of `bytes` that does not depend on what surrounds them, for each of the
 * three positions they can start at in a longer Base64 text: found anywhere, it means the secret is
 * in there. Standard, URL-safe and percent-encoded alphabets.
 */
export function base64CoresOf(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    // Characters that mix in bits of the bytes before (the offset) or after (a partial last group).
    const head = [0, 2, 3][offset];
    const tail = (offset + bytes.length) % 3 === 0 ? 0 : 1;
    const core = encoded.slice(head, encoded.length - tail);
    if (core.length < MIN_SECRET_LENGTH) continue;
    cores.add(core);
    cores.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
    cores.add(core.replace(/\+/g, "%2B").replace(/\//g, "%2F"));
    cores.add(core.replace(/\+/g, "%2b").replace(/\//g, "%2f"));
  }
  return [...cores];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A Base64 character at `i` (any alphabet, or `+`, `/`, `=` percent-encoded): its length, or 0. */
function base64CharAt(text: string, i: number): number {
  const ch = text[i];
  if (ch === undefined) return 0;
  if (/[A-Za-z0-9+/_=-]/.test(ch)) return 1;
  return /^%(2[BbFf]|3[Dd])$/.test(text.slice(i, i + 3)) ? 3 : 0;
}

function base64CharBefore(text: string, i: number): number {
  if (i <= 0) return 0;
  if (i >= 3 && /^%(2[BbFf]|3[Dd])$/.test(text.slice(i - 3, i))) return 3;
  return /[A-Za-z0-9+/_=-]/.test(text[i - 1]) ? 1 : 0;
}

/**
 * The secrets of one command, growing as it learns them (a param's value once the flow is loaded, a
 * capture once its step ran), and the two ways to hide them: in a text, and in a value about to be
 * written as JSON (where secret-named fields are hidden whatever their length).
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern?: { regex: RegExp; cores: Set<string> };

  constructor(secrets: Iterable<string> = []) {
    this.add(...secrets);
  }

  /** Adds secret values; values too short to hide inside text are ignored. */
  add(...values: ReadonlyArray<string | number>): this {
    for (const value of values) {
      const text = String(value);
      if (!isHideable(text) || this.secrets.has(text)) continue;
      this.secrets.add(text);
      this.pattern = undefined;
    }
    return this;
  }

  /** Adds the values held under secret names anywhere in `value` (see `secretsOf`). */
  addFrom(value: unknown): this {
    return this.add(...secretsOf(value));
  }

  [Symbol.iterator](): Iterator<string> {
    return this.secrets.values();
  }

  /** Whether `value` is one of the secrets. */
  has(value: string): boolean {
    return this.secrets.has(value);
  }

  /** `text` with every form of every secret replaced by `[redacted]`. */
  text(text: string): string {
    if (this.secrets.size === 0 || text === "") return text;
    const { regex, cores } = this.compiled();
    regex.lastIndex = 0;
    let out = "";
    let last = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      let start = m.index;
      let end = start + m[0].length;
      if (cores.has(m[0])) {
        // The whole Base64 text the secret is in: its edges would still carry some of its bits.
        for (let n = base64CharBefore(text, start); n > 0; n = base64CharBefore(text, start)) start -= n;
        for (let n = base64CharAt(text, end); n > 0; n = base64CharAt(text, end)) end += n;
        start = Math.max(start, last);
      }
      out += text.slice(last, start) + REDACTED;
      last = end;
      regex.lastIndex = end;
    }
    return last === 0 ? text : out + text.slice(last);
  }

  /**
   * A deep copy for JSON output: fields with secret names become `[redacted]`, secrets inside any
   * string (keys too) are replaced, and a number that is a secret becomes `[redacted]`. Secrets held
   * under secret names inside `value` are learnt first.
   */
  value<T>(value: T): T {
    this.addFrom(value);
    const visit = (v: unknown): unknown => {
      if (typeof v === "string") return this.text(v);
      if (typeof v === "number") return this.secrets.has(String(v)) ? REDACTED : v;
      if (Array.isArray(v)) return v.map(visit);
      if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, child] of Object.entries(v))
          out[this.text(k)] = isSecretName(k) && child !== undefined && child !== null ? REDACTED : visit(child);
        return out;
      }
      return v;
    };
    return visit(value) as T;
  }

  private compiled(): { regex: RegExp; cores: Set<string> } {
    if (this.pattern) return this.pattern;
    const forms = new Set<string>();
    const cores = new Set<string>();
    for (const secret of this.secrets)
      for (const form of textFormsOf(secret)) {
        forms.add(form);
        for (const core of base64CoresOf(form)) cores.add(core);
      }
    // Base64 first, so a secret's Base64 is taken with the whole Base64 text around it; then longer
    // forms before shorter ones, so none leaves a tail.
    const alternatives = [...[...cores].sort(byLength), ...[...forms].filter((f) => !cores.has(f)).sort(byLength)];
    this.pattern = { regex: new RegExp(alternatives.map(escapeRegExp).join("|"), "g"), cores };
    return this.pattern;
  }
}

const byLength = (a: string, b: string): number => b.length - a.length;

/** A deep copy with secret-named fields, their values wherever else they appear, and `secrets` hidden. */
export function redact<T>(value: T, secrets: Iterable<string> = []): T {
  return new Redactor(secrets).value(value);
}
