/** A simulated terminal's screen timeline as text, relative to the run's start. */
import pc from "picocolors";
import { printable } from "../../protocol/index.js";
import { askedToPay } from "../../simulator/index.js";

/** The fields of a simulator ScreenEvent the listing reads (structural, so any timeline fits). */
export interface ScreenEventLike {
  at: number;
  screen: string;
  [field: string]: unknown;
}

/** `  +1.000s  waiting   5000ms after InputRequest`, one line per screen change. */
export function renderTimeline(
  title: string,
  events: readonly ScreenEventLike[],
  startedAt: number,
  color: boolean,
): string {
  const c = pc.createColors(color);
  const lines = events.map((e) => {
    const offset = ((e.at - startedAt) / 1000).toFixed(3);
    // A `termflow sim` elsewhere sends these fields: what a terminal shows is made printable.
    return `  ${c.dim(`+${offset}s`.padStart(10))}  ${printable(`${String(e.screen).padEnd(8)}  ${describe(e)}`)}`.trimEnd();
  });
  return `${c.bold(title)}\n${lines.join("\n")}\n`;
}

function describe(e: ScreenEventLike): string {
  switch (e.screen) {
    case "input": {
      const menu = Array.isArray(e.menu) ? ` [${e.menu.map((m) => JSON.stringify(m)).join(", ")}]` : "";
      return `${String(e.kind ?? "input")} ${JSON.stringify(String(e.prompt ?? ""))}${menu}`;
    }
    case "display":
      return JSON.stringify(String(e.text ?? ""));
    case "payment": {
      const currency = String(e.currency ?? "");
      return typeof e.amount === "number"
        ? askedToPay(e.amount, typeof e.tip === "number" ? e.tip : undefined, currency)
        : `${String(e.amount)} ${currency}`;
    }
    case "acquisition":
      return "present a card";
    case "result":
      return `${String(e.result ?? "")}${e.errorCondition ? ` ${String(e.errorCondition)}` : ""}${partlyText(e.partly)}`;
    case "waiting":
      return `${String(e.timeoutMs)}ms after ${String(e.after ?? "")}`;
    case "idle":
      return e.reason ? `(${String(e.reason)})` : "";
    default:
      return "";
  }
}

/** ` 30.00 EUR of 50.00 EUR` for a partial approval's result screen (fields from anywhere: checked). */
function partlyText(partly: unknown): string {
  if (typeof partly !== "object" || partly === null) return "";
  const { paid, asked } = partly as { paid?: unknown; asked?: unknown };
  return typeof paid === "string" && typeof asked === "string" ? ` ${paid} of ${asked}` : "";
}
