/**
 * One POST over HTTP(S) with node-fetch (the product's HTTP client) and a keep-alive agent (one
 * TCP/TLS connection reused for a whole run; TLS options live on the agent), with failures mapped to
 * TransportError kinds: timeout, connection (refused, reset, TLS), http (status other than 200),
 * malformed (not JSON, or larger than MAX_ANSWER_BYTES), aborted.
 */
import { getEventListeners } from "node:events";
import http from "node:http";
import https from "node:https";
import { TransportError } from "../transport.js";
import { readBody } from "./read-body.js";

/**
 * The largest answer read: a Terminal API answer is a few kilobytes (a receipt included), so a
 * bigger one is cut off and read as unreadable ("malformed"); a payment's outcome is then settled
 * by TransactionStatus rather than taken from it. Without a bound a broken or hostile endpoint
 * could fill the memory of the process that runs the flow.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

type Fetch = typeof import("node-fetch").default;
let fetchLoading: Promise<Fetch> | undefined;
/** node-fetch once loaded: later requests call it without waiting a turn for the import's promise. */
let loadedFetch: Fetch | undefined;

/**
 * node-fetch (and the stream, body and form machinery under it) is loaded by the first request: a
 * command that sends none (plan, convert, a run on the in-process simulator) never loads it.
 */
function nodeFetch(): Promise<Fetch> {
  fetchLoading ??= import("node-fetch").then((module) => {
    loadedFetch = module.default;
    return module.default;
  });
  return fetchLoading;
}

/**
 * Unfired AbortControllers that finished requests handed back. A request needs a signal only to give
 * up on its own timeout or its caller's cancel, and making a controller (Node's EventTarget) costs
 * about 10 us, a large part of a request's client CPU over loopback; taking one back costs under 1.
 * A controller comes back only when it never fired and node-fetch has taken its listener off, so a
 * reused one cannot abort anything but the request that holds it.
 */
const idleControllers: AbortController[] = [];
const MAX_IDLE_CONTROLLERS = 64;

function takeController(): AbortController {
  return idleControllers.pop() ?? new AbortController();
}

function handBack(controller: AbortController): void {
  if (controller.signal.aborted || idleControllers.length >= MAX_IDLE_CONTROLLERS) return;
  if (getEventListeners(controller.signal, "abort").length === 0) idleControllers.push(controller);
}

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

/** POSTs `body` (JSON text) and returns the answer's parsed JSON, or undefined for an empty body. */
export async function postJson(url: string, body: string, options: PostOptions): Promise<unknown> {
  // node-fetch gives a request up only through a signal: one for the request's own time and,
  // when the caller can cancel it, the caller's signal.
  const controller = takeController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    Math.max(0, options.timeoutMs),
  );
  timer.unref?.();
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const fetch = loadedFetch ?? (await nodeFetch());
    // Given a signal that has already fired, node-fetch destroys the request's body stream with an
    // error nobody listens to, and the process dies of an uncaught 'error' event: give up here.
    if (controller.signal.aborted) throw abortError();
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: options.headers ? { ...JSON_HEADERS, ...options.headers } : JSON_HEADERS,
      agent: options.agent,
      signal: controller.signal as never,
      size: MAX_ANSWER_BYTES,
      // A terminal that redirects is misconfigured: never re-send a payment elsewhere (nor as a GET).
      redirect: "manual",
      // Answers are small JSON: no compressed bodies to inflate.
      compress: false,
    });
    return readBody(response.status, await response.text());
  } catch (error) {
    throw toTransportError(error, url, timedOut, options.timeoutMs);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    handBack(controller);
  }
}

/** The headers of every POST (node-fetch copies them into its own Headers). */
const JSON_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "application/json",
  Accept: "application/json",
};

/** What node-fetch rejects with when its signal fires. */
function abortError(): Error {
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

function toTransportError(error: unknown, url: string, timedOut: boolean, timeoutMs: number): TransportError {
  if (error instanceof TransportError) return error;
  if ((error as { name?: string })?.name === "AbortError") {
    return timedOut
      ? new TransportError("timeout", `no answer from ${url} within ${timeoutMs} ms`)
      : new TransportError("aborted", "the request was cancelled");
  }
  if ((error as { type?: string })?.type === "max-size")
    return new TransportError("malformed", `the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB: cut off`);
  const code = String((error as { code?: string })?.code ?? "");
  // node-fetch wraps system errors as "request to <url> failed, reason: <why>": keep the why.
  const message = (error instanceof Error ? error.message : String(error)).replace(
    /^(request to|Invalid response body while trying to fetch) \S+( failed, reason)?: /,
    "",
  );
  // Refused, unresolvable and failed TLS handshakes happen before the request is written: the
  // terminal never saw it, which lets a payment fail at once instead of asking for its status.
  if (TLS_CODES.test(code) || /certificate|CN /i.test(message))
    return new TransportError("connection", `TLS: ${message}`, undefined, true);
  if (code === "ECONNREFUSED")
    return new TransportError("connection", `connection refused by ${new URL(url).host}`, undefined, true);
  if (
    code === "ECONNRESET" ||
    code === "ERR_STREAM_PREMATURE_CLOSE" ||
    /socket hang up|reset|premature close/i.test(message)
  )
    return new TransportError("connection", `the connection to ${new URL(url).host} was reset`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new TransportError("connection", `cannot resolve ${new URL(url).hostname}`, undefined, true);
  return new TransportError("connection", message);
}
