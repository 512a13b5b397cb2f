/** The JSON report: the SuiteResult itself (docs/scenarios.md describes it), secrets redacted. */
import type { SuiteResult } from "../result.js";
import { redact } from "./redact.js";

export function jsonReport(suite: SuiteResult, secrets: readonly string[] = []): string {
  return `${JSON.stringify(redact(suite, secrets), null, 2)}\n`;
}
