/**
 * The simulator's screen events as the report and the expectations read them: times relative to
 * the scenario's start, each screen with how long it showed, and a label people recognise.
 */
import { askedToPay, type ScreenEvent } from "../../simulator/index.js";
import type { TimelineEntry } from "../result.js";

/** Relative, labelled entries with durations; the last one is "still showing" (no duration). */
export function normalizeTimeline(events: readonly ScreenEvent[], start: number): TimelineEntry[] {
  return events.map((e, i) => {
    const next = events[i + 1];
    const entry: TimelineEntry = { at: e.at - start, screen: e.screen, label: labelOf(e) };
    if (next) entry.durationMs = next.at - e.at;
    if (e.screen === "input") entry.text = e.prompt;
    if (e.screen === "display") entry.text = e.text;
    if (e.screen === "waiting") {
      entry.timeoutMs = e.timeoutMs;
      entry.after = e.after;
    }
    return entry;
  });
}

function labelOf(e: ScreenEvent): string {
  switch (e.screen) {
    case "input":
      return `input ${JSON.stringify(e.prompt)}`;
    case "display":
      return `display ${JSON.stringify(e.text)}`;
    case "payment":
      return `payment ${askedToPay(e.amount, e.tip, e.currency)}`;
    case "acquisition":
      return "card acquisition";
    case "result":
      return `result ${e.result}${e.errorCondition ? `/${e.errorCondition}` : ""}${e.partly ? ` ${e.partly.paid} of ${e.partly.asked}` : ""}`;
    case "waiting":
      return `waiting ${e.timeoutMs} ms`;
    default:
      return "idle";
  }
}
