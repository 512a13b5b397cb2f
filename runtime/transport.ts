import type { SaleToPOIRequest } from "../protocol/index.js";

/**
 * How the runtime reaches a terminal: the in-process simulator, the cloud device API, the legacy
 * cloud endpoint or a local terminal. One request in, the decoded answer out.
 */
export interface Transport {
  /** Human-readable target for logs: `simulator`, `cloud https://...`, never a key. */
  readonly description: string;
  /**
   * Sends one request. Resolves with the answer's JSON value, or `undefined` for an empty body
   * (an abort's answer). Rejects with a TransportError on timeout, lost connection, HTTP status other
   * than 200, or a body that is not JSON.
   */
  send(request: SaleToPOIRequest, options: SendOptions): Promise<unknown>;
  close?(): Promise<void>;
}

export interface SendOptions {
  /** Give up waiting for the answer after this long (the request may still be processed). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * `insecure`: an answer refused because it was not encrypted and verified with the configured key
 * (its outcome is unknown: it may have been written by a machine in the middle).
 */
export type TransportErrorKind = "timeout" | "connection" | "http" | "malformed" | "aborted" | "config" | "insecure";

/** A request whose outcome is unknown or failed below the nexo level. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly status?: number,
    /** True when the request certainly never reached the terminal (connection refused, DNS, TLS). */
    readonly notDelivered: boolean = false,
  ) {
    super(message);
    this.name = "TransportError";
  }
}
