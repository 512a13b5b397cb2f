/** The scripted payment outcomes of one terminal, used in order before the decline-by-amount rule. */
import type { PaymentOutcome, PaymentOutcomeLike, PaymentScriptApi } from "./types.js";

export function normalizeOutcome(outcome: PaymentOutcomeLike): PaymentOutcome {
  return typeof outcome === "string" ? ({ outcome } as PaymentOutcome) : outcome;
}

export class PaymentScript implements PaymentScriptApi {
  private queue: PaymentOutcome[] = [];
  private ms: number;

  constructor(private readonly defaultMs: number) {
    this.ms = defaultMs;
  }

  next(...outcomes: PaymentOutcomeLike[]): this {
    this.queue.push(...outcomes.map(normalizeOutcome));
    return this;
  }

  duration(ms: number): this {
    this.ms = Math.max(0, ms);
    return this;
  }

  get durationMs(): number {
    return this.ms;
  }

  pending(): number {
    return this.queue.length;
  }

  reset(): void {
    this.queue = [];
    this.ms = this.defaultMs;
  }

  take(): PaymentOutcome | undefined {
    return this.queue.shift();
  }
}
