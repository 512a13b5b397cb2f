/**
 * What `call "tip.flow" as t` holds: a record with a field per name the called flow captures
 * (`as tip`), typed as that flow's own analysis types it (`t.tip` is an amount in EUR when tip.flow
 * captured one). Params and loop items are not captures: a caller gave the one, the other is gone.
 */
import type { Flow } from "../ast.js";
import type { FieldSpec, Type } from "../values/types.js";
import type { FlowAnalysis } from "./analysis.js";

/** The record of a flow's captures, for the flows that call it. */
export function capturesOf(flow: Flow, analysis: FlowAnalysis, file: string): Type {
  const fields: Record<string, FieldSpec> = {};
  for (const [name, bindings] of analysis.bindings) {
    const first = bindings.find((b) => b.origin === "capture");
    if (!first) continue;
    fields[name] = { type: analysis.typeOfName(name), description: first.description };
  }
  return { kind: "record", description: `what ${file} captured${flow.name ? ` (${flow.name.value})` : ""}`, fields };
}
