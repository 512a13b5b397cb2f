/**
 * The in-process transport: hands each request to a simulator's `handle` (no socket) and reads its
 * answer exactly as the HTTP transports read a response: status, empty body, JSON, dropped
 * connection. Typed structurally so the runtime does not depend on the simulator's module.
 */
import { TransportError, type SendOptions, type Transport } from "../transport.js";
import type { SaleToPOIRequest } from "../../protocol/index.js";
import { readBody } from "./read-body.js";

/** The simulator's answer to one request (simulator/index.ts `SimulatorAnswer`). */
export type SimulatorAnswerLike =
  | { status: number; body: string; headers?: Record<string, string> }
  | { dropped: true };

/** Anything with the simulator's in-process entry point. */
export interface SimulatorLike {
  handle(request: unknown, context?: { path?: string; apiKey?: string }): Promise<SimulatorAnswerLike>;
}

export interface SimulatorTransportOptions {
  /** The endpoint path the simulator sees: `/sync` (default), a cloud device path, or `/nexo`. */
  path?: string;
  /** Sent as the X-API-Key of the cloud paths. */
  apiKey?: string;
}

/** A Transport that talks to a simulator in the same process. */
export function simulatorTransport(simulator: SimulatorLike, options: SimulatorTransportOptions = {}): Transport {
  const context = {
    path: options.path ?? "/sync",
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
  };
  return {
    description: "simulator (in-process)",
    async send(request: SaleToPOIRequest, sendOptions: SendOptions): Promise<unknown> {
      const answer = await raceSignal(simulator.handle(request, context), sendOptions.signal);
      if ("dropped" in answer)
        throw new TransportError("connection", "the connection was reset before an answer arrived");
      return readBody(answer.status, answer.body);
    },
  };
}

/** True for objects that look like a simulator (have `handle`) rather than a Transport (`send`). */
export function isSimulatorLike(value: unknown): value is SimulatorLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as SimulatorLike).handle === "function" &&
    typeof (value as Transport).send !== "function"
  );
}

function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new TransportError("aborted", "the request was cancelled"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new TransportError("aborted", "the request was cancelled"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(
          error instanceof TransportError
            ? error
            : new TransportError("connection", error instanceof Error ? error.message : String(error)),
        );
      },
    );
  });
}
