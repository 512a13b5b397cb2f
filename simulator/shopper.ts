/**
 * The scripted shopper of one terminal: answers queued in order, answers matched by prompt text,
 * a default think time. Screens nobody scripted get sensible defaults (see input-screens.ts).
 */
import type { ActionResult, ShopperAnswer, ShopperAnswerLike, ShopperScriptApi } from "./types.js";

interface PromptRule {
  match: string | RegExp;
  answer: ShopperAnswer;
  remaining: number;
}

/** Expands the string shorthands into answers. */
export function normalizeAnswer(answer: ShopperAnswerLike): ShopperAnswer {
  switch (answer) {
    case "confirm":
      return { confirm: true };
    case "decline":
      return { confirm: false };
    case "cancel":
      return { cancel: true };
    case "noAnswer":
      return { noAnswer: true };
    default:
      return answer;
  }
}

export class ShopperScript implements ShopperScriptApi {
  private queue: ShopperAnswer[] = [];
  private rules: PromptRule[] = [];
  private think: number;
  private isManual: boolean;

  /** `respond` answers the input showing now: the terminal owns that screen, so it does the answering. */
  constructor(
    private readonly defaultThinkMs: number,
    private readonly defaultManual: boolean,
    private readonly responder: (answer: ShopperAnswer) => ActionResult,
    private readonly changed: () => void,
  ) {
    this.think = defaultThinkMs;
    this.isManual = defaultManual;
  }

  manual(on = true): this {
    this.isManual = on;
    this.changed();
    return this;
  }

  get manualMode(): boolean {
    return this.isManual;
  }

  respond(answer: ShopperAnswerLike): ActionResult {
    return this.responder(normalizeAnswer(answer));
  }

  answer(...answers: ShopperAnswerLike[]): this {
    this.queue.push(...answers.map(normalizeAnswer));
    this.changed();
    return this;
  }

  when(prompt: string | RegExp, answer: ShopperAnswerLike, options: { times?: number } = {}): this {
    this.rules.push({ match: prompt, answer: normalizeAnswer(answer), remaining: options.times ?? Infinity });
    return this;
  }

  thinkTime(ms: number): this {
    this.think = Math.max(0, ms);
    return this;
  }

  get thinkMs(): number {
    return this.think;
  }

  pending(): number {
    return this.queue.length;
  }

  /** Anything set on this shopper beyond the simulator's defaults (answers, rules, think time, mode). */
  get scripted(): boolean {
    return (
      this.queue.length > 0 ||
      this.rules.some((r) => r.remaining > 0) ||
      this.think !== this.defaultThinkMs ||
      this.isManual !== this.defaultManual
    );
  }

  reset(): void {
    this.queue = [];
    this.rules = [];
    this.think = this.defaultThinkMs;
    this.isManual = this.defaultManual;
    this.changed();
  }

  /** The scripted answer for a screen with these texts, consuming it; undefined = use the default. */
  take(texts: string[]): ShopperAnswer | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && texts.some((t) => matches(r.match, t)));
    if (rule) {
      rule.remaining--;
      return rule.answer;
    }
    const next = this.queue.shift();
    if (next) this.changed();
    return next;
  }
}

function matches(match: string | RegExp, text: string): boolean {
  return typeof match === "string" ? text.toLowerCase().includes(match.toLowerCase()) : match.test(text);
}
