/**
 * termflow's main export: the language pipeline (parse, check, print, diagnostics) and the CLI entry.
 * The runtime and simulator add their exports below.
 */
export * from "./language/index.js";
export { runCli, buildProgram, type CliIO } from "./cli/main.js";
