// Reports durations outside what the terminal accepts, and second-based times that are not whole seconds.
import type { Duration, Flow } from "../ast.js";
import { DURATION_BOUNDS, type DurationBound, formatMs } from "../duration.js";
import type { Report, StepVisitor } from "./report.js";

export function reportDurationRange(_flow: Flow, report: Report): StepVisitor {
  return {
    step: (step) => {
      if (step.kind === "session") {
        // `session waiting 0` gives every request type the same written duration: report it once.
        const screens = step.waiting;
        for (let i = 0; i < screens.length; i++) {
          let repeated = false;
          for (let j = 0; j < i && !repeated; j++) repeated = sameWritten(screens[j].timeout, screens[i].timeout);
          if (!repeated) check(screens[i].timeout, DURATION_BOUNDS.waitingScreen, report);
        }
      } else if (step.kind === "input") check(step.within, DURATION_BOUNDS.within, report);
      else if (step.kind === "display") check(step.for, DURATION_BOUNDS.displayFor, report);
      else if (step.kind === "wait") check(step.duration, DURATION_BOUNDS.wait, report);
      else if (step.kind === "pay") check(step.within, DURATION_BOUNDS.payWithin, report);
      else if (step.kind === "acquire") check(step.within, DURATION_BOUNDS.acquireWithin, report);
    },
  };
}

function check(duration: Duration | undefined, bound: DurationBound, report: Report): void {
  // Malformed durations (ms missing or not an integer) are the front end's `bad-duration`.
  if (!duration || !Number.isSafeInteger(duration.ms) || duration.ms < 0) return;
  if (duration.ms === 0) {
    report.error("duration-out-of-range", `${bound.what} cannot be zero`, duration.span, {
      hint: `use a duration ${rangeOf(bound)}, or ${bound.zeroHint}`,
    });
  } else if (duration.ms < bound.minMs || duration.ms > bound.maxMs) {
    const side = duration.ms < bound.minMs ? "short" : "long";
    report.error("duration-out-of-range", `${bound.what} of ${written(duration)} is too ${side}`, duration.span, {
      hint: `use a duration ${rangeOf(bound)}`,
    });
  } else if (bound.wholeSeconds && duration.ms % 1000 !== 0) {
    const down = Math.floor(duration.ms / 1000);
    const up = down + 1;
    const choices = [down, up]
      .filter((s) => s * 1000 >= bound.minMs && s * 1000 <= bound.maxMs)
      .map((s) => `\`${s}s\``);
    report.error(
      "duration-not-whole-seconds",
      `${bound.what} of ${written(duration)} is not a whole number of seconds`,
      duration.span,
      {
        hint: `the terminal takes this time in seconds: write ${choices.join(" or ")}`,
      },
    );
  }
}

/** A duration as written, for messages (built only for one that is reported). */
function written(duration: Duration): string {
  return `\`${duration.text ?? formatMs(duration.ms)}\``;
}

function rangeOf(bound: DurationBound): string {
  return `between ${formatMs(bound.minMs)} and ${formatMs(bound.maxMs)}`;
}

/** Two screens of one `session waiting` that share one written duration. */
function sameWritten(a: Duration | undefined, b: Duration | undefined): boolean {
  return a?.span?.start?.offset === b?.span?.start?.offset && a?.span?.end?.offset === b?.span?.end?.offset;
}
