/**
 * Failure handlers (`on declined retry 1 { ... }`), the rules both front ends, the checks and the
 * runtime share: which outcomes each step can end with, and what a retry count may be.
 */
import {
  ANY_FAILURE,
  OUTCOMES,
  REQUEST_STEP_KINDS,
  type HandlerOutcome,
  type Outcome,
  type RequestStepKind,
  type Step,
} from "./ast.js";
import { LIMITS } from "./limits.js";
import { didYouMean } from "./suggest.js";

/**
 * What each step can end with that a handler names. A payment or a card acquisition times out only
 * when it has a `within` (the POS gives up); an input also by the terminal's own MaxInputTime.
 */
const STEP_OUTCOMES: { readonly [K in RequestStepKind]: readonly Outcome[] } = {
  input: ["cancelled", "timeout", "failed"],
  display: ["failed"],
  pay: ["declined", "cancelled", "timeout", "failed"],
  refund: ["refused", "failed"],
  print: ["failed"],
  acquire: ["cancelled", "timeout", "failed"],
  status: ["failed"],
};

/** True for the steps that take handlers. */
export function takesHandlers(step: Step): boolean {
  return (REQUEST_STEP_KINDS as readonly string[]).includes(step.kind);
}

/** The outcomes `step` can end with (none for a step that sends no request). */
export function outcomesOf(step: Step): readonly Outcome[] {
  if (!takesHandlers(step)) return [];
  const all = STEP_OUTCOMES[step.kind as RequestStepKind];
  if ((step.kind === "pay" || step.kind === "acquire") && !step.within) return all.filter((o) => o !== "timeout");
  return all;
}

/** Every word `on` takes. */
export const HANDLER_OUTCOMES: readonly HandlerOutcome[] = [...OUTCOMES, ANY_FAILURE];

/** A problem with what is written after `on` or `retry`, worded the same in both syntaxes. */
export interface HandlerWordProblem {
  code: "unknown-outcome" | "unbounded-retry" | "too-many-retries";
  message: string;
  hint: string;
}

/** The outcome `word` names, or why it names none (`unknown` gets its own reason). */
export function readOutcome(word: string): HandlerOutcome | HandlerWordProblem {
  if ((HANDLER_OUTCOMES as readonly string[]).includes(word)) return word as HandlerOutcome;
  if (word === "unknown") {
    return {
      code: "unknown-outcome",
      message: "`unknown` cannot be handled",
      hint:
        "a payment whose answer is lost is settled by TransactionStatus before any handler runs; when that cannot tell, " +
        "the run stops, so nothing can charge the shopper twice: handle `timeout` or `failed` instead",
    };
  }
  if (word === "approved" || word === "acquired" || word === "printed") {
    return {
      code: "unknown-outcome",
      message: `\`${word}\` is not a failure`,
      hint: "a handler runs when its step fails; check a success with `if` after the step",
    };
  }
  const guess = didYouMean(word, HANDLER_OUTCOMES);
  return {
    code: "unknown-outcome",
    message: `unknown outcome \`${word}\``,
    hint: guess
      ? `did you mean \`${guess}\`?`
      : `a handler is \`on\` one of ${HANDLER_OUTCOMES.map((o) => `\`${o}\``).join(", ")}`,
  };
}

/**
 * The count of `retry <n>` from its text (undefined: nothing written), or why it is not one. Only a
 * whole number written in the flow bounds a retry before the run.
 */
export function readRetryCount(text: string | undefined): number | HandlerWordProblem {
  const limit = LIMITS.retries;
  if (text === undefined || !/^[0-9]+$/.test(text)) {
    return {
      code: "unbounded-retry",
      message: text === undefined ? "`retry` needs a count" : `\`retry ${text}\` is not a count`,
      hint: `every retry is bounded: write how many more times to try, a whole number from 1 to ${limit} (\`retry 1\`)`,
    };
  }
  const count = Number(text);
  if (count < 1 || count > limit) {
    return {
      code: "too-many-retries",
      message: `\`retry ${text}\` is out of range`,
      hint:
        count < 1
          ? "`retry 0` never tries again: leave `retry` out"
          : `a step is tried again at most ${limit} times; for more, ask the shopper (\`input confirm\`) in the handler`,
    };
  }
  return count;
}
