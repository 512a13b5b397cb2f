/**
 * termflow's main export: the language pipeline (parse, check, print, diagnostics) and the CLI entry.
 * The runtime and simulator add their exports below.
 */
export * from "./language/index.js";
export { runCli, buildProgram, type CliIO } from "./cli/main.js";
// The runtime: runFlow, transports, events, results (docs/embedding.md).
export * from "./runtime/index.js";
// The simulator factory, the default terminal of runFlow and `termflow run`.
export { createSimulator, type Simulator, type SimulatorOptions, type SimulatedTerminal } from "./simulator/index.js";
// QA: scenario files, the suite runner behind `termflow test`, and its reports (docs/scenarios.md).
export * from "./qa/index.js";
