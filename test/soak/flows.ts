/**
 * What the soak runs: every example flow of flows/ (the ones README and the docs show), in both
 * syntaxes, with params a POS would pass (a table or order of its own for each run, so sessions and
 * references never repeat; bills that are sometimes declined by amount). Real flows, not made-up ones:
 * sessions, every input, displays held on screen, loops of payments, refunds, prints, card
 * acquisitions and status requests, each with the faults and cancellations the soak adds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CalledFlows, type Flow, flowFilesIn, loadFlow, moneyOf, renderDiagnostics } from "../../index.js";
import { fromRoot } from "../support/paths.js";

export interface SoakFlow {
  /** The file under flows/. */
  file: string;
  flow: Flow;
  /** The flows it calls (flows/shared/tip.flow), for runFlow's `calls`. */
  called: CalledFlows;
  /** Param names the flow declares. */
  params: ReadonlySet<string>;
  /**
   * Its session has an Id written in the flow (`id "every-input"`), the same in every run. A terminal
   * knows a session by its Id alone, so two tills sharing a terminal must not both use such a flow
   * (docs/reliability.md, Sessions left open): the soak's shared lanes leave these out.
   */
  fixedSessionId: boolean;
}

let loaded: SoakFlow[] | undefined;

/** Every flow of flows/, text and YAML, checked; throws when one does not load (the examples always do). */
export function soakFlows(): SoakFlow[] {
  if (loaded) return loaded;
  const dir = fromRoot("flows");
  loaded = readdirSync(dir)
    .filter((f) => f.endsWith(".flow") || f.endsWith(".flow.yaml"))
    .sort()
    .map((file) => {
      const source = readFileSync(join(dir, file), "utf8");
      const result = loadFlow(source, file, { files: flowFilesIn(dir) });
      if (!result.flow) throw new Error(renderDiagnostics(result.diagnostics, () => source));
      const ids = [...source.matchAll(/\bid(?::| ")\s*"?([^"\n]*)/g)].map((m) => m[1]);
      return {
        file,
        flow: result.flow,
        called: result.called,
        params: new Set(result.flow.params.map((p) => p.name.name)),
        fixedSessionId: ids.some((id) => !id.includes("${")),
      };
    });
  return loaded;
}

/** What a bill decides on a test terminal: the last three digits of the minor units (docs/simulator.md). */
export const DECLINING_ENDINGS = [124, 125, 126, 127, 128, 134] as const;

/**
 * The params a POS passes to `flow` for run `tag`: a table, order or store of its own (so a session
 * Id or reference is never the same twice), and `bill` minor units for every money param.
 */
export function paramsFor(
  flow: SoakFlow,
  tag: string,
  bill: { minor: number; guests: number },
): Record<string, string | number | ReturnType<typeof moneyOf>> {
  const params: Record<string, string | number | ReturnType<typeof moneyOf>> = {};
  for (const name of flow.params) {
    if (name === "table" || name === "order" || name === "store") params[name] = tag;
    else if (name === "bill" || name === "total") params[name] = moneyOf(bill.minor, "EUR");
    // A partial refund is at most what was paid.
    else if (name === "returned") params[name] = moneyOf(Math.max(1, Math.floor(bill.minor / 3)), "EUR");
    else if (name === "guests") params[name] = bill.guests;
  }
  return params;
}
