import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { fromRoot } from "../support/paths.js";
import { modulesLoadedBy } from "../support/loaded-modules.js";

describe("the package's main entry (dist/index.js)", () => {
  it("is the library: it loads the language, runtime and simulator, never the CLI", () => {
    const loaded = modulesLoadedBy(pathToFileURL(fromRoot("dist/index.js")).href);
    const any = (pattern: RegExp): boolean => loaded.some((url) => pattern.test(url));
    assert.ok(any(/\/dist\/language\/index\.js$/) && any(/\/dist\/runtime\/index\.js$/), loaded.join("\n"));
    assert.ok(any(/\/node_modules\/chevrotain\//), "the parser's library is loaded");
    for (const cli of [/\/node_modules\/commander\//, /\/node_modules\/ora\//, /\/dist\/cli\//])
      assert.deepEqual(
        loaded.filter((url) => cli.test(url)),
        [],
        `${cli} must not load`,
      );
  });
});
