/**
 * `termflow sim --script <file>`: qa reads the given sentences; the simulator gets plain scripts
 * through its public scripting calls (it never imports qa: floors).
 */
import { readSource } from "../language/index.js";
import { readSimulatorScripts } from "../qa/index.js";
import type { SimulatedTerminalApi, TerminalScript } from "../simulator/index.js";
import type { CliIO } from "./io.js";
import { useColor } from "./io.js";
import { fileProblem, writeDiagnostics } from "./output.js";

/** The scripts per POIID, or undefined after printing why not (file problem or diagnostics). */
export function loadScripts(file: string, io: CliIO): Record<string, TerminalScript> | undefined {
  const color = useColor(io);
  const read = readSource(file, io.cwd);
  if (!read.ok) {
    io.stderr(fileProblem(file, read.reason, color));
    return undefined;
  }
  const loaded = readSimulatorScripts(read.source, file);
  writeDiagnostics(io.stderr, loaded.diagnostics, new Map([[file, read.source]]), color);
  return loaded.scripts;
}

/** Applies one terminal's script through the calls it stands for. */
export function applyScript(terminal: SimulatedTerminalApi, script: TerminalScript): void {
  if (script.thinkMs !== undefined) terminal.shopper.thinkTime(script.thinkMs);
  if (script.answers?.length) terminal.shopper.answer(...script.answers);
  for (const rule of script.when ?? [])
    terminal.shopper.when(rule.prompt, rule.answer, rule.times !== undefined ? { times: rule.times } : {});
  if (script.payments?.length) terminal.payments.next(...script.payments);
  for (const { fault, options } of script.faults ?? []) terminal.faults.inject(fault, options);
}

/** Applies every terminal's script; a POIID the simulator does not serve is the returned problem. */
export function applyScripts(
  sim: { terminal(poiid: string): SimulatedTerminalApi },
  scripts: Record<string, TerminalScript>,
  served: readonly string[],
): string | undefined {
  const unknown = Object.keys(scripts).filter((p) => served.length > 0 && !served.includes(p));
  if (unknown.length > 0)
    return `the script names ${unknown.join(", ")}, which this simulator does not serve (--poiid ${served.join(", --poiid ")})`;
  for (const [poiid, script] of Object.entries(scripts)) applyScript(sim.terminal(poiid), script);
  return undefined;
}
