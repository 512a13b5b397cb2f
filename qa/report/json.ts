/**
 * The JSON report: the SuiteResult itself (docs/scenarios.md describes it), secrets redacted, every
 * control character escaped.
 */
import type { SuiteResult } from "../result.js";
import { printableJson, redact } from "../../protocol/index.js";

export function jsonReport(suite: SuiteResult, secrets: Iterable<string> = []): string {
  return `${printableJson(redact(suite, secrets), 2)}\n`;
}
