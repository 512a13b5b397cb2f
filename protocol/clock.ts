/**
 * Time, behind one interface, so the runtime, the simulator and the QA runner run on the real clock
 * in production and on a virtual one in tests: a 5000 ms waiting screen then costs no wall time and
 * is measured to the millisecond.
 */

export type TimerHandle = { readonly id: number };

export interface TimerOptions {
  /**
   * False for background work nobody awaits (a waiting screen running out): on the machine's clock
   * such a timer does not keep the process alive. Default true.
   */
  keepAlive?: boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number, options?: TimerOptions): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Shared sleep on top of setTimeout/clearTimeout, honouring an AbortSignal. */
function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal!.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The machine's clock. */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, ms: number, options?: TimerOptions): TimerHandle {
    const id = this.nextId++;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        callback();
      },
      Math.max(0, ms),
    );
    if (options?.keepAlive === false) timer.unref();
    this.timers.set(id, timer);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}

export const systemClock: Clock = new SystemClock();

interface VirtualTimer {
  id: number;
  at: number;
  seq: number;
  callback: () => void;
}

export interface VirtualClockOptions {
  /** Start time, ms since the epoch. Default 2026-01-01T00:00:00.000Z, so timelines are stable. */
  start?: number;
  /**
   * Jump to the next timer by itself whenever the process has nothing else to do (checked over a
   * few event-loop turns). Right for in-process runs; keep it off to step time by hand.
   */
  auto?: boolean;
}

/**
 * A clock that moves only when told (`advance`, `runAll`) or, with `auto`, whenever everything else
 * is waiting on it. Timers due at the same time fire in the order they were set.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, VirtualTimer>();
  private nextId = 1;
  private seq = 0;
  private auto: boolean;
  private pumping = false;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.start ?? Date.UTC(2026, 0, 1);
    this.auto = options.auto ?? false;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), seq: this.seq++, callback });
    this.schedulePump();
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, each at its own time. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.fire(next);
    }
    this.current = target;
    await settle();
  }

  /** Fires timers until none is left (timers set while firing included), up to `limit` of them. */
  async runAll(limit = 100_000): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await settle();
      const next = this.earliest();
      if (!next) return;
      this.fire(next);
    }
    throw new Error(`VirtualClock.runAll: more than ${limit} timers fired; a timer loop?`);
  }

  setAuto(auto: boolean): void {
    this.auto = auto;
    this.schedulePump();
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private fire(timer: VirtualTimer): void {
    this.timers.delete(timer.id);
    if (timer.at > this.current) this.current = timer.at;
    timer.callback();
  }

  private schedulePump(): void {
    if (!this.auto || this.pumping || this.timers.size === 0) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (this.auto && this.timers.size > 0) {
        // Let promise chains and already-queued I/O run first: only time that nobody can make
        // progress without is skipped.
        await settle();
        const next = this.earliest();
        if (!next) break;
        this.fire(next);
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** A few event-loop turns: enough for promise chains and immediate callbacks to run. */
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A duration as every report prints it: `850 ms`, `1.23 s`, `12.5 s`, `2 min 05 s`. One rule, so a
 * step's time reads the same in the console, the JSON reports' text and the HTML report.
 */
export function formatElapsed(ms: number): string {
  const whole = Math.max(0, ms);
  if (whole < 1000) return `${Math.round(whole)} ms`;
  const s = whole / 1000;
  const decimal = s.toFixed(s >= 10 ? 1 : 2);
  if (Number(decimal) < 60) return `${decimal.replace(/\.?0+$/, "")} s`;
  const seconds = Math.round(whole / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}
