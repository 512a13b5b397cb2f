/**
 * termflow's main export, the library: the language pipeline (parse, check, print, diagnostics), the
 * runtime, the simulator and QA. The command line is not part of it (dist/termflow.mjs is): importing
 * termflow never loads commander, ora or cli/ (.dependency-cruiser.cjs, test/package/main-entry.test.ts).
 */
export * from "./language/index.js";
// The runtime: runFlow, transports, events, results (docs/embedding.md).
export * from "./runtime/index.js";
// The simulator factory, the default terminal of runFlow and `termflow run`.
export { createSimulator, type Simulator, type SimulatorOptions, type SimulatedTerminal } from "./simulator/index.js";
// QA: scenario files, the suite runner behind `termflow test`, and its reports (docs/scenarios.md).
export * from "./qa/index.js";
