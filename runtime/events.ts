/**
 * The run's typed events (eventemitter3). A listener is an observer: one that throws is reported as a
 * warning and skipped, the others still hear the event, and the run (and its session End) goes on.
 */
import { EventEmitter } from "eventemitter3";
import type { Span, StepKind, Diagnostic } from "../language/index.js";
import type { Answer } from "./nexo/decode.js";
import type { RequestBodyName, SaleToPOIRequest } from "../protocol/index.js";
import type { PaymentRecord, RunResult, StepResult } from "./result.js";
import type { Value } from "./values.js";

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

/**
 * A `call` step bound the called flow's params and is about to run its steps (paths under the
 * call's own: `3.1`, `3.2`). Secret-named params are learnt from it before anything shows them.
 */
export interface CallEvent {
  at: number;
  /** The call step. */
  path: string;
  /** The called file, as diagnostics name it. */
  file: string;
  /** The called flow's name, when it has one. */
  flow?: string;
  /** Every param of the called flow and its value (given or default). */
  params: Record<string, Value>;
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
  call: (event: CallEvent) => void;
  payment: (event: PaymentEvent) => void;
  error: (event: RunErrorEvent) => void;
}

export type RunEventName = keyof RunEvents;

/** Listeners by event name, as `runFlow(flow, {on: {...}})` takes them. */
export type RunListeners = { [E in RunEventName]?: RunEvents[E] };

type Listener = (...args: never[]) => void;

/** One registration: the listener as given, and the guarded stand-in eventemitter3 holds for it. */
interface Guarded {
  fn: Listener;
  context: unknown;
  once: boolean;
  guard: Listener;
}

/**
 * An eventemitter3 emitter whose listeners are isolated: each is registered through a guard that
 * calls it in its own try/catch, so a throw is handed to `onListenerError` and the next listener still
 * runs (eventemitter3's own emit stops at the first throw). Only its public API is used: `on`,
 * `once`, `off` and `listeners` take and give the listeners as the caller wrote them.
 */
export class RunEmitter extends EventEmitter<RunEvents> {
  /** Called with the event name and what a listener threw. */
  onListenerError: (event: RunEventName, error: unknown) => void = () => {};

  private readonly guarded = new Map<RunEventName, Guarded[]>();

  override on<T extends RunEventName>(event: T, fn: EventEmitter.EventListener<RunEvents, T>, context?: unknown): this {
    return super.on(event, this.guard(event, fn as unknown as Listener, context, false) as never, context);
  }

  override addListener<T extends RunEventName>(
    event: T,
    fn: EventEmitter.EventListener<RunEvents, T>,
    context?: unknown,
  ): this {
    return this.on(event, fn, context);
  }

  override once<T extends RunEventName>(
    event: T,
    fn: EventEmitter.EventListener<RunEvents, T>,
    context?: unknown,
  ): this {
    return super.once(event, this.guard(event, fn as unknown as Listener, context, true) as never, context);
  }

  override removeListener<T extends RunEventName>(
    event: T,
    fn?: EventEmitter.EventListener<RunEvents, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    if (!fn) return this.removeAllListeners(event);
    // The matching rule is eventemitter3's: the same function, and the context and once when given.
    // eventemitter3 itself removes a once listener by its guard when the event fires.
    const matches = (g: Guarded): boolean =>
      (g.fn === (fn as unknown) || g.guard === (fn as unknown)) &&
      (context === undefined || g.context === context) &&
      (!once || g.once);
    for (const g of this.guarded.get(event)?.filter(matches) ?? []) this.forget(event, g);
    return this;
  }

  override off<T extends RunEventName>(
    event: T,
    fn?: EventEmitter.EventListener<RunEvents, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.removeListener(event, fn, context, once);
  }

  override removeAllListeners(event?: RunEventName): this {
    if (event === undefined) this.guarded.clear();
    else this.guarded.delete(event);
    return super.removeAllListeners(event);
  }

  override listeners<T extends RunEventName>(event: T): EventEmitter.EventListener<RunEvents, T>[] {
    const original = new Map((this.guarded.get(event) ?? []).map((g) => [g.guard, g.fn]));
    return super.listeners(event).map((guard) => (original.get(guard as unknown as Listener) ?? guard) as never);
  }

  private guard(event: RunEventName, fn: Listener, context: unknown, once: boolean): Listener {
    const emitter = this;
    const entry: Guarded = {
      fn,
      context,
      once,
      guard(this: unknown, ...args: never[]): void {
        // eventemitter3 drops a once listener before calling it: drop our record of it too.
        if (once)
          emitter.guarded.set(
            event,
            (emitter.guarded.get(event) ?? []).filter((g) => g !== entry),
          );
        try {
          fn.apply(this, args);
        } catch (error) {
          try {
            emitter.onListenerError(event, error);
          } catch {
            // A broken error handler must not break the run either.
          }
        }
      },
    };
    this.guarded.set(event, [...(this.guarded.get(event) ?? []), entry]);
    return entry.guard;
  }

  private forget(event: RunEventName, g: Guarded): void {
    super.removeListener(event, g.guard as never, g.context, g.once);
    this.guarded.set(
      event,
      (this.guarded.get(event) ?? []).filter((other) => other !== g),
    );
  }
}
