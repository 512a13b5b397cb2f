/**
 * The scenario sentences: one vocabulary for `given ...` and `then ...` lines in the text form and
 * for the items of `given:` / `then:` in the YAML form. docs/scenarios.md lists every sentence.
 */
import type { Span, Diagnostic } from "../../language/index.js";
import { Cursor, SentenceError } from "./sentence-cursor.js";
import { tokenize, type SentenceText } from "./sentence-tokens.js";
import {
  COMPARISONS,
  REQUEST_NAMES,
  type Comparison,
  type CountExpectation,
  type Expectation,
  type Fault,
  type Given,
  type PaymentOutcome,
  type RequestName,
  type RequestSelector,
  type ScreenRef,
  type Value,
} from "./model.js";

export const GIVEN_HEADS = ["shopper", "payment", "fault", "run", "var"] as const;
export const EXPECTATION_HEADS = ["waiting", "no", "screen", "sent", "last", "run", "capture", "timeline"] as const;
const SHOPPER_VERBS = ["answers", "does", "cancels", "thinks"];
const PAYMENT_OUTCOMES = ["approved", "partially", "declined", "cancelled", "card", "unanswered"];
const FAULTS = ["busy", "drop", "delay", "http", "malformed"];
const SCREENS = ["input", "display", "payment", "acquisition", "result", "idle", "waiting"];
const REQUEST_WORDS = ["session", ...REQUEST_NAMES];
const CARD_BRANDS = ["mc", "visa", "amex", "maestro"] as const;
const ORDINAL_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 };

export interface SentenceResult<T> {
  value?: T;
  diagnostics: Diagnostic[];
}

/** Parses the words after `given`. `start` is where the whole line's span begins (the keyword). */
export function parseGiven(sentence: SentenceText, start: number): SentenceResult<Given> {
  return parseSentence(sentence, start, (c, span) => given(c, span));
}

/** Parses the words after `then`. */
export function parseExpectation(sentence: SentenceText, start: number): SentenceResult<Expectation> {
  return parseSentence(sentence, start, (c, span) => expectation(c, span));
}

function parseSentence<T>(
  sentence: SentenceText,
  start: number,
  body: (cursor: Cursor, span: () => Span) => T,
): SentenceResult<T> {
  const diagnostics: Diagnostic[] = [];
  const tokens = tokenize(sentence, diagnostics);
  const endOffset = sentence.offsetAt(sentence.text.trimEnd().length);
  const endSpan = sentence.source.span(endOffset, endOffset);
  if (diagnostics.length > 0) return { diagnostics };
  const cursor = new Cursor(tokens, endSpan);
  // The sentence's span runs from its keyword to its last token: what a failure underlines.
  const span = (): Span => sentence.source.span(start, cursor.lastSpan.end.offset);
  try {
    const value = body(cursor, span);
    cursor.expectEnd();
    return { value, diagnostics };
  } catch (error) {
    if (error instanceof SentenceError) return { diagnostics: [error.diagnostic] };
    throw error;
  }
}

// ---- givens --------------------------------------------------------------------------------

function given(c: Cursor, span: () => Span): Given {
  const head = c.expectWord("what the given is about", GIVEN_HEADS);
  switch (head) {
    case "shopper":
      return shopper(c, span);
    case "payment":
      return { kind: "payment", outcome: paymentOutcome(c), span: span() };
    case "fault": {
      const fault = faultKind(c);
      c.expectWord("`on` and the request it hits", ["on"]);
      return { kind: "fault", fault, on: selector(c), span: span() };
    }
    case "run":
      c.expectWord("`cancelled after <duration>`", ["cancelled", "canceled"]);
      c.expectWord("`after <duration>`", ["after"]);
      return { kind: "cancel-run", afterMs: c.expectDuration("when the POS cancels the run").ms, span: span() };
    default: {
      const name = c.peek();
      if (name?.kind !== "word") c.fail("expected-name", "expected the name of a flow param", name?.span);
      c.next();
      const eq = c.peek();
      if (eq?.kind !== "op" || eq.text !== "=") c.fail("expected-token", "expected `=` after the param name", eq?.span);
      c.next();
      return { kind: "var", name: name.text, value: c.expectValue("the param's value"), span: span() };
    }
  }
}

function shopper(c: Cursor, span: () => Span): Given {
  const verb = c.expectWord("what the shopper does", SHOPPER_VERBS);
  if (verb === "answers") {
    // `answers "Prompt" with v` answers by prompt; `answers v1, v2` answers in order.
    if (c.peek()?.kind === "string" && c.peek(1)?.kind === "word" && c.peek(1)?.text === "with") {
      const prompt = c.next().text;
      c.next();
      return { kind: "answer", prompt, values: values(c), span: span() };
    }
    return { kind: "answer", values: values(c), span: span() };
  }
  if (verb === "does") {
    c.expectWord("`not answer`", ["not"]);
    c.expectWord("`answer`", ["answer"]);
    return { kind: "no-answer", ...optionalPrompt(c), span: span() };
  }
  if (verb === "cancels") return { kind: "cancel", ...optionalPrompt(c), span: span() };
  return { kind: "think", ms: c.expectDuration("how long the shopper thinks").ms, span: span() };
}

