/**
 * The human step list of `termflow run`: one line per step with ✓/✗ and its duration, containers
 * (sessions, if/else) as headings with their steps indented, session Begin/End shown explicitly.
 * A live line (the CLI's ora spinner on a TTY) shows the step that is running.
 */
import pc from "picocolors";
import type { RunEmitter, RunResult, StepResult } from "../../runtime/index.js";
import { ANY_FAILURE, formatMoney, moneyOf, OUTCOMES } from "../../language/index.js";
import { depthOf, formatCapture } from "./format.js";
import { formatElapsed, isSecretName, REDACTED } from "../../protocol/index.js";

/** The line that shows the running step; the CLI implements it with ora on a TTY. */
export interface LiveLine {
  /** Shows `text` as running, its spinner `indent` columns in (where the step's ✓ will be). */
  start(text: string, indent: number): void;
  /** Replaces the running line with the step's final line; false when nothing was running. */
  finish(symbol: string, text: string): boolean;
  /** Clears the live line, if any. */
  stop(): void;
}

export interface StepListOptions {
  write: (text: string) => void;
  color: boolean;
  live?: LiveLine;
}

const CONTAINERS = new Set(["session", "if", "for", "repeat", "call"]);
/** The path segment of a handler's steps (`3.declined.1`). */
const HANDLER_SEGMENTS = new Set<string>([...OUTCOMES, ANY_FAILURE]);

/** Prints the run's steps as they happen; returns a function that removes the listeners. */
export function attachStepList(emitter: RunEmitter, options: StepListOptions): () => void {
  const c = pc.createColors(options.color);
  const indent = (depth: number): string => "  ".repeat(depth + 1);
  const line = (text: string): void => options.write(`${text}\n`);

  const onStepStart = (e: { path: string; kind: string; label: string }): void => {
    const depth = depthOf(e.path);
    const segments = e.path.split(".");
    if (segments.at(-1) === "1" && segments.at(-2) === "else") line(`${indent(depth - 1)}${c.bold("else")}`);
    const handler = segments.at(-2);
    if (segments.at(-1) === "1" && handler !== undefined && HANDLER_SEGMENTS.has(handler))
      line(`${indent(depth - 1)}${c.bold(`on ${handler}`)}`);
    if (CONTAINERS.has(e.kind)) line(`${indent(depth)}${c.bold(e.label)}`);
    else options.live?.start(e.label, indent(depth).length);
  };
  const onStepEnd = (e: { result: StepResult }): void => {
    const r = e.result;
    const depth = depthOf(r.path);
    if (CONTAINERS.has(r.kind)) {
      // A container's own failure (a session whose Begin was refused, a condition that could not be
      // evaluated) gets a line; its children's failures have theirs already.
      if (r.status !== "passed" && r.diagnostic) line(`${indent(depth)}${mark(r, c)} ${r.label}`);
      // A call that passed says what it gives back, under its steps.
      else if (r.kind === "call" && r.status === "passed" && r.capture) {
        const back = isSecretName(r.capture.name) ? REDACTED : formatCapture(r.capture.value);
        line(
          `${indent(depth + 1)}${mark(r, c)} ${c.dim("back")} ${c.cyan(`→ ${r.capture.name} ${back}`)} ${c.dim(formatElapsed(r.durationMs))}`,
        );
      }
      return;
    }
    // A secret-named capture is hidden however short it is (protocol/redact.ts).
    const captured = r.capture && (isSecretName(r.capture.name) ? REDACTED : formatCapture(r.capture.value));
    const capture = captured ? c.cyan(` → ${captured}`) : "";
    const handled =
      r.status === "passed" && r.diagnostic ? c.yellow(r.handled ? ` (on ${r.handled})` : " (left to the flow)") : "";
    const attempt = r.attempt ? c.dim(` (try ${r.attempt})`) : "";
    const text = `${r.label}${attempt}${capture}${handled} ${c.dim(formatElapsed(r.durationMs))}`;
    if (!options.live?.finish(mark(r, c), text)) line(`${indent(depth)}${mark(r, c)} ${text}`);
  };
  const onSessionBegin = (e: { path: string; id: string }): void => {
    line(`${indent(depthOf(e.path) + 1)}${c.green("✓")} ${c.dim(`Begin session ${JSON.stringify(e.id)}`)}`);
  };
  const onSessionEnd = (e: { path: string; id: string; ok: boolean }): void => {
    options.live?.stop();
    line(
      `${indent(depthOf(e.path) + 1)}${e.ok ? c.green("✓") : c.red("✗")} ${c.dim(`End session ${JSON.stringify(e.id)}`)}`,
    );
  };

  emitter.on("stepStart", onStepStart);
  emitter.on("stepEnd", onStepEnd);
  emitter.on("sessionBegin", onSessionBegin);
  emitter.on("sessionEnd", onSessionEnd);
  return () => {
    options.live?.stop();
    emitter.off("stepStart", onStepStart);
    emitter.off("stepEnd", onStepEnd);
    emitter.off("sessionBegin", onSessionBegin);
    emitter.off("sessionEnd", onSessionEnd);
  };
}

