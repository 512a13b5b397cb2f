/**
 * The bounds the language front end keeps on any input, so that no file, however large, deep or
 * broken, makes it run out of memory, stack or time. The same in both syntaxes; docs/language.md
 * ("Limits") lists them and docs/reliability.md ("Bounded input") says what they guarantee.
 */
import type { Diagnostic } from "./diagnostic.js";

export const LIMITS = {
  /**
   * The largest flow read: 4 MiB, as characters of a string (or bytes of a file, `readSource`).
   * A realistic flow is a few KB; the benchmark's 100,000 statements are 3.9 MiB of text. At the
   * limit the worst mini-language file needs about 480 MB of memory, the worst YAML file 1.1 GB
   * (1 GB of it the yaml package's own parse): `npm run bench`, row worst-memory.
   */
  sourceLength: 4 * 1024 * 1024,
  /** Errors reported before reading stops (a file of errors would otherwise list them all). */
  errors: 100,
  /** How deep steps nest: each `session`, `if`, `else if`, `for` and `repeat` inside another is one level. */
  stepDepth: 40,
  /** How deep an expression nests: each operator, `not` and `-` over another is one level. */
  expressionDepth: 100,
  /**
   * How deep calls nest: a flow that a flow `call`s is one level below it. Cycles are errors of
   * their own, so this bounds how many files one check reads along a chain and how deep a run goes.
   */
  callDepth: 8,
  /**
   * The most times one handler tries its step again (`on declined retry 3`): a shopper at a
   * counter tries a card a few times, never in a loop. Written as a number in the flow, so the
   * most requests a step can make is known before the run.
   */
  retries: 3,
} as const;

/** What a step nested deeper than LIMITS.stepDepth is told, the same in both syntaxes. */
export const STEP_TOO_DEEP = {
  code: "too-deeply-nested",
  message: `steps nest more than ${LIMITS.stepDepth} levels deep here`,
  hint: "each `session`, `if`, `else if`, `for`, `repeat` and handler inside another is a level: move the inner steps out, or split the flow",
} as const;

/**
 * Thrown inside a front end to stop reading a file (too many errors, nesting deeper than the parser
 * can follow); the front end catches it and reports `code` at `offset`. Never leaves the language.
 */
export class ReadingStopped extends Error {
  constructor(
    readonly code: "too-many-errors" | "too-deeply-nested",
    readonly offset: number,
  ) {
    super(code);
  }
}

/** `4 MiB`, `50.2 MiB`: a size for messages, rounded up (a size over a limit never reads as the limit). */
export function mebibytes(size: number): string {
  const mib = Math.ceil((size / (1024 * 1024)) * 10) / 10;
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/** The diagnostic for a source longer than LIMITS.sourceLength, or undefined when it fits. */
export function sourceTooLarge(source: string, file: string): Diagnostic | undefined {
  if (source.length <= LIMITS.sourceLength) return undefined;
  const start = { line: 1, column: 1, offset: 0 };
  return {
    code: "source-too-large",
    severity: "error",
    message: `the flow is ${mebibytes(source.length)}, more than the ${mebibytes(LIMITS.sourceLength)} termflow reads`,
    span: { file, start, end: start },
    hint: "a flow this large is generated: split it into several flows",
  };
}

/** The diagnostic that says reading stopped after LIMITS.errors errors. */
export function tooManyErrorsMessage(): { message: string; hint: string } {
  return {
    message: `too many errors: termflow stopped reading here, after ${LIMITS.errors}`,
    hint: "fix the errors above and check the file again",
  };
}
