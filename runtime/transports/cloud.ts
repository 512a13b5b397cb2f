/**
 * The cloud targets: the device API (`/v1/merchants/{merchant}/devices/{POIID}/sync`, when a merchant
 * account is given) and the legacy endpoint (`/sync`). The API key travels as X-API-Key and is never
 * part of a description, a log line or an error message.
 */
import type { SaleToPOIRequest } from "../../protocol/index.js";
import { TransportError, type SendOptions, type Transport } from "../transport.js";
import { keepAliveAgent, postJson } from "./http.js";

/** Adyen's TEST cloud endpoints (live ones are given with `endpoint`). */
export const CLOUD_TEST_ENDPOINTS = {
  deviceApi: "https://device-api-test.adyen.com",
  legacy: "https://terminal-api-test.adyen.com",
} as const;

export interface CloudTransportOptions {
  /** Base URL; default Adyen's TEST endpoint. `http://127.0.0.1:8080` reaches a `termflow sim`. */
  endpoint?: string;
  /** The merchant account: selects the device API; without it, the legacy `/sync` endpoint. */
  merchant?: string;
  /** X-API-Key (read it from TERMFLOW_API_KEY); required by Adyen's own endpoints. */
  apiKey?: string;
}

/** A Transport to the cloud device API or the legacy cloud endpoint. Throws TransportError("config") on bad options. */
export function cloudTransport(options: CloudTransportOptions = {}): Transport {
  const base = parseBase(
    options.endpoint ?? (options.merchant ? CLOUD_TEST_ENDPOINTS.deviceApi : CLOUD_TEST_ENDPOINTS.legacy),
  );
  if (!options.apiKey && /(^|\.)adyen\.com$/i.test(base.hostname)) {
    throw new TransportError("config", "the cloud endpoint needs an API key: set TERMFLOW_API_KEY");
  }
  const agent = keepAliveAgent(base.protocol as "http:" | "https:");
  const root = base.href.replace(/\/+$/, "");
  const urlFor = (poiid: string): string => {
    if (!options.merchant) return /\/sync$/.test(root) ? root : `${root}/sync`;
    const v1 = /\/v1$/.test(root) ? root : `${root}/v1`;
    return `${v1}/merchants/${encodeURIComponent(options.merchant)}/devices/${encodeURIComponent(poiid)}/sync`;
  };
  return {
    description: `cloud ${options.merchant ? `device API ${base.origin} (merchant ${options.merchant})` : `legacy ${base.origin}`}`,
    send(request: SaleToPOIRequest, sendOptions: SendOptions): Promise<unknown> {
      const url = urlFor(request.SaleToPOIRequest.MessageHeader.POIID);
      return postJson(url, JSON.stringify(request), {
        agent,
        timeoutMs: sendOptions.timeoutMs,
        ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
        ...(options.apiKey ? { headers: { "X-API-Key": options.apiKey } } : {}),
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

/** A base URL, or a config error naming what was wrong. */
export function parseBase(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TransportError("config", `not a URL: ${JSON.stringify(endpoint)} (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TransportError("config", `the endpoint must be http:// or https://, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new TransportError(
      "config",
      "the endpoint is an URL with embedded credentials (a user and password): take them out (the API key goes in X-API-Key)",
    );
  }
  return url;
}
