/** Source text of scenario and flow files for failure snippets, read once per file. */
import { readSource, type SourceLookup } from "../../language/index.js";

/** Reads through language's one reader, so a snippet never shows a file a link leads out to. */
export function fileSources(cwd = process.cwd()): SourceLookup {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      const read = readSource(file, cwd);
      cache.set(file, read.ok ? read.source : undefined);
    }
    return cache.get(file);
  };
}
