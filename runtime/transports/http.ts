/**
 * One POST over HTTP(S) with node:http and a keep-alive agent (one TCP/TLS connection reused for a
 * whole run), with failures mapped to TransportError kinds: timeout, connection (refused, reset,
 * TLS), http (status other than 200), malformed (not JSON), aborted. node:http and not node-fetch:
 * on loopback node-fetch spends about 300 us of CPU a request more (docs/benchmarks.md, Runtime),
 * which is most of what the runtime would add to a terminal round trip.
 */
import http from "node:http";
import https from "node:https";
import { TransportError } from "../transport.js";
import { readBody } from "./read-body.js";

export interface PostOptions {
  headers?: Record<string, string>;
  /** The agent for this URL's protocol (keep-alive; TLS settings for https). */
  agent: http.Agent | https.Agent;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Keep-alive agents: plain HTTP, and HTTPS with the given TLS options. */
export function keepAliveAgent(protocol: "http:" | "https:", tls: https.AgentOptions = {}): http.Agent | https.Agent {
  return protocol === "https:" ? new https.Agent({ keepAlive: true, ...tls }) : new http.Agent({ keepAlive: true });
}

/** The parts of the URL last posted to (a run posts to one URL, so it is parsed once). */
let lastTarget: { url: string; options: http.RequestOptions } | undefined;

function targetOf(url: string): http.RequestOptions {
  if (lastTarget?.url !== url) {
    const parsed = new URL(url);
    lastTarget = {
      url,
      options: {
        protocol: parsed.protocol,
        hostname: parsed.hostname.replace(/^\[|\]$/g, ""),
        port: parsed.port,
        path: `${parsed.pathname}${parsed.search}`,
      },
    };
  }
  return lastTarget.options;
}

/** Why a request was given up: its own time ran out, or the caller cancelled it. */
class GivenUp extends Error {
  constructor(readonly timedOut: boolean) {
    super(timedOut ? "timeout" : "aborted");
  }
}

/** POSTs `body` (JSON text) and returns the answer's parsed JSON, or undefined for an empty body. */
export function postJson(url: string, body: string, options: PostOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const target = targetOf(url);
    const send = target.protocol === "https:" ? https.request : http.request;
    let settled = false;
    const done = (error: unknown, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(value);
      else reject(toTransportError(error, url, options.timeoutMs));
    };
    const request = send(
      {
        ...target,
        method: "POST",
        agent: options.agent,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "Content-Length": Buffer.byteLength(body),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          if (!response.complete) return done(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
          try {
            done(undefined, readBody(response.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
          } catch (error) {
            done(error);
          }
        });
        response.on("error", (error) => done(error));
        response.on("aborted", () => done(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })));
      },
    );
    const giveUp = (timedOut: boolean) => {
      done(new GivenUp(timedOut));
      request.destroy();
    };
    const timer = setTimeout(() => giveUp(true), Math.max(0, options.timeoutMs));
    timer.unref?.();
    const onAbort = (): void => giveUp(false);
    request.on("error", (error) => done(error));
    if (options.signal?.aborted) return giveUp(false);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    request.end(body);
  });
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

function toTransportError(error: unknown, url: string, timeoutMs: number): TransportError {
  if (error instanceof TransportError) return error;
  if (error instanceof GivenUp) {
    return error.timedOut
      ? new TransportError("timeout", `no answer from ${url} within ${timeoutMs} ms`)
      : new TransportError("aborted", "the request was cancelled");
  }
  const code = String((error as { code?: string })?.code ?? "");
  const message = error instanceof Error ? error.message : String(error);
  // Refused, unresolvable and failed TLS handshakes happen before the request is written: the
  // terminal never saw it, which lets a payment fail at once instead of asking for its status.
  if (TLS_CODES.test(code) || /certificate|CN /i.test(message))
    return new TransportError("connection", `TLS: ${message}`, undefined, true);
  if (code === "ECONNREFUSED")
    return new TransportError("connection", `connection refused by ${new URL(url).host}`, undefined, true);
  if (code === "ECONNRESET" || /socket hang up|reset/i.test(message))
    return new TransportError("connection", `the connection to ${new URL(url).host} was reset`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new TransportError("connection", `cannot resolve ${new URL(url).hostname}`, undefined, true);
  return new TransportError("connection", message);
}
