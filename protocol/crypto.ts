/**
 * Adyen's local Terminal API payload encryption (docs/protocol.md "Local encryption"), on node:crypto.
 * Used by the runtime (encrypt requests, decrypt answers) and by the simulator (the other way round).
 *
 * Every decryption failure (bad Base64, wrong key, padding, HMAC, header mismatch) yields the same
 * generic error: distinguishable errors would turn the unauthenticated CBC ciphertext into a padding
 * oracle.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { EncryptedEnvelope, MessageHeader, SecurityTrailer } from "./types.js";

/** A terminal's shared key as configured in the Customer Area: identifier, version and passphrase. */
export interface NexoKey {
  identifier: string;
  version: number;
  passphrase: string;
}

/** The 80 bytes PBKDF2 derives from a passphrase, split as Adyen does. */
export interface KeyMaterial {
  hmacKey: Buffer;
  cipherKey: Buffer;
  ivBase: Buffer;
}

/** The message that the key's owner could not read. Deliberately uninformative. */
export const GENERIC_CRYPTO_ERROR = "Nexo crypto error: the message could not be decrypted or verified";

const SALT = Buffer.from("AdyenNexoV1Salt", "ascii");
const ITERATIONS = 4000;
const CRYPTO_VERSION = 1;

// Derivation costs milliseconds; a terminal and a POS use one key for thousands of messages.
const derived = new Map<string, KeyMaterial>();

/**
 * PBKDF2-HMAC-SHA1(passphrase, "AdyenNexoV1Salt", 4000, 80 bytes): HMAC key, AES key, IV base.
 * The passphrase is taken as UTF-8 (identical to Adyen's Node library for ASCII passphrases).
 */
export function deriveKeyMaterial(passphrase: string): KeyMaterial {
  const cached = derived.get(passphrase);
  if (cached) return cached;
  const bytes = pbkdf2Sync(Buffer.from(passphrase, "utf8"), SALT, ITERATIONS, 80, "sha1");
  const material = {
    hmacKey: bytes.subarray(0, 32),
    cipherKey: bytes.subarray(32, 64),
    ivBase: bytes.subarray(64, 80),
  };
  derived.set(passphrase, material);
  return material;
}

