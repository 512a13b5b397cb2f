/**
 * Checks a scenario's expectations against what happened: the terminal's screen timeline, the
 * requests it received, and the runtime's result. Each failed expectation says what was expected
 * and what actually happened, in words a tester can act on.
 */
import type { RequestLogEntry } from "../../simulator/index.js";
import type { RunResult, Value as RunValue } from "../../runtime/index.js";
import {
  describeRequest,
  describeScreen,
  type CountExpectation,
  type Expectation,
  type ScreenRef,
  type Value,
} from "../scenario/model.js";
import { formatMoney, isMoney, isRecord, readMoneyText, type DiagnosticCode } from "../../language/index.js";
import type { TimelineEntry } from "../result.js";
import type { Redactor } from "../../protocol/index.js";
import { matchesRequest } from "./requests.js";

/** Everything the expectations look at, times relative to the scenario's start. */
export interface RunView {
  timeline: TimelineEntry[];
  requests: RequestLogEntry[];
  /** Clock time of the scenario's start: request log times are absolute. */
  start: number;
  /** When runFlow finished, relative. */
  flowEndAt: number;
  run: RunResult;
  /** `secrets`: the run's (protocol/redact.ts); a golden file is written to the repository without them. */
  golden: { stored?: TimelineEntry[]; update: boolean; secrets: Redactor };
}

export interface ExpectationFailure {
  code: DiagnosticCode;
  /** One line: what did not hold. */
  message: string;
  expected: string;
  actual: string;
}

/** undefined when the expectation holds. */
export function checkExpectation(e: Expectation, view: RunView): ExpectationFailure | undefined {
  switch (e.kind) {
    case "waiting":
      return checkWaiting(e, view.timeline);
    case "no-waiting":
      return e.after === "session-end" ? checkNoWaitingAfterEnd(view) : checkNoWaitingAfter(e.after, view.timeline);
    case "final-screen":
      return checkFinalScreen(e.screen, view);
    case "sent":
      return checkSent(e.request, e.count, view);
    case "sent-last": {
      const last = view.requests[view.requests.length - 1];
      if (last && matchesRequest(last, e.request)) return undefined;
      return {
        code: "wrong-last-request",
        message: `the last request was not ${describeRequest(e.request)}`,
        expected: `${describeRequest(e.request)} last`,
        actual: last ? `${requestText(last)} at ${last.at - view.start} ms was last` : "no request was sent",
      };
    }
    case "run":
      return checkRun(e.passed, e.reason, view.run);
    case "capture":
      return checkCapture(e.path, e.comparison, e.value, view.run);
    case "golden-timeline":
      return checkGolden(view);
  }
}

function matchesScreen(entry: TimelineEntry, ref: ScreenRef): boolean {
  if (entry.screen !== ref.screen) return false;
  if ((ref.screen === "input" || ref.screen === "display") && ref.text !== undefined) return entry.text === ref.text;
  return true;
}

/** The screen that followed `index`, skipping the payment result (the waiting screen comes after it). */
function following(timeline: readonly TimelineEntry[], index: number): TimelineEntry | undefined {
  let i = index + 1;
  if (timeline[index]?.screen === "payment") while (timeline[i]?.screen === "result") i++;
  return timeline[i];
}

function screensText(timeline: readonly TimelineEntry[]): string {
  return timeline.map((t) => `${t.label} at ${t.at} ms`).join(", ");
}

function notSeen(ref: ScreenRef, timeline: readonly TimelineEntry[]): ExpectationFailure {
  const sameKind = timeline.filter((t) => t.screen === ref.screen);
  return {
    code: "screen-not-shown",
    message: `the terminal never showed ${describeScreen(ref)}`,
    expected: describeScreen(ref),
    actual:
      sameKind.length > 0
        ? `only ${sameKind.map((t) => t.label).join(", ")}`
        : `screens were: ${screensText(timeline)}`,
  };
}

