/** Fault injection: delay, dropped connection, HTTP 500, malformed body, Busy; by count and category. */
import assert from "node:assert/strict";
import { confirmation, display, inner, manualSim, payment, responseOf, sidOf, status } from "./helpers.js";

describe("simulator faults", () => {
  it("delays the answer by the given ms after processing the request at once", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    terminal.faults.delay(2500);
    let settled = false;
    const answer = sim.handle(display("Slow network")).then((a) => ((settled = true), a));
    assert.equal(terminal.screen().screen, "display", "the terminal acted at once");
    await clock.advance(2499);
    assert.equal(settled, false);
    await clock.advance(1);
    assert.equal(responseOf(await answer).Result, "Success");
    assert.equal(terminal.requests()[0].answeredAt, t0 + 2500);
    assert.deepEqual(terminal.requests()[0].faults, ["delay 2500ms"]);
  });

  it("drops the connection after processing, so a status check finds the payment", async () => {
    const { sim, clock, terminal } = manualSim({ paymentMs: 1000 });
    terminal.faults.drop({ category: "Payment" });
    const pay = payment(10);
    const answer = sim.handle(pay);
    await clock.runAll();
    assert.deepEqual(await answer, { dropped: true });
    const checked = await sim.handle(status(sidOf(pay)));
    assert.equal(
      inner(checked).TransactionStatusResponse.RepeatedMessageResponse.RepeatedResponseMessageBody.PaymentResponse
        .Response.Result,
      "Success",
    );
    assert.equal(terminal.requests()[0].outcome, "dropped (processed: Success)");
  });

  it("drops before processing when told, so the payment is NotFound", async () => {
    const { sim, terminal } = manualSim();
    terminal.faults.drop({ processed: false });
    const pay = payment(10);
    assert.deepEqual(await sim.handle(pay), { dropped: true });
    assert.equal(responseOf(await sim.handle(status(sidOf(pay)))).ErrorCondition, "NotFound");
    assert.equal(terminal.timeline().length, 1, "no screen changed");
  });

  it("answers HTTP 500 without processing by default", async () => {
    const { sim, terminal } = manualSim();
    terminal.faults.http500({ times: 2 });
    const first = await sim.handle(display("a"));
    const second = await sim.handle(display("b"));
    const third = await sim.handle(display("c"));
    assert.deepEqual(
      [first, second].map((a) => "status" in a && a.status),
      [500, 500],
    );
    assert.equal(responseOf(third).Result, "Success");
    assert.deepEqual(
      terminal
        .timeline()
        .filter((e) => e.screen === "display")
        .map((e) => e.screen === "display" && e.text),
      ["c"],
    );
  });

  it("answers a malformed body that is not JSON", async () => {
    const { sim, terminal } = manualSim();
    terminal.faults.malformed();
    const answer = await sim.handle(display("x"));
    assert.ok("status" in answer && answer.status === 200);
    assert.throws(() => JSON.parse((answer as { body: string }).body), SyntaxError);
    assert.equal(terminal.screen().screen, "display", "the request was processed");
  });

  it("answers Busy without processing, only for the named category", async () => {
    const { sim, clock, terminal } = manualSim();
    terminal.faults.busy({ category: "InputRequest" });
    const shown = await sim.handle(display("not affected"));
    assert.equal(responseOf(shown).Result, "Success");
    const busy = await sim.handle(confirmation("Busy?"));
    assert.deepEqual([responseOf(busy).Result, responseOf(busy).ErrorCondition], ["Failure", "Busy"]);
    assert.equal(terminal.screen().screen, "display");
    const next = sim.handle(confirmation("Now?"));
    await clock.runAll();
    assert.equal(responseOf(await next).Result, "Success");
    assert.equal(terminal.faults.pending(), 0);
  });

  it("applies a fault to every matching request with times: Infinity until reset", async () => {
    const { sim, terminal } = manualSim();
    terminal.faults.http500({ times: Infinity });
    for (let i = 0; i < 3; i++) assert.equal(((await sim.handle(display(`${i}`))) as { status: number }).status, 500);
    terminal.faults.reset();
    assert.equal(responseOf(await sim.handle(display("ok"))).Result, "Success");
  });
});