function optionalPrompt(c: Cursor): { prompt?: string } {
  return c.peek()?.kind === "string" ? { prompt: c.next().text } : {};
}

/** One value, or several separated by commas (a menu answer may pick several entries). */
function values(c: Cursor): Value[] {
  const out = [c.expectValue("the shopper's answer")];
  while (c.peek()?.kind === "comma") {
    c.next();
    out.push(c.expectValue("another answer after the comma"));
  }
  return out;
}

function paymentOutcome(c: Cursor): PaymentOutcome {
  const outcome = c.expectWord("the payment's outcome", PAYMENT_OUTCOMES);
  switch (outcome) {
    case "approved":
      return { kind: "approved", ...cardBrand(c) };
    case "partially": {
      c.expectWord("`approved`", ["approved"]);
      const what = "the amount the card covers, like `30.00` (in the payment's currency)";
      const next = c.peek();
      if (next?.kind !== "number")
        c.fail("expected-number", `expected ${what}`, next?.span, "`given payment partially approved 30.00`");
      const authorised = c.expectValue(what);
      // In the payment's currency: a currency written after it (`30.00 EUR`) is for the reader.
      return {
        kind: "partial",
        authorised: authorised.kind === "money" ? authorised.text.split(" ")[0] : String(next.text),
        ...cardBrand(c),
      };
    }
    case "cancelled":
      return { kind: "cancelled" };
    case "unanswered":
      return { kind: "unanswered" };
    case "card":
      c.expectWord("`removed`", ["removed"]);
      return { kind: "card-removed" };
    default: {
      const condition = c.peek()?.kind === "word" && c.peek()?.text !== "with" ? c.next().text : "Refusal";
      const reason = c.peek()?.kind === "string" ? c.next().text : undefined;
      return {
        kind: "declined",
        errorCondition: condition,
        ...(reason !== undefined ? { reason } : {}),
        ...cardBrand(c),
      };
    }
  }
}

/** `with visa` after a payment outcome: the card the shopper presents. */
function cardBrand(c: Cursor): { brand?: (typeof CARD_BRANDS)[number] } {
  const t = c.peek();
  if (t?.kind !== "word" || t.text !== "with") return {};
  c.next();
  return { brand: c.expectWord("a card brand", CARD_BRANDS) as (typeof CARD_BRANDS)[number] };
}

function faultKind(c: Cursor): Fault {
  const kind = c.expectWord("a fault", FAULTS);
  switch (kind) {
    case "busy":
      return { kind: "busy" };
    case "drop":
      return { kind: "drop" };
    case "malformed":
      return { kind: "malformed" };
    case "delay":
      return { kind: "delay", ms: c.expectDuration("how long the answer is delayed").ms };
    default: {
      const status = c.expectInteger("an HTTP status");
      // The simulator models the one status a terminal endpoint realistically fails with.
      if (status !== 500)
        c.fail("bad-status", `the simulated terminal cannot answer HTTP ${status}`, c.lastSpan, "use `http 500`");
      return { kind: "http", status };
    }
  }
}

/** `[every | first | 2nd | ...] <request>`. */
function selector(c: Cursor): RequestSelector {
  let occurrence: number | "every" = 1;
  const t = c.peek();
  if (t?.kind === "word" && t.text === "every") {
    c.next();
    occurrence = "every";
  } else if (t?.kind === "word" && ORDINAL_WORDS[t.text] !== undefined) {
    c.next();
    occurrence = ORDINAL_WORDS[t.text];
  } else if (t?.kind === "number") {
    const m = /^([1-9][0-9]*)(st|nd|rd|th)$/.exec(t.text);
    if (!m)
      c.fail(
        "bad-ordinal",
        `\`${t.text}\` is not an ordinal`,
        t.span,
        "write `1st`, `2nd`, `3rd`, `4th`, ... or `every`",
      );
    c.next();
    occurrence = Number(m[1]);
  }
  return { request: request(c), occurrence };
}

/** `admin end`, `session begin`, `payment`, `status`, ... */
export function request(c: Cursor): RequestName {
  const word = c.expectWord("a request (`payment`, `input`, `admin end`, ...)", REQUEST_WORDS);
  if (word === "admin" || word === "session") {
    const which = c.takeWord("begin", "end");
    if (which) return which.text.toLowerCase() as RequestName;
    if (word === "session") c.fail("expected-word", "expected `begin` or `end` after `session`", c.lastSpan);
    return "admin";
  }
  return word as RequestName;
}