function checkWaiting(
  e: Extract<Expectation, { kind: "waiting" }>,
  timeline: readonly TimelineEntry[],
): ExpectationFailure | undefined {
  const at = timeline.flatMap((t, i) => (matchesScreen(t, e.after) ? [i] : []));
  if (at.length === 0) return notSeen(e.after, timeline);
  const wanted = [
    e.timeoutMs !== undefined ? `of ${e.timeoutMs} ms` : "",
    e.shownMs !== undefined ? `shown for ${e.shownMs} ms` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const expected = `a waiting screen${wanted ? ` ${wanted}` : ""} after ${describeScreen(e.after)}`;
  for (const i of at) {
    const next = following(timeline, i);
    const where = `after ${timeline[i].label} at ${timeline[i].at} ms`;
    if (next?.screen !== "waiting") {
      return {
        code: "no-waiting-screen",
        message: `no waiting screen after ${describeScreen(e.after)}`,
        expected,
        actual: `${where} came ${next ? `${next.label} at ${next.at} ms` : "nothing"}`,
      };
    }
    if (e.timeoutMs !== undefined && next.timeoutMs !== e.timeoutMs) {
      return {
        code: "wrong-waiting-timeout",
        message: `the waiting screen after ${describeScreen(e.after)} had another timeout`,
        expected,
        actual: `${where} a waiting screen of ${next.timeoutMs} ms`,
      };
    }
    if (e.shownMs !== undefined && next.durationMs !== e.shownMs) {
      return {
        code: "wrong-waiting-duration",
        message: `the waiting screen after ${describeScreen(e.after)} showed for another time`,
        expected,
        actual:
          next.durationMs === undefined
            ? `${where} it was still showing when the scenario ended`
            : `${where} it showed for ${next.durationMs} ms, then ${timeline[timeline.indexOf(next) + 1]?.label ?? "nothing"}`,
      };
    }
  }
  return undefined;
}

function checkNoWaitingAfter(ref: ScreenRef, timeline: readonly TimelineEntry[]): ExpectationFailure | undefined {
  const at = timeline.flatMap((t, i) => (matchesScreen(t, ref) ? [i] : []));
  if (at.length === 0) return notSeen(ref, timeline);
  for (const i of at) {
    const next = following(timeline, i);
    if (next?.screen === "waiting") {
      return {
        code: "unexpected-waiting-screen",
        message: `a waiting screen followed ${describeScreen(ref)}`,
        expected: `no waiting screen after ${describeScreen(ref)}`,
        actual: `after ${timeline[i].label} at ${timeline[i].at} ms came ${next.label} at ${next.at} ms`,
      };
    }
  }
  return undefined;
}

function checkNoWaitingAfterEnd(view: RunView): ExpectationFailure | undefined {
  const end = view.requests.find((r) => matchesRequest(r, "end"));
  if (!end)
    return {
      code: "no-session-end",
      message: "the flow never ended a session",
      expected: "an Admin End, then no waiting screen",
      actual: "no Admin End was sent",
    };
  const endAt = end.at - view.start;
  const late = view.timeline.find((t) => t.screen === "waiting" && t.at > endAt);
  if (!late) return undefined;
  return {
    code: "waiting-after-end",
    message: "a waiting screen started after the session ended",
    expected: `no waiting screen after the Admin End at ${endAt} ms`,
    actual: `${late.label} at ${late.at} ms`,
  };
}

function checkFinalScreen(ref: ScreenRef, view: RunView): ExpectationFailure | undefined {
  const showing = [...view.timeline].reverse().find((t) => t.at <= view.flowEndAt) ?? view.timeline[0];
  if (showing && matchesScreen(showing, ref)) return undefined;
  return {
    code: "wrong-final-screen",
    message: `the flow did not end on ${describeScreen(ref)}`,
    expected: `${describeScreen(ref)} when the flow ended at ${view.flowEndAt} ms`,
    actual: showing ? `${showing.label} (since ${showing.at} ms)` : "no screen",
  };
}

function countText(count: CountExpectation): string {
  const times = (n: number) => (n === 0 ? "never" : n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);
  if (count.kind === "exactly") return `exactly ${times(count.count)}`;
  return `${count.kind === "at-least" ? "at least" : "at most"} ${count.count} time${count.count === 1 ? "" : "s"}`;
}

function requestText(r: RequestLogEntry): string {
  return `${r.body}${r.session ? ` ${r.session.type}` : ""}`;
}

function checkSent(
  request: Extract<Expectation, { kind: "sent" }>["request"],
  count: CountExpectation,
  view: RunView,
): ExpectationFailure | undefined {
  const sent = view.requests.filter((r) => matchesRequest(r, request));
  const n = sent.length;
  const ok =
    count.kind === "exactly" ? n === count.count : count.kind === "at-least" ? n >= count.count : n <= count.count;
  if (ok) return undefined;
  return {
    code: "wrong-request-count",
    message: `${describeRequest(request)} was sent ${n} time${n === 1 ? "" : "s"}`,
    expected: `${describeRequest(request)} sent ${countText(count)}`,
    actual:
      n === 0
        ? `none; the flow sent ${view.requests.map(requestText).join(", ") || "nothing"}`
        : `${n}: ${sent.map((r) => `${r.at - view.start} ms (${r.outcome ?? "no answer"})`).join(", ")}`,
  };
}

/** Codes, conditions and messages a `run fails with ...` can name. */
function reasonsOf(run: RunResult): string[] {
  const out: string[] = [];
  for (const d of run.diagnostics) out.push(d.code, d.message, d.hint ?? "");
  for (const s of run.steps) {
    if (s.answer?.errorCondition) out.push(s.answer.errorCondition);
    if (s.diagnostic) out.push(s.diagnostic.code, s.diagnostic.message);
  }
  return out.filter((r) => r !== "");
}

function checkRun(passed: boolean, reason: string | undefined, run: RunResult): ExpectationFailure | undefined {
  const firstError = run.diagnostics[0];
  const actual =
    run.status === "passed"
      ? "it passed"
      : `it ended ${run.status}${firstError ? `: ${firstError.message} [${firstError.code}]` : ""}`;
  if (passed) {
    return run.status === "passed"
      ? undefined
      : { code: "run-failed", message: "the flow did not pass", expected: "the flow passes", actual };
  }
  if (run.status === "passed")
    return {
      code: "run-passed",
      message: "the flow passed",
      expected: `the flow fails${reason ? ` with ${reason}` : ""}`,
      actual,
    };
  if (reason === undefined) return undefined;
  const reasons = reasonsOf(run);
  if (reasons.some((r) => r.toLowerCase().includes(reason.toLowerCase()))) return undefined;
  return {
    code: "wrong-failure",
    message: `the flow failed, but not with ${reason}`,
    expected: `the flow fails with ${reason}`,
    actual,
  };
}

function lookUp(
  path: readonly string[],
  captures: Record<string, RunValue>,
): { found: true; value: RunValue } | { found: false; where: string } {
  if (!Object.hasOwn(captures, path[0]))
    return {
      found: false,
      where: `nothing was captured as \`${path[0]}\` (captured: ${Object.keys(captures).join(", ") || "nothing"})`,
    };
  let value: RunValue = captures[path[0]];
  for (let i = 1; i < path.length; i++) {
    if (!isRecord(value) || !Object.hasOwn(value, path[i]))
      return { found: false, where: `\`${path.slice(0, i).join(".")}\` has no field \`${path[i]}\`` };
    value = value[path[i]];
  }
  return { found: true, value };
}

function valueText(v: Value): string {
  return v.kind === "string"
    ? JSON.stringify(v.value)
    : v.kind === "number" || v.kind === "money"
      ? v.text
      : v.kind === "boolean"
        ? String(v.value)
        : v.value;
}

/** How a captured value reads in a failure: `12.50 EUR`, `"text"`, `true`. */
function shownValue(v: RunValue): string {
  return typeof v === "string"
    ? JSON.stringify(v)
    : isMoney(v)
      ? formatMoney(v)
      : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);
}

