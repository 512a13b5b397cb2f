/** `--reporter junit=<path>` / `json=<path>` / `html=<path>`: parsing the option and writing the files. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SuiteResult } from "../result.js";
import { htmlReport } from "./html.js";
import { jsonReport } from "./json.js";
import { junitReport } from "./junit.js";

export const REPORT_FORMATS = ["junit", "json", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportSpec {
  format: ReportFormat;
  path: string;
}

/** `junit=out/junit.xml` -> {format, path}; a message when it is not one. */
export function parseReporter(text: string): ReportSpec | { error: string } {
  const m = /^([a-z]+)=(.+)$/.exec(text);
  if (!m) return { error: `\`${text}\` is not <format>=<path>, e.g. junit=reports/junit.xml` };
  if (!(REPORT_FORMATS as readonly string[]).includes(m[1]))
    return { error: `unknown report format \`${m[1]}\`: use ${REPORT_FORMATS.join(", ")}` };
  return { format: m[1] as ReportFormat, path: m[2] };
}

/** Renders one report (secrets redacted). */
export function renderReport(format: ReportFormat, suite: SuiteResult, secrets: Iterable<string>): string {
  return format === "junit"
    ? junitReport(suite, secrets)
    : format === "json"
      ? jsonReport(suite, secrets)
      : htmlReport(suite, secrets);
}

/** Writes every report; returns the problems (one line each) of those that could not be written. */
export function writeReports(
  specs: readonly ReportSpec[],
  suite: SuiteResult,
  cwd: string,
  secrets: Iterable<string>,
): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    const path = resolve(cwd, spec.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, renderReport(spec.format, suite, secrets));
    } catch (error) {
      problems.push(
        `cannot write the ${spec.format} report to ${spec.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return problems;
}
