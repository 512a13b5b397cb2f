/** Source text of scenario and flow files for failure snippets, read once per file. */
import { readFileSync } from "node:fs";
import type { SourceLookup } from "../../language/index.js";

export function fileSources(cwd = process.cwd()): SourceLookup {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(file.startsWith("/") ? file : `${cwd}/${file}`, "utf8"));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}