// ---- expectations --------------------------------------------------------------------------

function expectation(c: Cursor, span: () => Span): Expectation {
  const head = c.expectWord("what to check", EXPECTATION_HEADS);
  switch (head) {
    case "waiting": {
      const timeout = c.peek()?.kind === "number" ? c.expectDuration("the waiting screen's timeout").ms : undefined;
      c.expectWord("`after` and a screen", ["after"]);
      const after = screen(c);
      const shown = c.takeWord("shown") ? c.expectDuration("how long the waiting screen showed").ms : undefined;
      return {
        kind: "waiting",
        after,
        ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
        ...(shown !== undefined ? { shownMs: shown } : {}),
        span: span(),
      };
    }
    case "no": {
      c.expectWord("`waiting`", ["waiting"]);
      c.expectWord("`after`", ["after"]);
      if (c.takeWord("session")) {
        c.expectWord("`end`", ["end"]);
        return { kind: "no-waiting", after: "session-end", span: span() };
      }
      return { kind: "no-waiting", after: screen(c), span: span() };
    }
    case "screen":
      c.expectWord("`at end is`", ["at"]);
      c.expectWord("`end is`", ["end"]);
      c.expectWord("`is`", ["is"]);
      return { kind: "final-screen", screen: screen(c), span: span() };
    case "sent": {
      const req = request(c);
      c.takeWord("exactly");
      return { kind: "sent", request: req, count: count(c), span: span() };
    }
    case "last":
      c.expectWord("`request is`", ["request"]);
      c.expectWord("`is`", ["is"]);
      return { kind: "sent-last", request: request(c), span: span() };
    case "run": {
      const verdict = c.expectWord("`passes` or `fails`", ["passes", "fails"]);
      if (verdict === "fails" && c.takeWord("with")) {
        const reason = c.expectValue("an error condition, code or message");
        return {
          kind: "run",
          passed: false,
          reason:
            reason.kind === "number" || reason.kind === "money" || reason.kind === "boolean"
              ? reason.text
              : reason.value,
          span: span(),
        };
      }
      return { kind: "run", passed: verdict === "passes", span: span() };
    }
    case "capture": {
      const name = c.peek();
      if (name?.kind !== "word")
        c.fail("expected-name", "expected a capture name, like `split` or `payment.result`", name?.span);
      c.next();
      const op = c.peek();
      if (op?.kind !== "op" || !(COMPARISONS as readonly string[]).includes(op.text)) {
        c.fail(
          "expected-comparison",
          "expected a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
          op?.span,
          op?.text === "=" ? "write `==` to compare" : undefined,
        );
      }
      c.next();
      return {
        kind: "capture",
        path: name.text.split("."),
        comparison: op.text as Comparison,
        value: c.expectValue("the value to compare with"),
        span: span(),
      };
    }
    default:
      c.expectWord("`matches golden`", ["matches"]);
      c.expectWord("`golden`", ["golden"]);
      return { kind: "golden-timeline", span: span() };
  }
}

/** `input ["prompt"]`, `display ["text"]`, `payment`, `result`, `idle`, `waiting`. */
function screen(c: Cursor): ScreenRef {
  const which = c.expectWord("a screen", SCREENS);
  if (which === "input" || which === "display") {
    return c.peek()?.kind === "string" ? { screen: which, text: c.next().text } : { screen: which };
  }
  return { screen: which as "payment" | "acquisition" | "result" | "idle" | "waiting" };
}

/** `once`, `twice`, `never`, `3 times`, `at least once`, `at least 1 time`, `at most 2 times`. */
function count(c: Cursor): CountExpectation {
  if (c.takeWord("once")) return { kind: "exactly", count: 1 };
  if (c.takeWord("twice")) return { kind: "exactly", count: 2 };
  if (c.takeWord("never")) return { kind: "exactly", count: 0 };
  let kind: CountExpectation["kind"] = "exactly";
  if (c.takeWord("at")) {
    kind = c.expectWord("`least` or `most`", ["least", "most"]) === "least" ? "at-least" : "at-most";
    if (c.takeWord("once")) return { kind, count: 1 };
    if (c.takeWord("twice")) return { kind, count: 2 };
  }
  const t = c.peek();
  if (t?.kind !== "number" || !/^[0-9]+$/.test(t.text)) {
    c.fail(
      "expected-count",
      "expected how many times: `once`, `twice`, `never`, `3 times`, `at least once`, `at most 2 times`",
      t?.span,
    );
  }
  c.next();
  c.takeWord("time", "times");
  return { kind, count: Number(t.text) };
}
