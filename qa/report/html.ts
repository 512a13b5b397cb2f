/**
 * The HTML report: ONE self-contained file (inline CSS and script, nothing fetched) that a person
 * opens when a scenario fails. Per scenario: a pass/fail mark, the failures Hurl style, the screen
 * timeline drawn as lanes of bars, the steps, every request and answer (expandable) and captures.
 */
import type { Exchange, ScenarioResult, SuiteResult } from "../result.js";
import { suiteSummaryLine } from "../result.js";
import { html } from "./html-escape.js";
import { REPORT_CSS, REPORT_JS } from "./html-style.js";
import { timelineHtml } from "./html-timeline.js";
import { decodeBase64Json, formatElapsed, redact } from "../../protocol/index.js";

const MARK: Record<ScenarioResult["status"], string> = {
  passed: "✓",
  failed: "✗",
  invalid: "✗",
  error: "✗",
  skipped: "−",
};

/** The whole report as one HTML document. */
export function htmlReport(suite: SuiteResult, secrets: Iterable<string> = []): string {
  const safe = redact(suite, secrets);
  const t = safe.totals;
  const failed = t.failed + t.invalid + t.error;
  const meta = [safe.startedAt, formatElapsed(safe.wallMs), `${safe.scenarios.length} scenarios`];
  if (safe.interrupted) meta.push("interrupted");
  const totals =
    `<span class="pill pass">${t.passed} passed</span><span class="pill fail">${failed} failed</span>` +
    (t.skipped ? `<span class="pill skip">${t.skipped} skipped</span>` : "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>termflow test report: ${html(suiteSummaryLine(t))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>termflow test report</h1>
<div class="meta">started ${html(meta.join(" · "))}</div>
<div class="totals">${totals}</div>
<div class="controls"><label><input type="checkbox" id="only-failed"> only failures</label><button id="expand-all" type="button">expand all</button></div>
</header>
<main>
${safe.fileErrors.map((f) => `<pre class="failure">${html(f.rendered)}</pre>`).join("\n")}
${safe.scenarios.map((s, i) => scenarioHtml(s, i)).join("\n")}
</main>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}

function scenarioHtml(s: ScenarioResult, i: number): string {
  const bad = s.status === "failed" || s.status === "invalid" || s.status === "error";
  const tags = s.tags.map((tag) => `<span class="tag">${html(tag)}</span>`).join("");
  const time =
    s.status === "skipped" ? "skipped" : `${formatElapsed(s.wallMs)} · terminal time ${formatElapsed(s.virtualMs)}`;
  const parts: string[] = [];
  if (s.failures.length > 0) {
    parts.push(`<h3>${s.status === "skipped" ? "Why skipped" : "Failures"}</h3>`);
    parts.push(...s.failures.map((f) => `<pre class="failure">${html(f.rendered)}</pre>`));
  }
  if (s.status !== "invalid" && s.status !== "skipped") {
    parts.push(`<h3>Screen timeline</h3>${timelineHtml(s.timeline, s.virtualMs)}`);
    parts.push(`<h3>Steps</h3>${stepsHtml(s)}`);
    parts.push(`<h3>Requests and answers (${s.exchanges.length})</h3>${s.exchanges.map(exchangeHtml).join("")}`);
    const captures = Object.entries(s.captures);
    if (captures.length > 0) {
      const rows = captures.map(
        ([k, v]) => `<tr><td><code>${html(k)}</code></td><td><code>${html(JSON.stringify(v))}</code></td></tr>`,
      );
      parts.push(`<h3>Captures</h3><table><tbody>${rows.join("")}</tbody></table>`);
    }
  }
  const summary =
    `<span class="mark" aria-label="${s.status}">${MARK[s.status]}</span><span class="name">${html(s.name)}</span>` +
    `<span class="where">${html(s.file)}:${s.line}</span><span class="time">${html(time)}</span>${tags}`;
  return `<section class="scenario ${s.status}" data-status="${s.status}" id="scenario-${i + 1}">
<details${bad ? " open" : ""}>
<summary>${summary}</summary>
<div class="body">${parts.join("\n")}</div>
</details>
</section>`;
}

function stepsHtml(s: ScenarioResult): string {
  if (s.steps.length === 0) return '<p class="muted">No step ran.</p>';
  // The first step to run is the flow's own: a step of a flow it calls says which file it is in.
  const own = s.steps[0].file;
  const where = (step: ScenarioResult["steps"][number]): string =>
    step.file === own ? `line ${step.line}` : `${html(step.file)}:${step.line}`;
  const items = s.steps.map(
    (step) =>
      `<li class="${step.status}"><span class="mark">${step.status === "passed" ? "✓" : "✗"}</span><code>${html(step.label)}</code>` +
      `<span class="where">${where(step)}</span><span class="time">at ${html(formatElapsed(step.at))}, ${html(formatElapsed(step.durationMs))}</span>` +
      `${step.message ? `<span>${html(step.message)}</span>` : ""}</li>`,
  );
  return `<ol class="steps">${items.join("")}</ol>`;
}

/** The Base64 JSON of a session request, decoded: what a person wants to read in it. */
function serviceIdentification(request: unknown): string | undefined {
  const text = (request as { SaleToPOIRequest?: { AdminRequest?: { ServiceIdentification?: unknown } } })
    ?.SaleToPOIRequest?.AdminRequest?.ServiceIdentification;
  if (typeof text !== "string") return undefined;
  const decoded = decodeBase64Json(text);
  return decoded.ok ? JSON.stringify(decoded.value, null, 2) : undefined;
}

function exchangeHtml(e: Exchange): string {
  const ok = e.outcome === "Success" || e.outcome === "empty";
  const json = (v: unknown): string => (v === undefined ? "(no body)" : JSON.stringify(v, null, 2));
  const decoded = serviceIdentification(e.request);
  const outcome = `<span class="${ok ? "outcome-ok" : "outcome-bad"}">${html(e.outcome)}</span>`;
  const faults = e.faults?.length ? ` · fault: ${html(e.faults.join(", "))}` : "";
  const summary = `→ <strong>${html(e.name)}</strong> at ${html(formatElapsed(e.at))} · ${outcome}${faults}`;
  const request =
    `<h4>request</h4><pre>${html(json(e.request))}</pre>` +
    (decoded ? `<h4>ServiceIdentification, decoded</h4><pre class="decoded">${html(decoded)}</pre>` : "");
  const answeredAt = e.answeredAt !== undefined ? ` at ${html(formatElapsed(e.answeredAt))}` : "";
  const answer = `<h4>answer${answeredAt}</h4><pre>${html(json(e.response))}</pre>`;
  return `<details class="exchange"><summary>${summary}</summary>
<div class="pair"><div>${request}</div><div>${answer}</div></div></details>`;
}
