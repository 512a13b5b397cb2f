/**
 * The screen history of one terminal: every change with the clock time it happened at. The screen
 * showing now is always kept; the changes before it count in the simulator's history budget and the
 * oldest go first when it is full.
 */
import { type ByteBudget, KeptList, type Kept, valueBytes } from "./history.js";
import type { ScreenEvent } from "./types.js";

/** A ScreenEvent without its time; the timeline stamps it. */
export type ScreenChange = ScreenEvent extends infer E ? (E extends ScreenEvent ? Omit<E, "at"> : never) : never;

interface PastScreen extends Kept {
  event: ScreenEvent;
}

export class Timeline {
  private readonly past: KeptList<PastScreen>;
  private now_: ScreenEvent;

  constructor(
    private readonly now: () => number,
    budget: ByteBudget,
    /** Told of every recorded change (the terminal publishes it to the simulator's event source). */
    private readonly onShow: (event: ScreenEvent) => void = () => {},
  ) {
    this.past = new KeptList(budget);
    this.now_ = this.started();
  }

  /** Records a change; an idle screen following an idle screen is not a change. */
  show(change: ScreenChange): void {
    if (change.screen === "idle" && this.now_.screen === "idle") return;
    const event: Record<string, unknown> = { at: this.now() };
    for (const key in change) {
      const v = (change as Record<string, unknown>)[key];
      if (v !== undefined) event[key] = v;
    }
    this.past.add({ event: this.now_, bytes: valueBytes(this.now_) });
    this.now_ = event as ScreenEvent;
    this.onShow(this.now_);
  }

  current(): ScreenEvent {
    return this.now_;
  }

  all(): ScreenEvent[] {
    const events = this.past.toArray().map((p) => ({ ...p.event }));
    events.push({ ...this.now_ });
    return events;
  }

  reset(): void {
    this.past.clear();
    this.now_ = this.started();
  }

  private started(): ScreenEvent {
    return { at: this.now(), screen: "idle", reason: "started" };
  }
}
