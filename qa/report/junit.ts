/**
 * JUnit XML, the format CI servers read: one <testsuite> per scenario file, one <testcase> per
 * scenario (per examples row), <failure> for a failed expectation, <error> for an invalid scenario
 * or a runner crash, <skipped/> for skipped ones. Failure bodies are the Hurl-style text.
 */
import type { ScenarioResult, SuiteResult } from "../result.js";
import { printable, redact } from "../../protocol/index.js";

/**
 * Text safe inside XML attributes and elements: control characters made visible (protocol/
 * printable.ts; CI logs print these texts to a terminal), and what XML 1.0 still cannot hold dropped.
 */
export function xmlEscape(text: string): string {
  return printable(text, { lines: true })
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The whole suite as a JUnit XML document. */
export function junitReport(suite: SuiteResult, secrets: Iterable<string> = []): string {
  const safe = redact(suite, secrets);
  const byFile = new Map<string, ScenarioResult[]>();
  for (const s of safe.scenarios) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  const count = (list: readonly ScenarioResult[]) => ({
    tests: list.length,
    failures: list.filter((s) => s.status === "failed").length,
    errors: list.filter((s) => s.status === "invalid" || s.status === "error").length,
    skipped: list.filter((s) => s.status === "skipped").length,
    time: list.reduce((t, s) => t + s.wallMs, 0),
  });
  const all = count(safe.scenarios);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="termflow" tests="${all.tests}" failures="${all.failures}" ` +
      `errors="${all.errors + safe.fileErrors.length}" skipped="${all.skipped}" time="${seconds(safe.wallMs)}" ` +
      `timestamp="${xmlEscape(safe.startedAt)}">`,
  );
  for (const [file, list] of byFile) {
    const c = count(list);
    out.push(
      `  <testsuite name="${xmlEscape(file)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" ` +
        `skipped="${c.skipped}" time="${seconds(c.time)}" timestamp="${xmlEscape(safe.startedAt)}">`,
    );
    for (const s of list) out.push(...testcase(s));
    out.push("  </testsuite>");
  }
  if (safe.fileErrors.length > 0) {
    out.push(
      `  <testsuite name="scenario files" tests="${safe.fileErrors.length}" failures="0" errors="${safe.fileErrors.length}" skipped="0" time="0.000">`,
    );
    safe.fileErrors.forEach((f, i) => {
      out.push(
        `    <testcase name="${xmlEscape(`${f.diagnostic.span.file} (${i + 1})`)}" classname="${xmlEscape(f.diagnostic.span.file)}" time="0.000">`,
      );
      out.push(
        `      <error message="${xmlEscape(f.diagnostic.message)}" type="${xmlEscape(f.diagnostic.code)}">${xmlEscape(f.rendered)}</error>`,
      );
      out.push("    </testcase>");
    });
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

function testcase(s: ScenarioResult): string[] {
  const out = [
    `    <testcase name="${xmlEscape(s.name)}" classname="${xmlEscape(s.file)}" file="${xmlEscape(s.file)}" line="${s.line}" time="${seconds(s.wallMs)}">`,
  ];
  if (s.tags.length > 0 || s.example) {
    out.push("      <properties>");
    for (const tag of s.tags) out.push(`        <property name="tag" value="${xmlEscape(tag)}"/>`);
    for (const [k, v] of Object.entries(s.example?.values ?? {}))
      out.push(`        <property name="example.${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
    out.push("      </properties>");
  }
  const body = s.failures.map((f) => f.rendered).join("\n");
  const first = s.failures[0]?.diagnostic;
  if (s.status === "failed") {
    out.push(
      `      <failure message="${xmlEscape(first?.message ?? "failed")}" type="${xmlEscape(first?.code ?? "failed")}">${xmlEscape(body)}</failure>`,
    );
  } else if (s.status === "invalid" || s.status === "error") {
    out.push(
      `      <error message="${xmlEscape(first?.message ?? s.status)}" type="${xmlEscape(first?.code ?? s.status)}">${xmlEscape(body)}</error>`,
    );
  } else if (s.status === "skipped") {
    out.push(`      <skipped message="${xmlEscape(first?.message ?? "skipped")}"/>`);
  }
  if (s.timeline.length > 0) {
    const lines = s.timeline.map(
      (t) => `${String(t.at).padStart(7)} ms  ${t.label}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ""}`,
    );
    out.push(`      <system-out>${xmlEscape(["screen timeline:", ...lines].join("\n"))}</system-out>`);
  }
  out.push("    </testcase>");
  return out;
}
