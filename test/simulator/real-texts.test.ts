import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DECLINES_BY_MINOR_DIGITS } from "../../simulator/index.js";
import { fromRoot } from "../support/paths.js";
import {
  abort,
  confirmation,
  end,
  begin,
  inner,
  manualSim,
  payment,
  request,
  responseOf,
  status,
  sidOf,
  tick,
} from "./helpers.js";

/** The rows of docs/simulator.md's "Declines by amount" table: [ends in, Result, ErrorCondition, AdditionalResponse]. */
function declineRows(): string[][] {
  const docs = readFileSync(fromRoot("docs", "simulator.md"), "utf8");
  const section = docs.slice(docs.indexOf("### Declines by amount"));
  const table = section.slice(section.indexOf("| Ends in"), section.indexOf("\n\n", section.indexOf("| Ends in")));
  return table
    .split("\n")
    .slice(2)
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, "")),
    )
    .filter((cells) => /^\d{3}$/.test(cells[0]));
}

describe("simulator: declines in a real V400m's words (docs table, one test per row)", () => {
  const rows = declineRows();

  it("documents every decline the simulator makes, and no other", () => {
    assert.deepEqual(
      rows.map((r) => Number(r[0])),
      Object.keys(DECLINES_BY_MINOR_DIGITS).map(Number),
    );
  });

  for (const [digits, result, errorCondition, additional] of declineRows()) {
    it(`an amount ending in ${digits} answers ${result} / ${errorCondition} with ${additional}`, async () => {
      const { sim, clock } = manualSim();
      // 1.24 EUR, 11.25 EUR, ...: the minor units end in the row's digits.
      const answer = sim.handle(payment(Number(`1${digits}`) / 100));
      await clock.runAll();
      const response = responseOf(await answer);
      assert.equal(response.Result, result);
      assert.equal(response.ErrorCondition, errorCondition);
      assert.equal(response.AdditionalResponse, additional);
    });
  }

  it("gives a scripted decline with a V400m reason that reason's message", async () => {
    const { sim, clock } = manualSim();
    sim.terminal("V400m-324688179").payments.next({
      outcome: "decline",
      errorCondition: "InvalidCard",
      reason: "214 Declined online",
    });
    const answer = sim.handle(payment(10));
    await clock.runAll();
    assert.equal(
      responseOf(await answer).AdditionalResponse,
      "message=INVALID_CARD&refusalReason=214%20Declined%20online",
    );
  });
});

describe("simulator: an input ended by a request without a screen of its own leaves the input screen", () => {
  const printRequest = () =>
    request("PrintRequest", {
      PrintOutput: {
        DocumentQualifier: "CashierReceipt",
        ResponseMode: "PrintEnd",
        OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Receipt" }] },
      },
    });
  const cases: Array<[string, (inputServiceId: string) => Record<string, unknown>, string]> = [
    ["an AbortRequest for the Input", (sid) => abort(sid, "Input"), "input aborted by the POS (AbortRequest)"],
    ["a TransactionStatusRequest", () => status(undefined), "input interrupted by TransactionStatusRequest"],
    ["a PrintRequest", () => printRequest(), "input interrupted by PrintRequest"],
    ["the session's End", () => end("S1"), "input interrupted by AdminRequest"],
  ];
  for (const [what, ender, reason] of cases) {
    it(`${what}: Failure / Aborted, and the timeline goes to idle (${reason})`, async () => {
      const { sim, clock } = manualSim();
      const terminal = sim.terminal("V400m-324688179");
      await sim.handle(begin("S1", { InputRequest: 5000 }));
      terminal.shopper.answer("noAnswer");
      const input = confirmation("Split the bill?");
      const pending = sim.handle(input);
      await tick();
      await clock.advance(1000);
      await sim.handle(ender(sidOf(input)));
      const answer = inner(await pending).InputResponse;
      assert.deepEqual(
        [answer.InputResult.Response.Result, answer.InputResult.Response.ErrorCondition],
        ["Failure", "Aborted"],
      );
      const last = terminal.screen();
      assert.deepEqual([last.screen, "reason" in last ? last.reason : undefined], ["idle", reason]);
      assert.deepEqual(
        terminal.timeline().map((e) => e.screen),
        ["idle", "input", "idle"],
      );
    });
  }

  it("a DisplayRequest replaces the input screen with its own", async () => {
    const { sim } = manualSim();
    const terminal = sim.terminal("V400m-324688179");
    terminal.shopper.answer("noAnswer");
    const pending = sim.handle(confirmation("Split the bill?"));
    await tick();
    await sim.handle(
      request("DisplayRequest", {
        DisplayOutput: [
          {
            Device: "CustomerDisplay",
            InfoQualify: "Display",
            OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Hi" }] },
          },
        ],
      }),
    );
    await pending;
    assert.deepEqual(
      terminal.timeline().map((e) => e.screen),
      ["idle", "input", "display"],
    );
  });
});

describe("simulator: ProtocolVersion sent as a number", () => {
  it('answers "3.0" (a string, as the spec requires) to "ProtocolVersion": 3.0', async () => {
    const { sim } = manualSim();
    const raw = JSON.stringify(status(undefined)).replace('"ProtocolVersion":"3.0"', '"ProtocolVersion":3.0');
    assert.match(raw, /"ProtocolVersion":3\.0/);
    const answer = await sim.handle(raw);
    assert.ok("body" in answer);
    const header = JSON.parse(answer.body).SaleToPOIResponse.MessageHeader;
    assert.equal(header.ProtocolVersion, "3.0");
    assert.match(answer.body, /"ProtocolVersion":"3\.0"/);
  });
});
