// Reports currency codes that are not active ISO 4217 codes, with a did-you-mean (`ERU` -> `EUR`).
import { type Flow, walkSteps } from "../ast.js";
import { CURRENCIES, isKnownCurrency } from "../money.js";
import { didYouMean } from "../suggest.js";
import type { Report } from "./report.js";

/** Tried first, so a tie between near misses goes to the likelier code (`ERU` -> `EUR`, not `ERN`). */
const COMMON_FIRST = ["EUR", "USD", "GBP", "CHF", "JPY", "AUD", "CAD", "SEK", "NOK", "DKK", "PLN", ...CURRENCIES];

export function reportUnknownCurrency(flow: Flow, report: Report): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind !== "pay" || typeof step.currency?.code !== "string" || step.currency.code === "") return;
    const { code, span } = step.currency;
    if (isKnownCurrency(code)) return;
    const upper = code.toUpperCase();
    const guess = didYouMean(upper, COMMON_FIRST);
    const hint =
      upper !== code && isKnownCurrency(upper)
        ? `currency codes are upper case: write \`${upper}\``
        : guess
          ? `did you mean \`${guess}\`?`
          : "use an ISO 4217 currency code such as `EUR`, `USD` or `GBP`";
    report.error("unknown-currency", `unknown currency \`${code}\``, span, { hint });
  });
}
