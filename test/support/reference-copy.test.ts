import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromRoot, projectSharedDir } from "./paths.js";

const copy = fromRoot("test", "fixtures", "shared", "reference");
const original = join(projectSharedDir, "reference");

describe("the vendored copy of Adyen's reference files", () => {
  it("holds the spec, the Postman collection and their licences", () => {
    assert.deepEqual(readdirSync(copy).sort(), [
      "TerminalAPI-v1.LICENSE",
      "TerminalAPI-v1.json",
      "adyen-postman-ipp.LICENSE",
      "adyen-postman-ipp.json",
    ]);
  });

  it("is byte for byte the project's ../shared/reference, where that exists", function () {
    if (!existsSync(original)) this.skip();
    for (const name of readdirSync(copy)) {
      assert.ok(
        readFileSync(join(copy, name)).equals(readFileSync(join(original, name))),
        `${name} differs from ../shared`,
      );
    }
  });
});
