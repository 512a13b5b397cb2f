/** docs/simulator.md's timeline example is what the simulator does. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fromRoot } from "../support/paths.js";
import { begin, confirmation, manualSim, payment } from "./helpers.js";

describe("docs/simulator.md", () => {
  it("shows the timeline the simulator records for its example", async () => {
    const doc = readFileSync(fromRoot("docs/simulator.md"), "utf8");
    const block = /```timeline\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(block, "the timeline example block");
    const { sim, clock, terminal, t0 } = manualSim({ thinkTimeMs: 2000, paymentMs: 2500 });
    await sim.handle(begin("Table7", { InputRequest: 5000, Payment: 5000 }));
    const input = sim.handle(confirmation("Split the bill?"));
    await clock.advance(2000);
    await input;
    await clock.advance(1000);
    const paid = sim.handle(payment(25));
    await clock.runAll();
    await paid;
    const shown = terminal.timeline().map((e) => {
      const detail =
        e.screen === "idle"
          ? e.reason
          : e.screen === "input"
            ? `"${e.prompt}"`
            : e.screen === "payment"
              ? `${e.currency} ${e.amount}`
              : e.screen === "result"
                ? e.result
                : e.screen === "waiting"
                  ? `${e.after} ${e.timeoutMs}`
                  : e.screen === "acquisition"
                    ? ""
                    : e.text;
      return `${String(e.at - t0).padEnd(5)} ${e.screen.padEnd(8)} ${detail}`;
    });
    assert.deepEqual(shown, block.trim().split("\n"));
  });

  it("documents every fault kind, payment outcome and shopper answer", () => {
    const doc = readFileSync(fromRoot("docs/simulator.md"), "utf8");
    for (const word of [
      "delay",
      "drop",
      "http500",
      "malformed",
      "busy",
      "approve",
      "decline",
      "cancel",
      "cardRemoved",
      "noAnswer",
      "confirm",
      "select",
      "digits",
      "amount",
      "text",
    ]) {
      assert.ok(doc.includes(`"${word}"`) || doc.includes(`{${word}`) || doc.includes(`${word}(`), word);
    }
  });
});