function checkCapture(path: string[], op: string, expected: Value, run: RunResult): ExpectationFailure | undefined {
  const name = path.join(".");
  const expectedText = `${name} ${op} ${valueText(expected)}`;
  const got = lookUp(path, run.captures);
  if (!got.found)
    return { code: "capture-missing", message: `\`${name}\` has no value`, expected: expectedText, actual: got.where };
  const actual = got.value;
  let left: string | number | boolean;
  let right: string | number | boolean;
  if (expected.kind === "money") {
    // Amounts compare in minor units, and only within one currency.
    const reading = readMoneyText(expected.text);
    const comparable = reading.ok && isMoney(actual) && actual.currency === reading.money.currency;
    left = comparable ? actual.minor : Number.NaN;
    right = reading.ok ? reading.money.minor : Number.NaN;
    if (!comparable && op === "!=") left = Number.POSITIVE_INFINITY;
  } else if (expected.kind === "number") {
    left = typeof actual === "number" ? actual : Number(actual);
    right = Number(expected.text);
  } else if (expected.kind === "boolean") {
    left = typeof actual === "boolean" ? actual : String(actual) === "true";
    right = expected.value;
  } else {
    left = typeof actual === "object" ? JSON.stringify(actual) : String(actual);
    right = expected.value;
  }
  const holds =
    op === "=="
      ? left === right
      : op === "!="
        ? left !== right
        : op === "<"
          ? left < right
          : op === "<="
            ? left <= right
            : op === ">"
              ? left > right
              : left >= right;
  if (holds) return undefined;
  return {
    code: "capture-mismatch",
    message: `\`${name}\` is ${shownValue(actual)}`,
    expected: expectedText,
    actual: `${name} is ${shownValue(actual)}${isMoney(actual) && expected.kind !== "money" ? ": compare it with an amount, like `12.50 EUR`" : ""}`,
  };
}

