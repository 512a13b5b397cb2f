/**
 * Loads a module synchronously the first time a caller needs it, so a process that never needs it
 * never compiles or initialises it (the YAML front end for `.flow` files, ajv for a simulator
 * without control calls). `bundled` must call `require` with the specifier written out: in the
 * bundled CLI that `require` is esbuild's, which keeps the module in the bundle and initialises it
 * on the first call. Unbundled, Node's own require loads `specifier` relative to `from` (ES modules
 * too, since Node 20.19).
 */
import { createRequire } from "node:module";

export function loadOnDemand<T>(bundled: () => unknown, specifier: string, from: string): T {
  return (typeof require === "function" ? bundled() : createRequire(from)(specifier)) as T;
}
