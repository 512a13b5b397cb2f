/** Typed access to a run's captures for embedders (`payCapture(result, "payment")?.result`). */
import { isMoney, isRecord, type PayCapture } from "../language/index.js";
import type { RunResult } from "./result.js";

/** The capture of `pay ... as <name>`, or undefined when the step did not run (or `name` is not a payment). */
export function payCapture(result: Pick<RunResult, "captures">, name: string): PayCapture | undefined {
  const value = result.captures[name];
  if (value === undefined || !isRecord(value) || typeof value.result !== "string" || !isMoney(value.amount))
    return undefined;
  return value as unknown as PayCapture;
}
