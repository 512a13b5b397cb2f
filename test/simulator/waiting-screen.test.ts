/**
 * The seed feature on the timeline, under a manual VirtualClock: every time below is exact to the ms.
 * docs/protocol.md rules: 1. a waiting screen after input (from the shopper's answer), display and
 * payment; 2. the next request interrupts it; 3. End does not, and none follows End; 4. none for
 * request types not in Operation.
 */
import assert from "node:assert/strict";
import type { ScreenEvent } from "../../simulator/index.js";
import { begin, confirmation, display, end, manualSim, payment, responseOf, sidOf, status } from "./helpers.js";

/** The timeline as [ms since start, screen, detail] for readable assertions. */
function compact(events: ScreenEvent[], t0: number): Array<[number, string, string?]> {
  return events.map((e) => {
    const detail =
      e.screen === "waiting"
        ? `${e.after} ${e.timeoutMs}`
        : e.screen === "idle"
          ? e.reason
          : e.screen === "input"
            ? e.prompt
            : e.screen === "display"
              ? e.text
              : e.screen === "result"
                ? e.result
                : undefined;
    return detail === undefined ? [e.at - t0, e.screen] : [e.at - t0, e.screen, detail];
  });
}

describe("simulator waiting-screen sessions (seed behaviour)", () => {
  it("shows the waiting screen after an input, counted from the shopper's answer, for its timeout", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    assert.equal(responseOf(await sim.handle(begin("S1", { InputRequest: 5000 }))).Result, "Success");
    terminal.shopper.answer({ confirm: true, thinkMs: 2000 });
    const answer = sim.handle(confirmation("Join loyalty?"));
    await clock.advance(2000);
    assert.equal(responseOf(await answer).Result, "Success");
    await clock.advance(10_000);
    assert.deepEqual(compact(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "input", "Join loyalty?"],
      [2000, "waiting", "InputRequest 5000"],
      [7000, "idle", "waiting screen timed out"],
    ]);
  });

  it("shows it after a display once the data is shown, and after MinimumDisplayTime when one is set", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    await sim.handle(begin("S1", { DisplayRequest: 4000 }));
    assert.equal(responseOf(await sim.handle(display("Welcome"))).Result, "Success");
    await clock.advance(5000);
    await sim.handle(display("Your table", 2));
    await clock.advance(10_000);
    assert.deepEqual(compact(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "display", "Welcome"],
      [0, "waiting", "DisplayRequest 4000"],
      [4000, "idle", "waiting screen timed out"],
      [5000, "display", "Your table"],
      [7000, "waiting", "DisplayRequest 4000"],
      [11000, "idle", "waiting screen timed out"],
    ]);
  });

  it("shows it after a payment once the payment completes", async () => {
    const { sim, clock, terminal, t0 } = manualSim({ paymentMs: 2500 });
    await sim.handle(begin("S1", { Payment: 3000 }));
    const answer = sim.handle(payment(12.5));
    await clock.advance(2500);
    assert.equal(responseOf(await answer).Result, "Success");
    await clock.advance(5000);
    assert.deepEqual(compact(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "payment"],
      [2500, "result", "Success"],
      [2500, "waiting", "Payment 3000"],
      [5500, "idle", "waiting screen timed out"],
    ]);
  });

  it("lets the next request interrupt a showing waiting screen", async () => {
    const { sim, clock, terminal, t0 } = manualSim({ thinkTimeMs: 1000 });
    await sim.handle(begin("S1", { InputRequest: 5000, DisplayRequest: 5000 }));
    const answer = sim.handle(confirmation("Split the bill?"));
    await clock.advance(1000);
    await answer;
    await clock.advance(2000);
    await sim.handle(display("Amount: 20.00"));
    await clock.advance(1000);
    // A request with no screen of its own (a status check) returns the terminal to idle.
    await sim.handle(status(undefined));
    await clock.advance(10_000);
    assert.deepEqual(compact(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "input", "Split the bill?"],
      [1000, "waiting", "InputRequest 5000"],
      [3000, "display", "Amount: 20.00"],
      [3000, "waiting", "DisplayRequest 5000"],
      [4000, "idle", "waiting screen interrupted by TransactionStatusRequest"],
    ]);
  });

  it("does not cut a showing waiting screen short on End, and shows none after End", async () => {
    const { sim, clock, terminal, t0 } = manualSim({ thinkTimeMs: 1000 });
    await sim.handle(begin("S1", { InputRequest: 5000, DisplayRequest: 5000 }));
    const first = sim.handle(confirmation("Receipt by email?"));
    await clock.advance(1000);
    await first;
    await clock.advance(1000);
    assert.equal(responseOf(await sim.handle(end("S1"))).Result, "Success");
    assert.equal(terminal.session, null);
    assert.equal(terminal.screen().screen, "waiting", "End must not interrupt the waiting screen");
    await clock.advance(4000);
    const second = sim.handle(confirmation("Rate us?"));
    await clock.advance(1000);
    await second;
    await sim.handle(display("Goodbye"));
    await clock.advance(20_000);
    assert.deepEqual(compact(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "input", "Receipt by email?"],
      [1000, "waiting", "InputRequest 5000"],
      [6000, "idle", "waiting screen timed out"],
      [6000, "input", "Rate us?"],
      [7000, "idle", "input answered"],
      [7000, "display", "Goodbye"],
    ]);
  });

  it("shows none after request types missing from Operation", async () => {
    const { sim, clock, terminal, t0 } = manualSim({ paymentMs: 1000, resultScreenMs: 2000 });
    await sim.handle(begin("S1", { InputRequest: 5000 }));
    await sim.handle(display("Not listed"));
    const paid = sim.handle(payment(10));
    await clock.advance(1000);
    await paid;
    await clock.advance(10_000);
    assert.deepEqual(compact(terminal.timeline(), t0), [
      [0, "idle", "started"],
      [0, "display", "Not listed"],
      [0, "payment"],
      [1000, "result", "Success"],
      [3000, "idle", "result shown"],
    ]);
  });

  it("honours each request type's own timeout", async () => {
    const { sim, clock, terminal, t0 } = manualSim({ thinkTimeMs: 500, paymentMs: 1000 });
    await sim.handle(begin("S1", { InputRequest: 1500, DisplayRequest: 7000, Payment: 2500 }));
    const input = sim.handle(confirmation("Ready?"));
    await clock.advance(500);
    await input;
    await clock.advance(2000); // input waiting screen: 500..2000
    await sim.handle(display("Please wait")); // at 2500: display waiting 2500..9500
    await clock.advance(8000);
    const paid = sim.handle(payment(5)); // at 10500, result at 11500: waiting 11500..14000
    await clock.advance(1000);
    await paid;
    await clock.advance(5000);
    const waits = terminal
      .timeline()
      .filter((e) => e.screen === "waiting" || (e.screen === "idle" && e.reason.includes("timed out")));
    assert.deepEqual(compact(waits, t0), [
      [500, "waiting", "InputRequest 1500"],
      [2000, "idle", "waiting screen timed out"],
      [2500, "waiting", "DisplayRequest 7000"],
      [9500, "idle", "waiting screen timed out"],
      [11500, "waiting", "Payment 2500"],
      [14000, "idle", "waiting screen timed out"],
    ]);
  });

  it("records the session on the terminal and the request that started each waiting screen", async () => {
    const { sim, terminal } = manualSim();
    const req = display("Hello");
    await sim.handle(begin("Table12", { DisplayRequest: 3000 }));
    assert.deepEqual(terminal.session, { id: "Table12", operations: { DisplayRequest: 3000 } });
    await sim.handle(req);
    const waiting = terminal.screen();
    assert.equal(waiting.screen, "waiting");
    assert.equal(waiting.screen === "waiting" && waiting.sessionId, "Table12");
    assert.equal(waiting.screen === "waiting" && waiting.serviceId, sidOf(req));
  });
});
