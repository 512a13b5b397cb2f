/** Small text helpers shared by the reporters. */
import { formatMoney, isRecord, textOf } from "../../language/index.js";
import type { PayCapture } from "../../language/index.js";
import { isSecretName, printable, REDACTED } from "../../protocol/index.js";
import type { Value } from "../../runtime/index.js";

/** What a capture holds, for one line: `true`, `"0612345678"`, `approved 25.00 EUR (CmI6...)`. */
export function formatCapture(value: Value): string {
  if (isRecord(value) && typeof value.result === "string") {
    const pay = value as unknown as PayCapture;
    // A partial approval shows what was paid, never the word "approved" alone.
    if (pay.result === "approved" || pay.result === "partial") {
      const transaction = pay.transactionId ? ` (${printable(pay.transactionId)})` : "";
      return `${pay.result === "partial" ? "partly approved" : "approved"} ${formatMoney(pay.amount)}${transaction}`;
    }
    // The terminal's words: a decline reason could hold anything, control characters included.
    const why = printable([pay.errorCondition, pay.declineReason].filter(Boolean).join(": "));
    return `${pay.result}${why ? ` (${why})` : ""}`;
  }
  // What a called flow captured (`call ... as t`): each capture by name, a secret-named one hidden.
  if (isRecord(value))
    return `{${Object.entries(value)
      .map(([name, field]) => `${name}: ${isSecretName(name) ? REDACTED : formatCapture(field)}`)
      .join(", ")}}`;
  return typeof value === "string" ? JSON.stringify(value) : textOf(value);
}

/** How deep a step path sits: `2` -> 0, `2.1` -> 1, `3.else.1` -> 1. */
export function depthOf(path: string): number {
  return path.split(".").filter((segment) => segment !== "else").length - 1;
}
