/** The screen history of one terminal: every change with the clock time it happened at. */
import type { ScreenEvent } from "./types.js";

/** A ScreenEvent without its time; the timeline stamps it. */
export type ScreenChange = ScreenEvent extends infer E ? (E extends ScreenEvent ? Omit<E, "at"> : never) : never;

export class Timeline {
  private events: ScreenEvent[] = [];

  constructor(
    private readonly now: () => number,
    private readonly limit = Infinity,
    /** Told of every recorded change (the terminal publishes it to the simulator's event source). */
    private readonly onShow: (event: ScreenEvent) => void = () => {},
  ) {
    this.reset();
  }

  /** Records a change; an idle screen following an idle screen is not a change. */
  show(change: ScreenChange): void {
    if (change.screen === "idle" && this.current().screen === "idle") return;
    const event: Record<string, unknown> = { at: this.now() };
    for (const [k, v] of Object.entries(change)) if (v !== undefined) event[k] = v;
    this.events.push(event as ScreenEvent);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    this.onShow(event as ScreenEvent);
  }

  current(): ScreenEvent {
    return this.events[this.events.length - 1];
  }

  all(): ScreenEvent[] {
    return this.events.map((e) => ({ ...e }));
  }

  reset(): void {
    this.events = [{ at: this.now(), screen: "idle", reason: "started" }];
  }
}
