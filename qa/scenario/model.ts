/**
 * The scenario model: what a QA scenario says, independent of the syntax it was written in.
 *
 * A scenario is a flow, the givens that script the simulated shopper and terminal, and the
 * expectations checked after the run. Both front ends (`*.scenario` text, `*.scenario.yaml`) build
 * exactly these values; every given and expectation keeps the span of the line that wrote it, so a
 * failure points at the scenario source.
 */
import type { CalledFlows, Flow, Span } from "../../language/index.js";

/** A literal written in a scenario sentence: `yes`, `"1234"`, `12.50`, `Refusal`. */
export type Value =
  | { kind: "boolean"; value: boolean; text: string }
  | { kind: "number"; text: string }
  /** `12.50 EUR`: an amount and its currency, as written. */
  | { kind: "money"; text: string }
  | { kind: "string"; value: string }
  | { kind: "word"; value: string };

/** A written value as a param's value: text the param's type reads (`12.50 EUR`, `4`), or a boolean. */
export function paramValueOf(v: Value): string | boolean {
  if (v.kind === "boolean") return v.value;
  return v.kind === "number" || v.kind === "money" ? v.text : v.value;
}

/** Request kinds a given or an expectation can name (`payment`, `admin end`, `status`, ...). */
export const REQUEST_NAMES = [
  "begin",
  "end",
  "admin",
  "input",
  "display",
  "payment",
  "status",
  "abort",
  "reversal",
  "print",
  "acquisition",
  "release",
  "request",
] as const;
export type RequestName = (typeof REQUEST_NAMES)[number];

/** Which requests a given or expectation is about: a kind and, for givens, which occurrence. */
export interface RequestSelector {
  request: RequestName;
  /** 1-based occurrence among requests of that kind; `"every"` for all of them. Default 1. */
  occurrence: number | "every";
}

/** A screen on the terminal's timeline, optionally with the text it showed. */
export type ScreenRef =
  | { screen: "input"; text?: string }
  | { screen: "display"; text?: string }
  | { screen: "payment" }
  | { screen: "acquisition" }
  | { screen: "result" }
  | { screen: "idle" }
  | { screen: "waiting" };

/** `with visa`: the card brand the shopper presents (a card acquisition reads it too). */
export type CardBrandWord = "mc" | "visa" | "amex" | "maestro";

export type PaymentOutcome =
  | { kind: "approved"; brand?: CardBrandWord }
  /** `payment partially approved 30.00`: the card covers only this much, in the payment's currency. */
  | { kind: "partial"; authorised: string; brand?: CardBrandWord }
  | { kind: "declined"; errorCondition: string; reason?: string; brand?: CardBrandWord }
  | { kind: "cancelled" }
  | { kind: "card-removed" }
  /** No answer within the platform timeout: the terminal cancels it itself. */
  | { kind: "unanswered" };

export type Fault =
  | { kind: "busy" }
  | { kind: "drop" }
  | { kind: "delay"; ms: number }
  | { kind: "http"; status: number }
  | { kind: "malformed" };

/** A scripted part of the world the flow runs in. */
export type Given =
  /** The shopper's answer to the input with this prompt, or (no prompt) to the next input in order. */
  | { kind: "answer"; prompt?: string; values: Value[]; span: Span }
  | { kind: "no-answer"; prompt?: string; span: Span }
  | { kind: "cancel"; prompt?: string; span: Span }
  /** The shopper takes this long before every answer. */
  | { kind: "think"; ms: number; span: Span }
  /** The next payment's outcome, in order of `given payment` lines. */
  | { kind: "payment"; outcome: PaymentOutcome; span: Span }
  | { kind: "fault"; fault: Fault; on: RequestSelector; span: Span }
  /** The POS cancels the run (AbortSignal, as Ctrl-C does) this long after it started. */
  | { kind: "cancel-run"; afterMs: number; span: Span }
  /** A value for one of the flow's params (`--var` of `termflow run`). */
  | { kind: "var"; name: string; value: Value; span: Span };

export type CountExpectation =
  | { kind: "exactly"; count: number }
  | { kind: "at-least"; count: number }
  | { kind: "at-most"; count: number };

export const COMPARISONS = ["==", "!=", "<", "<=", ">", ">="] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Something that must be true of the run; checked after the flow ended and the terminal settled. */
export type Expectation =
  /** A waiting screen right after `after`; with its timeout and/or how long it stayed visible. */
  | { kind: "waiting"; after: ScreenRef; timeoutMs?: number; shownMs?: number; span: Span }
  /** No waiting screen right after `after`; `session-end`: none starts after the Admin End. */
  | { kind: "no-waiting"; after: ScreenRef | "session-end"; span: Span }
  /** The screen showing when the flow finished. */
  | { kind: "final-screen"; screen: ScreenRef; span: Span }
  /** How many requests of a kind the flow sent. */
  | { kind: "sent"; request: RequestName; count: CountExpectation; span: Span }
  /** The last request the flow sent. */
  | { kind: "sent-last"; request: RequestName; span: Span }
  /** The run's outcome; `reason` must appear in its error condition, code or message. */
  | { kind: "run"; passed: boolean; reason?: string; span: Span }
  /** A captured value: `capture payment.result == "declined"`. */
  | { kind: "capture"; path: string[]; comparison: Comparison; value: Value; span: Span }
  /** The whole screen timeline equals the golden file beside the scenario (`--update` writes it). */
  | { kind: "golden-timeline"; span: Span };

/** One row of an `examples` table, as written. */
export interface ExampleRow {
  /** 1-based row number. */
  index: number;
  values: Record<string, string>;
  span: Span;
}

/** Where the flow of a scenario came from. */
export type FlowOrigin = { kind: "inline" } | { kind: "file"; path: string; span: Span };

/** One runnable scenario; each row of an `examples` table is one scenario of its own. */
export interface Scenario {
  /** Stable across runs: `file > name`, plus the row for data-driven ones. */
  id: string;
  name: string;
  file: string;
  span: Span;
  tags: string[];
  flow: Flow;
  /** The flows it calls (`call "tip.flow"`), read next to the file it was written in. */
  calls: CalledFlows;
  flowOrigin: FlowOrigin;
  givens: Given[];
  expectations: Expectation[];
  example?: ExampleRow;
}

/** Human text for a screen reference, as a scenario writes it: `input "Split the bill?"`. */
export function describeScreen(ref: ScreenRef): string {
  if ((ref.screen === "input" || ref.screen === "display") && ref.text !== undefined) {
    return `${ref.screen} ${JSON.stringify(ref.text)}`;
  }
  return ref.screen;
}

/** Human text for a request name, as a scenario writes it: `admin end`. */
export function describeRequest(request: RequestName): string {
  if (request === "begin" || request === "end") return `admin ${request}`;
  return request;
}
