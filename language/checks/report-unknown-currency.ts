// Reports currency codes that are not active ISO 4217 codes, with a did-you-mean (`ERU` -> `EUR`),
// wherever a currency is written: amounts (`12.50 ERU`) and `input amount ... in ERU`.
import type { Currency, Flow } from "../ast.js";
import { CURRENCIES, isKnownCurrency } from "../money.js";
import { didYouMean } from "../suggest.js";
import type { Report, StepVisitor } from "./report.js";
import { amountsVisitor } from "./walk.js";

/** Tried first, so a tie between near misses goes to the likelier code (`ERU` -> `EUR`, not `ERN`). */
const COMMON_FIRST = ["EUR", "USD", "GBP", "CHF", "JPY", "AUD", "CAD", "SEK", "NOK", "DKK", "PLN", ...CURRENCIES];

export function reportUnknownCurrency(flow: Flow, report: Report): StepVisitor {
  const currencies: Currency[] = [];
  const amounts = amountsVisitor(flow, (literal) => currencies.push(literal.currency));
  return {
    step: (step, sessions) => {
      amounts.step(step, sessions);
      if (step.kind === "input" && step.currency) currencies.push(step.currency);
    },
    end: () => {
      currencies.sort((a, b) => a.span.start.offset - b.span.start.offset);
      for (const currency of currencies) check(currency, report);
    },
  };
}

function check(currency: Currency, report: Report): void {
  const { code, span } = currency;
  if (typeof code !== "string" || code === "" || isKnownCurrency(code)) return;
  const upper = code.toUpperCase();
  const guess = didYouMean(upper, COMMON_FIRST);
  const hint =
    upper !== code && isKnownCurrency(upper)
      ? `currency codes are upper case: write \`${upper}\``
      : guess
        ? `did you mean \`${guess}\`?`
        : "use an ISO 4217 currency code such as `EUR`, `USD` or `GBP`";
  report.error("unknown-currency", `unknown currency \`${code}\``, span, { hint });
}
