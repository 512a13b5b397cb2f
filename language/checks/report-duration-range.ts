// Reports durations outside what the terminal accepts, and second-based times that are not whole seconds.
import { type Duration, type Flow, walkSteps } from "../ast.js";
import { DURATION_BOUNDS, type DurationBound, formatMs } from "../duration.js";
import type { Report } from "./report.js";

export function reportDurationRange(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind === "session") {
      // `session waiting 0` gives every request type the same written duration: report it once.
      const seen = new Set<string>();
      for (const screen of step.waiting) {
        const at = `${screen.timeout?.span?.start?.offset}:${screen.timeout?.span?.end?.offset}`;
        if (!seen.has(at)) check(screen.timeout, DURATION_BOUNDS.waitingScreen, report);
        seen.add(at);
      }
    } else if (step.kind === "input") check(step.within, DURATION_BOUNDS.within, report);
    else if (step.kind === "display") check(step.for, DURATION_BOUNDS.displayFor, report);
    else if (step.kind === "wait") check(step.duration, DURATION_BOUNDS.wait, report);
    else if (step.kind === "pay") check(step.within, DURATION_BOUNDS.payWithin, report);
    else if (step.kind === "acquire") check(step.within, DURATION_BOUNDS.acquireWithin, report);
  });
}

function check(duration: Duration | undefined, bound: DurationBound, report: Report): void {
  // Malformed durations (ms missing or not an integer) are the front end's `bad-duration`.
  if (!duration || !Number.isSafeInteger(duration.ms) || duration.ms < 0) return;
  const written = `\`${duration.text ?? formatMs(duration.ms)}\``;
  const range = `between ${formatMs(bound.minMs)} and ${formatMs(bound.maxMs)}`;
  if (duration.ms === 0) {
    report.error("duration-out-of-range", `${bound.what} cannot be zero`, duration.span, {
      hint: `use a duration ${range}, or ${bound.zeroHint}`,
    });
  } else if (duration.ms < bound.minMs || duration.ms > bound.maxMs) {
    const side = duration.ms < bound.minMs ? "short" : "long";
    report.error("duration-out-of-range", `${bound.what} of ${written} is too ${side}`, duration.span, {
      hint: `use a duration ${range}`,
    });
  } else if (bound.wholeSeconds && duration.ms % 1000 !== 0) {
    const down = Math.floor(duration.ms / 1000);
    const up = down + 1;
    const choices = [down, up]
      .filter((s) => s * 1000 >= bound.minMs && s * 1000 <= bound.maxMs)
      .map((s) => `\`${s}s\``);
    report.error(
      "duration-not-whole-seconds",
      `${bound.what} of ${written} is not a whole number of seconds`,
      duration.span,
      {
        hint: `the terminal takes this time in seconds: write ${choices.join(" or ")}`,
      },
    );
  }
}
