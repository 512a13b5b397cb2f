/**
 * The run's typed events (eventemitter3). A listener is an observer: one that throws is reported as a
 * warning and skipped, the others still hear the event, and the run (and its session End) goes on.
 */
import { EventEmitter } from "eventemitter3";
import type { Span, StepKind, Diagnostic } from "../language/index.js";
import type { Answer } from "./nexo/decode.js";
import type { RequestBodyName, SaleToPOIRequest } from "../protocol/index.js";
import type { PaymentRecord, RunResult, StepResult } from "./result.js";

export interface FlowStartEvent {
  at: number;
  flow?: string;
  /** Where requests go: `simulator`, `cloud https://...` (never a key). */
  target: string;
}

export interface FlowEndEvent {
  at: number;
  result: RunResult;
}

export interface StepStartEvent {
  at: number;
  path: string;
  kind: StepKind;
  label: string;
  span: Span;
}

export interface StepEndEvent {
  at: number;
  result: StepResult;
}

export interface RequestEvent {
  at: number;
  serviceId: string;
  name: RequestBodyName;
  /** The step that sent it (a session's Begin/End belong to the session step). */
  path?: string;
  message: SaleToPOIRequest;
}

export interface ResponseEvent {
  at: number;
  serviceId: string;
  /** The request this answers. */
  name: RequestBodyName;
  path?: string;
  durationMs: number;
  /** The decoded answer, or absent when none arrived (see `error`). */
  answer?: Answer;
  /** The answer as received (decrypted); undefined for an empty body or no answer. */
  raw?: unknown;
  /** Transport failure: `timeout`, `connection`, ... and its message. */
  error?: { kind: string; message: string };
}

export interface SessionEvent {
  at: number;
  id: string;
  path: string;
}

export interface SessionEndEvent extends SessionEvent {
  /** Whether the terminal accepted the End. */
  ok: boolean;
}

/** A payment's outcome as the terminal gave it, once known (before its step ends). */
export interface PaymentEvent {
  at: number;
  payment: PaymentRecord;
}

export interface RunErrorEvent {
  at: number;
  diagnostic: Diagnostic;
}

/** Every event of a run and its listener signature. */
export interface RunEvents {
  flowStart: (event: FlowStartEvent) => void;
  flowEnd: (event: FlowEndEvent) => void;
  stepStart: (event: StepStartEvent) => void;
  stepEnd: (event: StepEndEvent) => void;
  request: (event: RequestEvent) => void;
  response: (event: ResponseEvent) => void;
  sessionBegin: (event: SessionEvent) => void;
  sessionEnd: (event: SessionEndEvent) => void;
  payment: (event: PaymentEvent) => void;
  error: (event: RunErrorEvent) => void;
}

export type RunEventName = keyof RunEvents;

/** Listeners by event name, as `runFlow(flow, {on: {...}})` takes them. */
export type RunListeners = { [E in RunEventName]?: RunEvents[E] };

interface StoredListener {
  fn: (...args: unknown[]) => void;
  context: unknown;
  once: boolean;
}

/**
 * An eventemitter3 emitter whose `emit` isolates listeners: each one is called in its own try/catch,
 * a throw is handed to `onListenerError` and the next listener still runs.
 */
export class RunEmitter extends EventEmitter<RunEvents> {
  /** Called with the event name and what a listener threw. */
  onListenerError: (event: RunEventName, error: unknown) => void = () => {};

  override emit<T extends RunEventName>(event: T, ...args: EventEmitter.EventArgs<RunEvents, T>): boolean {
    // eventemitter3 keeps listeners in `_events` (a single record or an array); its own emit stops at
    // the first throw, so we walk the same records ourselves and honour `once`.
    const key = EventEmitter.prefixed ? `${String(EventEmitter.prefixed)}${event}` : event;
    const stored = (this as unknown as { _events: Record<string, StoredListener | StoredListener[] | undefined> })
      ._events[key];
    if (!stored) return false;
    const listeners = Array.isArray(stored) ? [...stored] : [stored];
    for (const listener of listeners) {
      if (listener.once) this.removeListener(event, listener.fn as never, listener.context, true);
      try {
        listener.fn.apply(listener.context, args);
      } catch (error) {
        try {
          this.onListenerError(event, error);
        } catch {
          // A broken error handler must not break the run either.
        }
      }
    }
    return true;
  }
}
