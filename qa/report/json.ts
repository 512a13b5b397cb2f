/** The JSON report: the SuiteResult itself (docs/scenarios.md describes it), secrets redacted. */
import type { SuiteResult } from "../result.js";
import { redact } from "../../protocol/index.js";

export function jsonReport(suite: SuiteResult, secrets: Iterable<string> = []): string {
  return `${JSON.stringify(redact(suite, secrets), null, 2)}\n`;
}