/** The parts of a timeline a golden file keeps (labels and times, not internals), secrets hidden. */
export function goldenOf(timeline: readonly TimelineEntry[], secrets: Redactor): TimelineEntry[] {
  return secrets.value(
    timeline.map((t) => ({
      at: t.at,
      ...(t.durationMs !== undefined ? { durationMs: t.durationMs } : {}),
      screen: t.screen,
      label: t.label,
    })),
  );
}

function checkGolden(view: RunView): ExpectationFailure | undefined {
  if (view.golden.update) return undefined;
  const actual = goldenOf(view.timeline, view.golden.secrets);
  const stored = view.golden.stored;
  if (!stored)
    return {
      code: "golden-missing",
      message: "no golden timeline is stored for this scenario",
      expected: "a stored timeline",
      actual: "none yet: run `termflow test --update` to write it",
    };
  const lines = (list: readonly TimelineEntry[]) =>
    list.map((t) => `${t.at} ms ${t.label}${t.durationMs !== undefined ? ` for ${t.durationMs} ms` : ""}`);
  const a = lines(actual);
  const b = lines(stored);
  const i = a.findIndex((line, k) => line !== b[k]);
  const first = i >= 0 ? i : a.length !== b.length ? Math.min(a.length, b.length) : -1;
  if (first < 0) return undefined;
  return {
    code: "golden-mismatch",
    message: `the screen timeline differs from the golden one at screen ${first + 1}`,
    expected: b[first] ?? "no more screens",
    actual: `${a[first] ?? "no more screens"} (run \`termflow test --update\` if the change is right)`,
  };
}
