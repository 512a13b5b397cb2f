/** The scripted shopper: answers in order and by prompt, think time, no answer, cancel, defaults. */
import assert from "node:assert/strict";
import { decodeAdditionalResponse } from "../../protocol/index.js";
import { confirmation, inner, manualSim, menu, request, responseOf } from "./helpers.js";

function textInput(referenceId: string, command: string, title: string, extra: Record<string, unknown> = {}) {
  return request("InputRequest", {
    DisplayOutput: {
      Device: "CustomerDisplay",
      InfoQualify: "Display",
      OutputContent: {
        OutputFormat: "Text",
        PredefinedContent: { ReferenceID: referenceId },
        OutputText: [{ Text: title }],
      },
    },
    InputData: { Device: "CustomerInput", InfoQualify: "Input", InputCommand: command, MaxInputTime: 60, ...extra },
  });
}

describe("simulator shopper", () => {
  it("answers with sensible defaults after the default think time", async () => {
    const { sim, clock, t0, terminal } = manualSim({ thinkTimeMs: 1500 });
    const answers = [sim.handle(confirmation("OK?"))];
    await clock.advance(1500);
    assert.equal(inner(await answers[0]).InputResponse.InputResult.Input.ConfirmedFlag, true);
    assert.equal(terminal.timeline()[2].at, t0 + 1500);
    const cases: Array<[ReturnType<typeof textInput>, string, unknown]> = [
      [textInput("GetDigit", "DigitString", "Table?"), "DigitInput", "1234"],
      [textInput("GetPhoneNumber", "DigitString", "Phone?"), "DigitInput", "0612345678"],
      [textInput("GetAmount", "DecimalString", "Amount?", { DefaultInputString: "0.00" }), "DigitInput", "10.00"],
      [textInput("GetText", "TextString", "Email?"), "TextInput", "shopper@example.com"],
      [menu("Pick", ["Card", "Cash"]), "MenuEntryNumber", [1, 0]],
    ];
    for (const [req, field, expected] of cases) {
      const answer = sim.handle(req);
      await clock.runAll();
      assert.deepEqual(inner(await answer).InputResponse.InputResult.Input[field], expected, field);
    }
  });

  it("uses queued answers in order and prompt rules first", async () => {
    const { sim, clock, terminal } = manualSim();
    terminal.shopper.answer({ confirm: false }, { select: "Cash" }).when(/loyalty/i, "confirm");
    const got: unknown[] = [];
    for (const req of [
      confirmation("Join our loyalty programme?"),
      confirmation("Receipt?"),
      menu("Pay with", ["Card", "Cash", "Voucher"]),
    ]) {
      const answer = sim.handle(req);
      await clock.runAll();
      const input = inner(await answer).InputResponse.InputResult.Input;
      got.push(input.ConfirmedFlag ?? input.MenuEntryNumber);
    }
    assert.deepEqual(got, [true, false, [0, 1, 0]]);
    assert.equal(terminal.shopper.pending(), 0);
  });

  it("takes the scripted think time and reports the answer at that time", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    terminal.shopper.thinkTime(4200).answer({ digits: "0042" });
    const answer = sim.handle(textInput("GetDigit", "DigitString", "Table number"));
    await clock.advance(4199);
    assert.equal(terminal.screen().screen, "input");
    await clock.advance(1);
    assert.equal(inner(await answer).InputResponse.InputResult.Input.DigitInput, "0042", "leading zeros survive");
    assert.equal(terminal.screen().at, t0 + 4200);
  });

  it("fails the input when MaxInputTime runs out with no answer", async () => {
    const { sim, clock, terminal, t0 } = manualSim();
    terminal.shopper.answer("noAnswer");
    const answer = sim.handle(confirmation("Still there?", 30));
    await clock.advance(29_999);
    assert.equal(terminal.screen().screen, "input");
    await clock.advance(1);
    const response = responseOf(await answer);
    assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", "Cancel"]);
    assert.match(decodeAdditionalResponse(response.AdditionalResponse).message, /timed out after MaxInputTime 30 s/);
    assert.equal(terminal.screen().at, t0 + 30_000);
  });

  it("times out when the scripted think time is longer than MaxInputTime", async () => {
    const { sim, clock, terminal } = manualSim();
    terminal.shopper.answer({ confirm: true, thinkMs: 45_000 });
    const answer = sim.handle(confirmation("Quick!", 10));
    await clock.runAll();
    assert.equal(responseOf(await answer).ErrorCondition, "Cancel");
  });

  it("cancels when the shopper presses Cancel", async () => {
    const { sim, clock, terminal } = manualSim();
    terminal.shopper.answer("cancel");
    const answer = sim.handle(confirmation("Sure?"));
    await clock.runAll();
    const response = responseOf(await answer);
    assert.deepEqual([response.Result, response.ErrorCondition], ["Failure", "Cancel"]);
    assert.match(decodeAdditionalResponse(response.AdditionalResponse).message, /Cancelled by the shopper/);
  });

  it("says clearly when a scripted answer does not fit the screen", async () => {
    const { sim, clock, terminal } = manualSim();
    terminal.shopper.answer({ digits: "12" }, { select: "Nope" });
    const first = sim.handle(confirmation("Confirm?"));
    await clock.runAll();
    assert.match(
      decodeAdditionalResponse(responseOf(await first).AdditionalResponse).message,
      /answer \{digits\} does not fit a confirmation screen/,
    );
    const second = sim.handle(menu("Pick", ["A", "B"]));
    await clock.runAll();
    assert.match(
      decodeAdditionalResponse(responseOf(await second).AdditionalResponse).message,
      /"Nope" is not one of \["A","B"\]/,
    );
  });

  it("puts the screen's texts and menu on the timeline", async () => {
    const { sim, clock, terminal } = manualSim();
    const answer = sim.handle(menu("How was your visit?", ["Excellent", "Good", "Poor"]));
    await clock.runAll();
    await answer;
    const shown = terminal.timeline().find((e) => e.screen === "input");
    assert.deepEqual(
      shown &&
        shown.screen === "input" && [shown.kind, shown.prompt, shown.menu, shown.referenceId, shown.inputCommand],
      ["menu", "How was your visit?", ["Excellent", "Good", "Poor"], "MenuButtons", "GetMenuEntry"],
    );
  });

  it("rejects a menu of more than 15 entries with MessageFormat", async () => {
    const { sim } = manualSim();
    const answer = await sim.handle(
      menu(
        "Too many",
        Array.from({ length: 16 }, (_, i) => `Option ${i + 1}`),
      ),
    );
    assert.equal(responseOf(answer).ErrorCondition, "MessageFormat");
    assert.match(
      decodeAdditionalResponse(responseOf(answer).AdditionalResponse).errors,
      /MenuEntry: At most 15 entries, got 16/,
    );
  });
});
