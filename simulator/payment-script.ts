/** The scripted payment outcomes of one terminal, used in order before the decline-by-amount rule. */
import type { ActionResult, CardBrand, PaymentOutcome, PaymentOutcomeLike, PaymentScriptApi } from "./types.js";

export function normalizeOutcome(outcome: PaymentOutcomeLike): PaymentOutcome {
  return typeof outcome === "string" ? ({ outcome } as PaymentOutcome) : outcome;
}

/** What a person does to a payment waiting for a card; the terminal acts on it. */
export type CardAction =
  | { kind: "present"; brand?: CardBrand }
  | { kind: "respond"; outcome: PaymentOutcome; brand?: CardBrand };

export class PaymentScript implements PaymentScriptApi {
  private queue: PaymentOutcome[] = [];
  private ms: number;

  constructor(
    private readonly defaultMs: number,
    private readonly actor: (action: CardAction) => ActionResult,
    private readonly changed: () => void,
  ) {
    this.ms = defaultMs;
  }

  next(...outcomes: PaymentOutcomeLike[]): this {
    this.queue.push(...outcomes.map(normalizeOutcome));
    this.changed();
    return this;
  }

  present(card: { brand?: CardBrand } = {}): ActionResult {
    return this.actor({ kind: "present", brand: card.brand });
  }

  respond(outcome: PaymentOutcomeLike, card: { brand?: CardBrand } = {}): ActionResult {
    return this.actor({ kind: "respond", outcome: normalizeOutcome(outcome), brand: card.brand });
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

  /** Anything set beyond the simulator's defaults (outcomes queued, a payment time). */
  get scripted(): boolean {
    return this.queue.length > 0 || this.ms !== this.defaultMs;
  }

  reset(): void {
    this.queue = [];
    this.ms = this.defaultMs;
    this.changed();
  }

  take(): PaymentOutcome | undefined {
    const next = this.queue.shift();
    if (next) this.changed();
    return next;
  }
}
