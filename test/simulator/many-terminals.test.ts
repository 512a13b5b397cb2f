/** 1000 terminals served at once by one simulator, each with its own state, nothing crossing. */
import assert from "node:assert/strict";
import { Agent, request as httpRequest } from "node:http";
import { VirtualClock } from "../../protocol/index.js";
import { createSimulator } from "../../simulator/index.js";
import { begin, confirmation, end, inner, payment, responseOf, tick } from "./helpers.js";

const COUNT = 1000;
const poiidOf = (i: number) => `V400m-${String(100_000_000 + i)}`;
/** Distinct per terminal; every 10th ends in .24 -> minor digits 124 -> declined. */
const amountOf = (i: number) => (i % 10 === 0 ? 1 + i + 0.24 : 1 + i + 0.5);

describe("simulator with 1000 terminals at once", () => {
  it("keeps sessions, dialogues, scripts, timelines and logs apart (in-process)", async () => {
    const clock = new VirtualClock();
    // One more than the default cap: every terminal is busy at once, and one more must still be served.
    const sim = createSimulator({ clock, paymentMs: 2000, maxTerminals: COUNT + 1 });
    const ids = Array.from({ length: COUNT }, (_, i) => i);
    const hdr = (i: number) => ({ POIID: poiidOf(i), SaleID: `POS${i % 7}` });

    for (const i of ids)
      sim.terminal(poiidOf(i)).shopper.answer({ confirm: i % 2 === 0, thinkMs: 100 + (i % 50) * 10 });
    const begun = await Promise.all(
      ids.map((i) => sim.handle(begin(`Session${i}`, { InputRequest: 1000 + i, Payment: 3000 }, hdr(i)))),
    );
    assert.ok(begun.every((a) => responseOf(a).Result === "Success"));

    // Every terminal shows its own input at the same moment.
    const inputs = ids.map((i) => sim.handle(confirmation(`Terminal ${i}?`, 60, hdr(i))));
    await tick();
    for (const i of ids) {
      const screen = sim.terminal(poiidOf(i)).screen();
      assert.ok(screen.screen === "input" && screen.prompt === `Terminal ${i}?`, `terminal ${i}`);
    }
    await clock.advance(600);
    const inputAnswers = await Promise.all(inputs);
    inputAnswers.forEach((a, i) => {
      const root = inner(a);
      assert.equal(root.MessageHeader.POIID, poiidOf(i));
      assert.equal(
        root.InputResponse.InputResult.Input.ConfirmedFlag,
        i % 2 === 0,
        `terminal ${i} answered with its own script`,
      );
    });

    // 1000 payments in flight together; another terminal is not busy.
    const payments = ids.map((i) => sim.handle(payment(amountOf(i), "EUR", hdr(i))));
    await tick();
    assert.ok(ids.every((i) => sim.terminal(poiidOf(i)).screen().screen === "payment"));
    const busy = await sim.handle(confirmation("Busy?", 60, hdr(0)));
    assert.equal(responseOf(busy).ErrorCondition, "Busy");
    const other = sim.handle(confirmation("Free?", 60, { POIID: "V400m-999999999", SaleID: "POSX" }));
    await clock.advance(2000);
    assert.equal(responseOf(await other).Result, "Success");
    const paid = await Promise.all(payments);
    paid.forEach((a, i) => {
      const body = inner(a).PaymentResponse;
      if (i % 10 === 0) assert.equal(body.Response.ErrorCondition, "Refusal", `terminal ${i}`);
      else assert.equal(body.PaymentResult.AmountsResp.AuthorizedAmount, amountOf(i), `terminal ${i}`);
      assert.equal(inner(a).MessageHeader.POIID, poiidOf(i));
    });

    const ended = await Promise.all(ids.map((i) => sim.handle(end(`Session${i}`, hdr(i)))));
    assert.ok(ended.every((a) => responseOf(a).Result === "Success"));
    await clock.runAll();

    for (const i of ids) {
      const terminal = sim.terminal(poiidOf(i));
      assert.equal(terminal.session, null);
      const waits = terminal.timeline().filter((e) => e.screen === "waiting");
      assert.deepEqual(
        waits.map((w) => w.screen === "waiting" && [w.sessionId, w.after, w.timeoutMs]),
        [
          [`Session${i}`, "InputRequest", 1000 + i],
          [`Session${i}`, "Payment", 3000],
        ],
        `terminal ${i}`,
      );
      const log = terminal.requests();
      assert.ok(log.every((r) => r.poiid === poiidOf(i) && r.saleId === `POS${i % 7}`));
      assert.deepEqual(
        log.map((r) => r.body),
        i === 0
          ? ["AdminRequest", "InputRequest", "PaymentRequest", "InputRequest", "AdminRequest"]
          : ["AdminRequest", "InputRequest", "PaymentRequest", "AdminRequest"],
      );
    }
    assert.equal(sim.terminals().length, COUNT + 1);
  });

  it("holds 1000 payments open over HTTP at once and answers each its own", async () => {
    const clock = new VirtualClock();
    const sim = createSimulator({ clock, paymentMs: 5000 });
    const server = await sim.listen();
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    try {
      const post = (body: unknown) =>
        new Promise<string>((resolve, reject) => {
          const req = httpRequest(
            `${server.url}/sync`,
            { method: "POST", agent, headers: { "content-type": "application/json" } },
            (res) => {
              let text = "";
              res.setEncoding("utf8");
              res.on("data", (c: string) => (text += c));
              res.on("end", () => resolve(text));
            },
          );
          req.on("error", reject);
          req.end(JSON.stringify(body));
        });
      const ids = Array.from({ length: COUNT }, (_, i) => i);
      const answers = ids.map((i) => post(payment(amountOf(i), "EUR", { POIID: poiidOf(i) })));
      // Wait until every terminal is in its payment: all 1000 connections open together.
      for (let n = 0; n < 2000 && !ids.every((i) => sim.terminal(poiidOf(i)).screen().screen === "payment"); n++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(
        ids.every((i) => sim.terminal(poiidOf(i)).screen().screen === "payment"),
        "all 1000 payments in progress at once",
      );
      await clock.advance(5000);
      const bodies = (await Promise.all(answers)).map((t) => JSON.parse(t).SaleToPOIResponse);
      bodies.forEach((b, i) => {
        assert.equal(b.MessageHeader.POIID, poiidOf(i));
        assert.equal(b.PaymentResponse.Response.Result, i % 10 === 0 ? "Failure" : "Success");
      });
    } finally {
      agent.destroy();
      await server.close();
    }
  });
});
