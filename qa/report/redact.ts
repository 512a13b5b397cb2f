/**
 * Secrets never reach a report: values under a key whose name has a word like key, secret,
 * passphrase, password or token (`X-API-Key`, `KeyIdentifier`, `passphrase`), and any known secret
 * value (taken from such environment variables) wherever it appears in a string.
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

/** True for `X-API-Key`, `apiKey`, `KeyIdentifier`, `TERMFLOW_PASSPHRASE`; false for `monkey`. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
  return words.some((w) => SECRET_WORDS.has(w));
}

/** Values of environment variables with secret names (at least 4 characters, so `1` is not one). */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && typeof value === "string" && value.length >= 4)
    .map(([, value]) => value as string);
}

/**
 * The values held under secret names anywhere in `value` (a param or capture `apiKey`, a header
 * `X-API-Key`): a secret given as a param also shows up in display texts, request bodies and step
 * labels, so these values are scrubbed wherever they appear, not only under their own name.
 */
export function secretsOf(value: unknown): string[] {
  const found = new Set<string>();
  const collect = (v: unknown): void => {
    if ((typeof v === "string" || typeof v === "number") && String(v).length >= 4) found.add(String(v));
    else if (Array.isArray(v)) v.forEach(collect);
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

/** Replaces every occurrence of a secret in `text`; longer secrets first, so none leaves a tail. */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  const sorted = [...new Set(secrets)].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((t, s) => t.split(s).join(REDACTED), text);
}

/**
 * A deep copy with secret-named fields, their values wherever else they appear, and known secret
 * values replaced by `[redacted]`.
 */
export function redact<T>(value: T, secrets: readonly string[] = []): T {
  const scrub = scrubber([...secrets, ...secretsOf(value)]);
  const visit = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v))
        out[k] = isSecretName(k) && child !== undefined && child !== null ? REDACTED : visit(child);
      return out;
    }
    return v;
  };
  return visit(value) as T;
}
