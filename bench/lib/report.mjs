// The benchmark's report: a table for the console and the same figures as Markdown for
// docs/benchmarks.md, where they replace what is between the two bench markers.
import { readFileSync, writeFileSync } from "node:fs";
import { formatMs, formatRatio, formatSummary, formatValue } from "./stats.mjs";

export const BEGIN = "<!-- bench:begin (written by `npm run bench`; edit the text around it, not inside) -->";
export const END = "<!-- bench:end -->";

/** `<= 0.15` / `>= 0.6`, or empty for rows without a goal. */
export function goalText(goal) {
  if (!goal) return "";
  return goal.max !== undefined ? `<= ${goal.max}` : `>= ${goal.min}`;
}

/** Whether a result meets its row's goal: true, false, or undefined without a goal. */
export function meets(goal, ratio) {
  if (!goal || !Number.isFinite(ratio)) return undefined;
  return goal.max !== undefined ? ratio <= goal.max : ratio >= goal.min;
}

/** The A and B cells of a result: median [min-max], plus CPU and peak memory for whole processes. */
function sideCell(result, side) {
  const s = result[side];
  if (result.kind === "measure") return formatValue(s.value, s.unit);
  const unit = result.unit ?? "ms";
  let cell = formatSummary(s, unit);
  if (result.kind === "process") {
    if (Number.isFinite(s.cpu)) cell += `, cpu ${formatMs(s.cpu)}`;
    if (Number.isFinite(s.peakMiB)) cell += `, ${Math.round(s.peakMiB)} MiB`;
  }
  return cell;
}

function ratioCell(result) {
  let cell = formatRatio(result.ratio);
  if (result.kind === "process" && Number.isFinite(result.cpuRatio)) cell += ` (cpu ${formatRatio(result.cpuRatio)})`;
  return cell;
}

function verdict(row, result) {
  if (result.error) return "failed to run";
  const met = meets(row.goal, result.ratio);
  return met === undefined ? "" : met ? "met" : "not met";
}

/** Rows as Markdown table lines (header first). */
export function markdownTable(entries) {
  const lines = [
    "| What (A / B, measured side by side) | A: median [min-max] | B: median [min-max] | A/B | Goal | |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const { row, result } of entries) {
    if (result.error) {
      lines.push(`| ${row.what} | | | | ${goalText(row.goal)} | failed to run |`);
      continue;
    }
    lines.push(
      `| ${row.what} | ${labelled(labelOf(row, result, "a"), sideCell(result, "a"))} | ` +
        `${labelled(labelOf(row, result, "b"), sideCell(result, "b"))} | ${ratioCell(result)} | ` +
        `${goalText(row.goal)} | ${verdict(row, result)} |`,
    );
  }
  return lines;
}

function labelled(label, cell) {
  return label ? `${label}: ${cell}` : cell;
}

/** A side's label: the row's, or the one a measure row returns with its value. */
function labelOf(row, result, side) {
  return row[side]?.label ?? result[side]?.label ?? "";
}

/** The console report: one block per row, then a one-line verdict. */
export function consoleReport(entries, header) {
  const out = [...header, ""];
  for (const { row, result } of entries) {
    out.push(`${row.what}`);
    if (result.error) {
      out.push(`  failed: ${result.error.split("\n")[0]}`);
      continue;
    }
    out.push(`  A ${labelOf(row, result, "a")}: ${sideCell(result, "a")}`);
    out.push(`  B ${labelOf(row, result, "b")}: ${sideCell(result, "b")}`);
    const goal = row.goal ? `, goal ${goalText(row.goal)}: ${verdict(row, result)}` : "";
    out.push(`  A/B ${ratioCell(result)}${goal}`);
    for (const line of result.details ?? []) out.push(`  ${line}`);
  }
  return out;
}

/** The Markdown between the markers: machine, table, and each row's details. */
export function markdownSection(entries, header) {
  const lines = [...header.map((l) => l), "", ...markdownTable(entries)];
  const detailed = entries.filter(({ result }) => (result.details ?? []).length > 0);
  if (detailed.length > 0) lines.push("", "Details printed by the rows:", "");
  for (const { row, result } of detailed) {
    lines.push(`- ${row.what}:`);
    for (const line of result.details) lines.push(`  - ${line}`);
  }
  return lines.join("\n");
}

/** Replaces the section between the markers of `file`; throws when the markers are missing. */
export function writeSection(file, section) {
  const text = readFileSync(file, "utf8");
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file} has no bench markers (${BEGIN} ... ${END})`);
  writeFileSync(file, `${text.slice(0, begin + BEGIN.length)}\n${section}\n${text.slice(end)}`);
}
