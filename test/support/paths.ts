import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, whether tests run compiled (dist/test/...) or from source through tsx. */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || dir.endsWith(`${"/"}dist`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();

/** ../shared beside the checkout: protocol.md, the OpenAPI spec and the Postman collection. */
export const sharedDir: string = resolve(repoRoot, "..", "shared");

export const fromRoot = (...parts: string[]): string => join(repoRoot, ...parts);
