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
  // In the bundle every file declares its own `require` (the banner of scripts/bundle-cli.mjs).
  // Unbundled there is none, except a global one where the host defines it (`node -e`, the REPL):
  // that one resolves from the working directory, so it is not ours.
  const own = typeof require === "function" && require !== (globalThis as { require?: unknown }).require;
  return (own ? bundled() : createRequire(from)(specifier)) as T;
}
