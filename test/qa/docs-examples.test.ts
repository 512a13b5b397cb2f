import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../support/paths.js";
import { runSuite } from "../../qa/run/suite.js";

/** docs/scenarios.md's code blocks that are whole scenarios (they start with `scenario`). */
function docScenarios(): Array<{ yaml: boolean; text: string; line: number }> {
  const doc = readFileSync(fromRoot("docs/scenarios.md"), "utf8");
  const out: Array<{ yaml: boolean; text: string; line: number }> = [];
  for (const m of doc.matchAll(/```(yaml)?\n([\s\S]*?)```/g)) {
    const text = m[2];
    if (!/^scenario[ :]/.test(text)) continue;
    out.push({ yaml: m[1] === "yaml", text, line: doc.slice(0, m.index).split("\n").length });
  }
  return out;
}

describe("docs/scenarios.md examples", function () {
  this.timeout(60_000);

  it("every whole scenario in the docs runs and passes, as a new user would copy it", async () => {
    const examples = docScenarios();
    assert.ok(examples.length >= 6, `${examples.length} examples`);
    const dir = mkdtempSync(join(tmpdir(), "termflow-doc-"));
    try {
      // The examples sit in flows/scenarios/ next to the example flows, as in the repository.
      mkdirSync(join(dir, "flows", "scenarios"), { recursive: true });
      for (const f of readdirSync(fromRoot("flows")).filter((f) => /\.flow(\.yaml)?$/.test(f)))
        cpSync(fromRoot("flows", f), join(dir, "flows", f));
      examples.forEach((e) =>
        writeFileSync(join(dir, "flows", "scenarios", `doc-line-${e.line}.scenario${e.yaml ? ".yaml" : ""}`), e.text),
      );
      const { suite } = await runSuite({ paths: ["flows/scenarios"], cwd: dir });
      const bad = suite.scenarios.filter((s) => s.status !== "passed");
      assert.deepEqual(
        bad.map((s) => `${s.file} ${s.name}: ${s.failures.map((f) => f.rendered).join("\n")}`),
        [],
      );
      assert.deepEqual(suite.fileErrors, []);
      assert.ok(suite.scenarios.length >= examples.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
