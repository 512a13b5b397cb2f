import assert from "node:assert/strict";
import type { SimulatorEvent } from "../../simulator/index.js";
import { display, manualSim, payment, POIID } from "./helpers.js";

describe("simulator: subscribe, the one event source", () => {
  it("tells every change as it happens: request, screen, state, answer; unsubscribe stops it", async () => {
    const { sim } = manualSim();
    const seen: SimulatorEvent[] = [];
    const stop = sim.subscribe((e) => seen.push(e));
    await sim.handle(display("Hi"));
    assert.deepEqual(
      seen.map((e) => e.type),
      ["request", "screen", "state", "answer"],
    );
    const screen = seen.find((e) => e.type === "screen");
    assert.equal(screen?.type === "screen" && screen.event.screen, "display");
    stop();
    await sim.handle(display("Unheard"));
    assert.equal(seen.length, 4);
  });

  it("tells of a terminal born after subscribing with its state", () => {
    const { sim } = manualSim();
    const seen: SimulatorEvent[] = [];
    sim.subscribe((e) => seen.push(e));
    sim.terminal("P400Plus-275008565");
    assert.deepEqual(
      seen.map((e) => [e.type, e.poiid]),
      [["state", "P400Plus-275008565"]],
    );
  });

  it("tells what a payment waits for, and a listener that throws changes nothing", async () => {
    const { sim, clock } = manualSim({ paymentMs: 100 });
    sim.subscribe(() => {
      throw new Error("a broken observer");
    });
    const states: unknown[] = [];
    sim.subscribe((e) => {
      if (e.type === "state" && e.poiid === POIID)
        states.push(e.state.waiting && (e.state.waiting as { for: string }).for);
    });
    const answer = sim.handle(payment(10));
    await clock.runAll();
    assert.equal(
      JSON.parse(((await answer) as { body: string }).body).SaleToPOIResponse.PaymentResponse.Response.Result,
      "Success",
    );
    assert.ok(states.includes("card"));
    assert.equal(states[states.length - 1], null);
  });
});