function mark(r: StepResult, c: ReturnType<typeof pc.createColors>): string {
  if (r.status === "passed") return c.green("✓");
  if (r.status === "cancelled") return c.yellow("■");
  return c.red("✗");
}

/**
 * The run's last line: `✓ passed: 9 steps, 12 requests in 7.0s`. A run that did not pass but took
 * money gets a second line saying so: "interrupted" or "failed" must never read as "not paid".
 */
export function runSummaryLine(result: RunResult, color: boolean): string {
  const c = pc.createColors(color);
  const requests = result.messages.filter((m) => m.direction === "request").length;
  const steps = `${result.steps.length} step${result.steps.length === 1 ? "" : "s"}`;
  const counts = `${steps}, ${requests} request${requests === 1 ? "" : "s"} in ${formatElapsed(result.durationMs)}`;
  const first = result.diagnostics[0];
  switch (result.status) {
    case "passed":
      return `${c.bold(c.green("✓ passed"))}: ${counts}\n`;
    case "failed":
      return `${c.bold(c.red("✗ failed"))}: ${first?.message ?? "the flow failed"} (${counts})\n${paidNote(result, c)}`;
    case "error":
      return `${c.bold(c.red("✗ error"))}: ${first?.message ?? "transport error"} (${counts})\n${paidNote(result, c)}`;
    case "cancelled":
      return `${c.bold(c.yellow("■ interrupted"))}: ${ended(result)} (${counts})\n${paidNote(result, c)}`;
    case "invalid":
      return `${c.bold(c.red("✗ not run"))}: ${first?.message ?? "the flow cannot run"}\n`;
  }
}

function ended(result: RunResult): string {
  const sessions = result.steps.filter((s) => s.kind === "session").length > 0 ? " and the session ended" : "";
  const inFlight = result.payments.find((p) => p.afterCancel);
  if (!inFlight) return `the in-flight request was aborted${sessions}`;
  if (inFlight.result === "cancelled") return `the payment in flight was aborted${sessions}`;
  if (inFlight.result === "partial")
    return `the abort came too late: the payment in flight was partly approved${sessions}`;
  return `the abort came too late: the payment in flight was ${inFlight.result}${sessions}`;
}

/**
 * `  ! 42.50 EUR approved (transaction ...): ...` for each approval of a run that did not pass, and
 * for each partial approval: the shopper has paid that much, whatever else the run says.
 */
function paidNote(result: RunResult, c: ReturnType<typeof pc.createColors>): string {
  const transaction = (p: RunResult["payments"][number]) =>
    p.transactionId ? ` (transaction ${p.transactionId})` : "";
  return result.payments
    .filter((p) => p.result === "approved" || p.result === "partial")
    .map((p) =>
      p.result === "partial"
        ? `  ${c.bold(c.yellow("!"))} ${formatMoney(p.amount)} of ${formatMoney(p.requestedAmount)} approved${transaction(p)}: ` +
          `the shopper has paid ${formatMoney(p.amount)}, ` +
          `${formatMoney(moneyOf(p.requestedAmount.minor - p.amount.minor, p.currency))} is not paid; ` +
          "never charge the whole amount again\n"
        : `  ${c.bold(c.yellow("!"))} ${formatMoney(p.amount)} approved${transaction(p)} before the run stopped: the shopper has paid; do not charge again\n`,
    )
    .join("");
}
