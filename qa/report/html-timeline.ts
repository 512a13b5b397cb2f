/**
 * The screen timeline drawn for people: one lane per kind of screen, each screen a bar as long as it
 * showed, on a shared time axis. Waiting screens carry their timeout as a label ("5000 ms") so a
 * reader sees at a glance whether the waiting screen came, and how long it stayed.
 */
import type { TimelineEntry } from "../result.js";
import { formatElapsed } from "../../protocol/index.js";
import { html } from "./html-escape.js";

const LANES: Array<{ screen: TimelineEntry["screen"]; label: string }> = [
  { screen: "input", label: "input" },
  { screen: "display", label: "display" },
  { screen: "payment", label: "payment" },
  { screen: "result", label: "result" },
  { screen: "waiting", label: "waiting screen" },
  { screen: "idle", label: "idle" },
];

/** A tick spacing that gives about six ticks across `total` ms. */
function tickStep(total: number): number {
  const steps = [100, 250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000];
  return steps.find((s) => total / s <= 8) ?? 600000;
}

/** The timeline as HTML; empty text when the scenario never reached the terminal. */
export function timelineHtml(entries: readonly TimelineEntry[], endMs: number): string {
  if (entries.length === 0) return '<p class="muted">No screen changes were recorded.</p>';
  const lastEnd = Math.max(endMs, ...entries.map((e) => e.at + (e.durationMs ?? 0)));
  const total = Math.max(1, lastEnd + Math.max(200, lastEnd * 0.04));
  const pct = (ms: number): string => `${((ms / total) * 100).toFixed(3)}%`;
  const lanes = LANES.filter((lane) => entries.some((e) => e.screen === lane.screen));
  const rows = lanes.map((lane) => {
    const bars = entries
      .filter((e) => e.screen === lane.screen)
      .map((e) => {
        const open = e.durationMs === undefined;
        const width = open ? total - e.at : e.durationMs!;
        const text = e.screen === "waiting" ? `${e.timeoutMs ?? "?"} ms` : (e.text ?? e.label);
        const shown = open ? "still showing at the end" : `shown ${formatElapsed(e.durationMs!)}`;
        const failure = e.screen === "result" && /Failure/.test(e.label) ? " failure" : "";
        return (
          `<div class="bar screen-${e.screen}${open ? " open" : ""}${failure}" style="left:${pct(e.at)};width:${pct(width)}"` +
          ` data-screen="${e.screen}" data-at="${e.at}"${e.durationMs !== undefined ? ` data-ms="${e.durationMs}"` : ""}` +
          `${e.timeoutMs !== undefined ? ` data-timeout="${e.timeoutMs}"` : ""}` +
          ` title="${html(`${e.label} · at ${formatElapsed(e.at)} · ${shown}`)}"><span>${html(text)}</span></div>`
        );
      })
      .join("");
    return `<div class="lane"><div class="lane-name">${html(lane.label)}</div><div class="track">${bars}</div></div>`;
  });
  const step = tickStep(total);
  const ticks: string[] = [];
  for (let t = 0; t <= total; t += step)
    ticks.push(`<span class="tick" style="left:${pct(t)}">${html(formatElapsed(t))}</span>`);
  const table = entries
    .map(
      (e) =>
        `<tr><td class="num">${html(formatElapsed(e.at))}</td><td>${html(e.label)}</td>` +
        `<td class="num">${e.durationMs === undefined ? "still showing" : html(formatElapsed(e.durationMs))}</td></tr>`,
    )
    .join("");
  return (
    `<div class="timeline" role="img" aria-label="screen timeline">${rows.join("")}` +
    `<div class="lane axis"><div class="lane-name"></div><div class="track">${ticks.join("")}</div></div></div>` +
    '<details class="timeline-table"><summary>timeline as a table</summary>' +
    `<table><thead><tr><th>at</th><th>screen</th><th>shown</th></tr></thead><tbody>${table}</tbody></table></details>`
  );
}
