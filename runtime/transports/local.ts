/**
 * A terminal on the local network: `POST https://<ip>:8443/nexo`, TLS against Adyen's terminal root
 * CA with the CN check instead of the host name check, and payload encryption with the terminal's
 * key (docs/protocol.md "Local encryption"). With a key, every answer must come encrypted and verified:
 * a cleartext one is refused whatever it says, since on the LAN a machine in the middle could write it.
 * Without a key, requests go in clear only to this machine or when the caller says so
 * (`insecureCleartext`). The passphrase is never echoed: not in descriptions, errors or logs.
 */
import { readFileSync } from "node:fs";
import { decryptEnvelope, encryptEnvelope, isEncryptedMessage, type NexoKey } from "../../protocol/index.js";
import { decodeAnswer } from "../nexo/decode.js";
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
  /** The terminal's encryption key: requests are encrypted, answers decrypted and verified. */
  key?: NexoKey;
  /**
   * Without a key, send in clear to a terminal that is not on this machine (TEST terminals only):
   * anyone on the network can then read the messages and write the answers. Loopback needs no flag.
   */
  insecureCleartext?: boolean;
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
  const key = options.key;
  if (key && options.insecureCleartext)
    throw new TransportError("config", "insecureCleartext and an encryption key contradict each other: drop one");
  if (!key && !options.insecureCleartext && !isLoopback(base.hostname)) {
    throw new TransportError(
      "config",
      `refusing to send cleartext to the terminal at ${base.host}: configure its encryption key ` +
        "(TERMFLOW_KEY_IDENTIFIER, TERMFLOW_KEY_VERSION, TERMFLOW_KEY_PASSPHRASE), or pass --insecure-cleartext " +
        "(insecureCleartext) for a TEST terminal on a network you trust",
    );
  }
  const agent = keepAliveAgent(base.protocol as "http:" | "https:", {
    ...(ca !== undefined ? { ca } : {}),
    checkServerIdentity: checkTerminalCertificate,
  });
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
 * The decrypted and verified answer. With a key, a cleartext answer is refused whatever it says: a
 * Failure/Refusal or a status NotFound in clear could be a machine in the middle turning an approved
 * payment into "declined" or "never reached the terminal". Only an empty body (an abort's answer)
 * carries nothing to verify.
 */
function decryptAnswer(answer: unknown, key: NexoKey): unknown {
  if (answer === undefined) return undefined;
  if (!isEncryptedMessage(answer)) {
    throw new TransportError(
      "insecure",
      `refused a cleartext answer${claimOf(answer)}: with a key configured every answer must be encrypted and verified`,
    );
  }
  const decrypted = decryptEnvelope(answer, key);
  if (!decrypted.ok) throw new TransportError("insecure", `refused an answer: ${decrypted.error}`);
  return decrypted.message;
}

/** ` (PaymentResponse Failure/Refusal)`: what a refused cleartext answer claimed, for the diagnostic. */
function claimOf(answer: unknown): string {
  const decoded = decodeAnswer(answer);
  if (decoded.kind === "rejected") return " (a Reject notification)";
  if (decoded.kind !== "response") return "";
  const { result, errorCondition } = decoded.response;
  return ` (${decoded.bodyName} ${result}${errorCondition ? `/${errorCondition}` : ""})`;
}

/** 127.0.0.0/8, ::1 and localhost: this machine, where a cleartext message crosses no network. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
