/**
 * A terminal on the local network: `POST https://<ip>:8443/nexo`, TLS against Adyen's terminal root
 * CA with the CN check instead of the host name check, and payload encryption with the terminal's
 * key (protocol.md "Local encryption"). The passphrase is never echoed: not in descriptions, errors
 * or logs.
 */
import { readFileSync } from "node:fs";
import { decryptEnvelope, encryptEnvelope, isEncryptedMessage, type NexoKey } from "../../protocol/index.js";
import { isObject } from "../nexo/decode.js";
import type { SaleToPOIRequest } from "../../protocol/index.js";
import { TransportError, type SendOptions, type Transport } from "../transport.js";
import { parseBase } from "./cloud.js";
import { keepAliveAgent, postJson } from "./http.js";
import { checkTerminalCertificate } from "./tls.js";

export interface LocalTransportOptions {
  /** The terminal's IP address or host name: the URL becomes `https://<host>:8443/nexo`. */
  host?: string;
  /** Overrides the base URL (`http://127.0.0.1:8080` for a `termflow sim`); `/nexo` is appended. */
  endpoint?: string;
  /** Adyen's terminal root CA (PEM), for https. */
  ca?: string | Buffer;
  /** Path of a PEM file with Adyen's terminal root CA, for https. */
  caFile?: string;
  /** The terminal's encryption key; without it requests go in clear (TEST terminals only). */
  key?: NexoKey;
}

/** A Transport to a local terminal. Throws TransportError("config") on bad options. */
export function localTransport(options: LocalTransportOptions): Transport {
  if (!options.endpoint && !options.host)
    throw new TransportError("config", "a local terminal needs its IP address (or an endpoint URL)");
  const base = parseBase(options.endpoint ?? `https://${options.host}:8443`);
  const root = base.href.replace(/\/+$/, "");
  const url = /\/nexo$/.test(root) ? root : `${root}/nexo`;
  let ca = options.ca;
  if (base.protocol === "https:" && ca === undefined) {
    if (!options.caFile) {
      throw new TransportError(
        "config",
        "a local terminal over https needs Adyen's terminal root CA: set TERMFLOW_CA_FILE (or caFile)",
      );
    }
    try {
      ca = readFileSync(options.caFile);
    } catch (error) {
      throw new TransportError("config", `cannot read the root CA file ${options.caFile}: ${(error as Error).message}`);
    }
  }
  const agent = keepAliveAgent(base.protocol as "http:" | "https:", {
    ...(ca !== undefined ? { ca } : {}),
    checkServerIdentity: checkTerminalCertificate,
  });
  const key = options.key;
  return {
    description: `local ${base.origin}${key ? ` (encrypted, key ${key.identifier} v${key.version})` : " (unencrypted)"}`,
    async send(request: SaleToPOIRequest, sendOptions: SendOptions): Promise<unknown> {
      const body = JSON.stringify(key ? encryptEnvelope(request as unknown as Record<string, unknown>, key) : request);
      const answer = await postJson(url, body, {
        agent,
        timeoutMs: sendOptions.timeoutMs,
        ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
      });
      return key ? decryptAnswer(answer, key) : answer;
    },
    async close() {
      agent.destroy();
    },
  };
}

/**
 * The decrypted answer. An unencrypted answer passes only when it is not a success: a genuine
 * terminal encrypts its outcomes, while errors (unreachable, crypto error) may come in clear.
 */
function decryptAnswer(answer: unknown, key: NexoKey): unknown {
  if (answer === undefined) return undefined;
  if (isEncryptedMessage(answer)) {
    const decrypted = decryptEnvelope(answer, key);
    if (!decrypted.ok) throw new TransportError("malformed", decrypted.error);
    return decrypted.message;
  }
  if (
    /"Result"\s*:\s*"(Success|Partial)"/i.test(JSON.stringify(answer)) &&
    isObject(answer) &&
    "SaleToPOIResponse" in answer
  ) {
    throw new TransportError(
      "malformed",
      "refused an unencrypted success answer: a terminal with a key encrypts its answers",
    );
  }
  return answer;
}
