/**
 * Looking for a canary secret in output, independently of protocol/redact.ts: by encoding the secret
 * the ways a reader could find it (as written, percent and form encoded, JSON escaped) and by
 * decoding every Base64-looking run of the output at every alignment, twice over.
 */

/** A secret with every character that changes under some encoding: `/ + = & space " \ é`. */
export const CANARY = 'CANARY/SEC+RET=5&x y"q\\é';

/** Readable forms of a secret, by name. */
function formsOf(secret: string): Array<[string, string]> {
  const uri = encodeURIComponent(secret);
  return [
    ["as written", secret],
    ["URL-encoded", uri],
    ["URL-encoded, lower-case hex", uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ["form-encoded", new URLSearchParams([["k", secret]]).toString().slice(2)],
    ["JSON-escaped", JSON.stringify(secret).slice(1, -1)],
    ["JSON-escaped twice", JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1)],
    ["HTML-escaped", secret.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")],
  ];
}

/** Where `secret` shows in `text`, in any form (`form-encoded`, `Base64 of JSON-escaped`), if it does. */
export function findSecret(text: string, secret: string, depth = 2): string | undefined {
  for (const [name, form] of formsOf(secret)) if (text.includes(form)) return name;
  if (depth === 0) return undefined;
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? [])
    for (let k = 0; k < 4; k++)
      for (const alphabet of ["base64", "base64url"] as const) {
        const decoded = Buffer.from(run.slice(k), alphabet).toString("utf8");
        const inner = findSecret(decoded, secret, depth - 1);
        if (inner) return `Base64 of ${inner}`;
      }
  return undefined;
}
