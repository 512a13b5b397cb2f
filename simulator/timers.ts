/**
 * Every timer of one simulator, so that stopping it leaves none behind. A timer that answers a
 * request (a shopper's think time, a payment, a delay fault) keeps the process alive while it runs;
 * a background one (a waiting or result screen running out, a scan) does not: nobody awaits it.
 */
import type { Clock, TimerHandle } from "../protocol/index.js";

export type TimerKind = "answer" | "background";

export class SimulatorTimers {
  private readonly live = new Set<TimerHandle>();
  /** The sleeps among them, and how to end each. */
  private readonly sleeping = new Map<TimerHandle, () => void>();

  constructor(private readonly clock: Clock) {}

  set(callback: () => void, ms: number, kind: TimerKind): TimerHandle {
    const handle = this.clock.setTimeout(
      () => {
        this.live.delete(handle);
        callback();
      },
      ms,
      { keepAlive: kind === "answer" },
    );
    this.live.add(handle);
    return handle;
  }

  clear(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.clock.clearTimeout(handle);
    this.live.delete(handle);
  }

  /** Resolves after `ms` (an answer timer), or at once when the simulator stops. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.set(
        () => {
          this.sleeping.delete(handle);
          resolve();
        },
        ms,
        "answer",
      );
      this.sleeping.set(handle, resolve);
    });
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.live.size;
  }

  /** Clears every timer; a sleep resolves now (its request then finds the simulator stopped). */
  clearAll(): void {
    for (const handle of this.live) this.clock.clearTimeout(handle);
    this.live.clear();
    const woken = [...this.sleeping.values()];
    this.sleeping.clear();
    for (const wake of woken) wake();
  }
}
