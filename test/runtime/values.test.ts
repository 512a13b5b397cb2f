import assert from "node:assert/strict";
import { VirtualClock } from "../../protocol/index.js";
import { runFlow } from "../../runtime/run-flow.js";
import { FakeTerminal, flowOf } from "./support/fake-terminal.js";

async function passes(source: string, vars: Record<string, string | number | boolean> = {}): Promise<boolean> {
  const result = await runFlow(flowOf(source), {
    terminal: new FakeTerminal(),
    clock: new VirtualClock({ auto: true }),
    vars,
  });
  assert.notEqual(result.status, "invalid", JSON.stringify(result.diagnostics));
  return result.status === "passed";
}

describe("runtime/values: expressions as flows evaluate them", () => {
  it("compares caller text with booleans and numbers by the other side's type", async () => {
    assert.equal(await passes(`param split\nexpect split == true\n`, { split: "true" }), true);
    assert.equal(await passes(`param split\nexpect split == true\n`, { split: "false" }), false);
    assert.equal(await passes(`param guests\nexpect guests > 2\n`, { guests: "3" }), true);
    assert.equal(await passes(`param table\nexpect table == "007"\n`, { table: "007" }), true, "text stays text");
  });

  it("evaluates not, and, or, ordering and unary minus", async () => {
    assert.equal(await passes(`param a = 2\nparam b = 3\nexpect a < b and not (a >= b) and -a < 0\n`), true);
    assert.equal(await passes(`param a = 2\nexpect a > 5 or a == 2\n`), true);
    assert.equal(await passes(`param a = 2\nexpect a > 5 or a == 3\n`), false);
    assert.equal(await passes(`param name = "Ada"\nexpect name != "Eve" and name == "Ada"\n`), true);
  });

  it("interpolates params and capture fields", async () => {
    const terminal = new FakeTerminal();
    await runFlow(
      flowOf(
        `param table = "12"\npay 5.00 EUR as p\ndisplay "Table \${table}: \${p.result} \${p.amount} \${p.currency}"\n`,
      ),
      {
        terminal,
        clock: new VirtualClock({ auto: true }),
      },
    );
    const display = terminal.requests.at(-1)!.SaleToPOIRequest as {
      DisplayRequest: { DisplayOutput: { OutputContent: { OutputText: { Text: string }[] } }[] };
    };
    assert.equal(
      display.DisplayRequest.DisplayOutput[0].OutputContent.OutputText[0].Text,
      "Table 12: approved 5.00 EUR EUR",
    );
  });
});
