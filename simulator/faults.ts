/** Faults injected into one terminal's next requests, by count and optionally by category. */
import type { Fault, FaultOptions, FaultScriptApi } from "./types.js";

interface PendingFault {
  fault: Fault;
  remaining: number;
  skip: number;
  category?: string;
  session?: string;
}

/** A one-word description of a fault for logs: `delay 500ms`, `drop`, `http 500`. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case "delay":
      return `delay ${fault.ms}ms`;
    case "http500":
      return "http 500";
    default:
      return fault.kind;
  }
}

export class FaultScript implements FaultScriptApi {
  private faults: PendingFault[] = [];

  constructor(private readonly changed: () => void = () => {}) {}

  inject(fault: Fault, options: FaultOptions = {}): this {
    this.faults.push({
      fault,
      remaining: options.times ?? 1,
      skip: options.skip ?? 0,
      category: options.category,
      session: options.session,
    });
    this.changed();
    return this;
  }

  delay(ms: number, options?: FaultOptions): this {
    return this.inject({ kind: "delay", ms }, options);
  }

  drop(options: FaultOptions & { processed?: boolean } = {}): this {
    return this.inject({ kind: "drop", processed: options.processed }, options);
  }

  http500(options: FaultOptions & { processed?: boolean } = {}): this {
    return this.inject({ kind: "http500", processed: options.processed }, options);
  }

  malformed(options?: FaultOptions): this {
    return this.inject({ kind: "malformed" }, options);
  }

  busy(options?: FaultOptions): this {
    return this.inject({ kind: "busy" }, options);
  }

  pending(): number {
    return this.faults.filter((f) => f.remaining > 0).length;
  }

  reset(): void {
    this.faults = [];
    this.changed();
  }

  /**
   * The faults for a request of this category/body, consuming one use of each. At most one fault of
   * each kind applies, the earliest injected first.
   */
  take(category: string, body: string, sessionType?: string): Fault[] {
    const taken: Fault[] = [];
    const kinds = new Set<string>();
    for (const pending of this.faults) {
      if (pending.remaining <= 0 || kinds.has(pending.fault.kind)) continue;
      if (pending.category !== undefined && pending.category !== category && pending.category !== body) continue;
      if (pending.session !== undefined && (body !== "AdminRequest" || pending.session !== sessionType)) continue;
      if (pending.skip > 0) {
        pending.skip--;
        continue;
      }
      pending.remaining--;
      kinds.add(pending.fault.kind);
      taken.push(pending.fault);
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    if (taken.length > 0) this.changed();
    return taken;
  }
}
