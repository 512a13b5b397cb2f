import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, whether tests run compiled (dist/test/...) or from source through tsx. */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || dir.endsWith(`${"/"}dist`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
})();

/** The project's shared folder beside the checkout (../shared), when there is one. */
export const projectSharedDir: string = resolve(repoRoot, "..", "shared");

/**
 * Where the tests read Adyen's reference files (reference/TerminalAPI-v1.json, the OpenAPI spec, and
 * reference/adyen-postman-ipp.json, the Postman collection; both MIT, licences beside them).
 * A copy lives in test/fixtures/shared so a fresh clone tests on its own; ../shared, where it exists,
 * is preferred, and test/support/reference-copy.test.ts fails when the copy drifts from it.
 */
export const sharedDir: string = existsSync(join(projectSharedDir, "reference", "TerminalAPI-v1.json"))
  ? projectSharedDir
  : join(repoRoot, "test", "fixtures", "shared");

export const fromRoot = (...parts: string[]): string => join(repoRoot, ...parts);