function xor16(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** The root key of a nexo message: `SaleToPOIRequest` or `SaleToPOIResponse`. */
export type NexoRoot = "SaleToPOIRequest" | "SaleToPOIResponse";

/** An encrypted message on the wire: `{SaleToPOIRequest|SaleToPOIResponse: {MessageHeader, NexoBlob, SecurityTrailer}}`. */
export type EncryptedMessage = { [K in NexoRoot]?: EncryptedEnvelope };

/**
 * Encrypts a whole message (`{"SaleToPOIRequest": {...}}` or `{"SaleToPOIResponse": {...}}`): the
 * plaintext is its JSON text, the cleartext MessageHeader is copied beside the blob for routing.
 * `nonce` is for test vectors only; leave it out to get 16 fresh random bytes.
 */
export function encryptEnvelope(message: Record<string, unknown>, key: NexoKey, nonce?: Buffer): EncryptedMessage {
  const root = rootOf(message);
  if (!root) throw new TypeError("encryptEnvelope: expected {SaleToPOIRequest: ...} or {SaleToPOIResponse: ...}");
  const inner = message[root] as { MessageHeader?: MessageHeader };
  const plaintext = Buffer.from(JSON.stringify(message), "utf8");
  const { hmacKey, cipherKey, ivBase } = deriveKeyMaterial(key.passphrase);
  const n = nonce ?? randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", cipherKey, xor16(ivBase, n));
  const blob = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const trailer: SecurityTrailer = {
    AdyenCryptoVersion: CRYPTO_VERSION,
    KeyIdentifier: key.identifier,
    KeyVersion: key.version,
    Nonce: n.toString("base64"),
    Hmac: createHmac("sha256", hmacKey).update(plaintext).digest("base64"),
  };
  return {
    [root]: {
      MessageHeader: inner.MessageHeader as MessageHeader,
      NexoBlob: blob.toString("base64"),
      SecurityTrailer: trailer,
    },
  };
}

/** The outcome of `decryptEnvelope`: the decrypted message, or the one generic error. */
export type DecryptResult =
  | { ok: true; root: NexoRoot; message: Record<string, unknown>; text: string }
  | { ok: false; error: string };

/** True when a parsed JSON value looks like an encrypted message (has a NexoBlob under its root). */
export function isEncryptedMessage(value: unknown): value is EncryptedMessage {
  const root = rootOf(value);
  if (!root) return false;
  const inner = (value as Record<string, unknown>)[root];
  return typeof inner === "object" && inner !== null && "NexoBlob" in inner;
}

/**
 * Decrypts and verifies an encrypted message with `key`: crypto version, key identifier and version,
 * nonce length, AES-256-CBC, HMAC-SHA256 over the decrypted bytes (constant time) and the cleartext
 * header against the decrypted one. Never throws; any failure is `{ok: false, error}` with one message.
 */
export function decryptEnvelope(envelope: unknown, key: NexoKey): DecryptResult {
  const fail: DecryptResult = { ok: false, error: GENERIC_CRYPTO_ERROR };
  try {
    const root = rootOf(envelope);
    if (!root) return fail;
    const inner = (envelope as Record<string, unknown>)[root] as Partial<EncryptedEnvelope> | undefined;
    const trailer = inner?.SecurityTrailer;
    if (!inner || typeof inner.NexoBlob !== "string" || !trailer || typeof trailer !== "object") return fail;
    if (Number(trailer.AdyenCryptoVersion) !== CRYPTO_VERSION) return fail;
    if (trailer.KeyIdentifier !== key.identifier || Number(trailer.KeyVersion) !== key.version) return fail;
    if (typeof trailer.Nonce !== "string" || typeof trailer.Hmac !== "string") return fail;
    const nonce = Buffer.from(trailer.Nonce, "base64");
    const hmac = Buffer.from(trailer.Hmac, "base64");
    if (nonce.length !== 16 || hmac.length !== 32) return fail;
    const { hmacKey, cipherKey, ivBase } = deriveKeyMaterial(key.passphrase);
    const decipher = createDecipheriv("aes-256-cbc", cipherKey, xor16(ivBase, nonce));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(inner.NexoBlob, "base64")), decipher.final()]);
    const expected = createHmac("sha256", hmacKey).update(plaintext).digest();
    if (!timingSafeEqual(expected, hmac)) return fail;
    const text = plaintext.toString("utf8");
    const message = JSON.parse(text) as Record<string, unknown>;
    if (rootOf(message) !== root) return fail;
    const clearHeader = inner.MessageHeader;
    const innerHeader = (message[root] as { MessageHeader?: unknown })?.MessageHeader;
    if (clearHeader !== undefined && !sameHeader(clearHeader, innerHeader)) return fail;
    return { ok: true, root, message, text };
  } catch {
    return fail;
  }
}

function rootOf(value: unknown): NexoRoot | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  if ("SaleToPOIRequest" in value) return "SaleToPOIRequest";
  if ("SaleToPOIResponse" in value) return "SaleToPOIResponse";
  return undefined;
}

// The routing fields must agree; clients (Adyen's own) may drop or reorder optional ones.
function sameHeader(clear: unknown, inner: unknown): boolean {
  if (typeof clear !== "object" || clear === null || typeof inner !== "object" || inner === null) return false;
  const a = clear as Record<string, unknown>;
  const b = inner as Record<string, unknown>;
  return ["MessageCategory", "MessageClass", "ServiceID", "SaleID", "POIID"].every(
    (f) => a[f] === undefined || a[f] === b[f],
  );
}
