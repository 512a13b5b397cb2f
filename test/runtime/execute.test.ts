/**
 * The executor on the new forms: computed payments and tips, bounded loops, typed captures, answers
 * read strictly, and the checks' rules failing a step in the checks' words when only the run knows
 * the value.
 */
import assert from "node:assert/strict";
import { formatMoney, isMoney, loadFlow, moneyOf, type Diagnostic } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import type { RunResult } from "../../runtime/result.js";
import { DEFAULT_POIID, runFlow } from "../../runtime/run-flow.js";
import { createSimulator, type SimulatedTerminalApi } from "../../simulator/index.js";
import { answer, FakeTerminal, flowOf } from "./support/fake-terminal.js";

async function run(source: string, params: Record<string, string | number> = {}, terminal = new FakeTerminal()) {
  const result = await runFlow(flowOf(source), { terminal, clock: new VirtualClock({ auto: true }), params });
  return { result, terminal };
}

/** The wire amounts of every payment sent: `33.34+3.33 EUR`. */
function wire(terminal: FakeTerminal): string[] {
  return terminal.requests.flatMap((r) => {
    const p = (
      r.SaleToPOIRequest as unknown as {
        PaymentRequest?: { PaymentTransaction: { AmountsReq: Record<string, unknown> } };
      }
    ).PaymentRequest;
    if (!p) return [];
    const a = p.PaymentTransaction.AmountsReq;
    return [`${a.RequestedAmount}${a.TipAmount !== undefined ? `+${a.TipAmount}` : ""} ${a.Currency}`];
  });
}

const failure = (result: RunResult): string => {
  const d = result.diagnostics[0] as Diagnostic | undefined;
  return d ? `${d.code}: ${d.message}` : result.status;
};

describe("runtime/execute: money, loops and strict answers", () => {
  it("splits a bill among guests, each share with its tip, exact to the cent", async () => {
    const { result, terminal } = await run(
      "param total: money = 100.00 EUR\nparam guests: number = 3\nfor share in split(total, guests) {\n" +
        "  pay share tip share * 10% as p\n  expect p.amount == share * 110%\n" +
        "}\n",
    );
    assert.equal(result.status, "passed", failure(result));
    assert.deepEqual(wire(terminal), ["33.34+3.33 EUR", "33.33+3.33 EUR", "33.33+3.33 EUR"]);
    assert.deepEqual(
      result.steps.filter((s) => s.kind === "pay").map((s) => [s.path, s.label]),
      [
        ["1#1.1", "pay 33.34 EUR tip 3.33 EUR as p"],
        ["1#2.1", "pay 33.33 EUR tip 3.33 EUR as p"],
        ["1#3.1", "pay 33.33 EUR tip 3.33 EUR as p"],
      ],
    );
    assert.equal(result.steps[0].iterations, 3);
    assert.equal(result.captures.share, undefined, "the loop's item is gone after the loop");
  });

  it("takes the guests from the caller, and a range and a repeat count to their bounds", async () => {
    const { result, terminal } = await run(
      'param guests: number\nfor i in 1..guests { display "Guest ${i} of ${guests}" }\nrepeat guests - 1 times { wait 1ms }\n',
      { guests: 2 },
    );
    assert.equal(result.status, "passed", failure(result));
    assert.deepEqual(
      result.steps.map((s) => s.label),
      ["for i in 1..guests", 'display "Guest 1 of 2"', 'display "Guest 2 of 2"', "repeat guests - 1 times", "wait 1ms"],
    );
    assert.equal(terminal.requests.length, 2);
  });

  it("fails a loop over more than 100 items known only at run time before its first step, in the checks' words", async () => {
    const { result, terminal } = await run(
      "param guests: number\nfor share in split(10.00 EUR, guests) { pay share }\n",
      {
        guests: 500,
      },
    );
    assert.equal(result.status, "failed");
    assert.equal(failure(result), "loop-too-long: a loop runs at most 100 times, but this one has 500 shares");
    assert.deepEqual(terminal.requests, []);
  });

  it("fails a payment that comes to zero or less at run time, in the checks' words, before sending it", async () => {
    const source = "param total: money\npay total - 5.00 EUR\n";
    const { result, terminal } = await run(source, { total: "4.00 EUR" });
    assert.equal(
      failure(result),
      "amount-out-of-range: cannot pay -1.00 EUR (`total - 5.00 EUR`): the amount is negative",
    );
    assert.deepEqual(terminal.requests, []);
    // The checks say the same of a flow where the value is known before the run.
    const known = loadFlow("pay 4.00 EUR - 5.00 EUR\n", "k.flow").diagnostics;
    assert.deepEqual(
      known.map((d) => `${d.code}: ${d.message}`),
      ["amount-out-of-range: cannot pay -1.00 EUR (`4.00 EUR - 5.00 EUR`): the amount is negative"],
    );
  });

  it("fails on amounts of two currencies met only at run time, as the checks word it", async () => {
    const { result } = await run("param total: money\npay total + 1.00 EUR\n", { total: "10.00 USD" });
    assert.equal(failure(result), "currency-mismatch: cannot add an amount in EUR to an amount in USD");
    const known = loadFlow("pay 10.00 USD + 1.00 EUR\n", "k.flow").diagnostics;
    assert.deepEqual(
      known.map((d) => d.message),
      ["cannot add an amount in EUR to an amount in USD"],
    );
  });

  it("captures payments as money, tip and all, and interpolates money with its currency's decimals", async () => {
    const { result, terminal } = await run(
      'pay 40.00 EUR tip 4.00 EUR as p\ndisplay "Paid ${p.amount} (tip ${p.tip})"\n',
    );
    assert.equal(result.status, "passed", failure(result));
    const p = result.captures.p as Record<string, unknown>;
    assert.deepEqual([p.amount, p.tip], [moneyOf(4400, "EUR"), moneyOf(400, "EUR")]);
    const display = terminal.requests.at(-1)!.SaleToPOIRequest as {
      DisplayRequest: { DisplayOutput: { OutputContent: { OutputText: { Text: string }[] } }[] };
    };
    assert.equal(
      display.DisplayRequest.DisplayOutput[0].OutputContent.OutputText[0].Text,
      "Paid 44.00 EUR (tip 4.00 EUR)",
    );
  });

  it("captures an amount answer as money in the input's currency, and a digits answer number() reads", async () => {
    const { result } = await run(
      'input amount "Gift?" in KWD as gift\ninput digits "Guests?" as guests\nexpect gift == 10.000 KWD and number(guests) == 1234\n',
    );
    assert.equal(result.status, "passed", failure(result));
    assert.ok(isMoney(result.captures.gift) && formatMoney(result.captures.gift) === "10.000 KWD");
  });

  for (const [answered, reason] of [
    ["1.255", '"1.255" has 3 decimals, but EUR has 2'],
    ["abc", '"abc" is not an amount'],
    ["-3.00", '"-3.00" is negative'],
  ] as const) {
    it(`fails an input whose amount answer is ${answered}: it is never captured as 0`, async () => {
      const terminal = new FakeTerminal().once("InputRequest", (request) =>
        answer(request, "InputResponse", {
          InputResult: {
            Device: "CustomerInput",
            InfoQualify: "Input",
            Response: { Result: "Success" },
            Input: { InputCommand: "DecimalString", DigitInput: answered },
          },
        }),
      );
      const { result } = await run('input amount "Gift?" in EUR as gift\npay 1.00 EUR\n', {}, terminal);
      assert.equal(result.status, "failed");
      assert.equal(failure(result), `answer-unreadable: input amount "Gift?" as gift: the answer ${reason}`);
      assert.equal(result.captures.gift, undefined);
      assert.equal(wire(terminal).length, 0, "no payment after an unreadable answer");
    });
  }

  it("fails an input whose menu answer is not an entry, and a confirmation without its flag", async () => {
    const menu = new FakeTerminal().once("InputRequest", (request) =>
      answer(request, "InputResponse", {
        InputResult: { Response: { Result: "Success" }, Input: { InputCommand: "GetMenuEntry", MenuEntryNumber: [7] } },
      }),
    );
    const m = await run('input menu "Tip?" ["None", "10%"] as tip\n', {}, menu);
    assert.equal(m.result.diagnostics[0]?.code, "answer-unreadable");
    const confirm = new FakeTerminal().once("InputRequest", (request) =>
      answer(request, "InputResponse", {
        InputResult: { Response: { Result: "Success" }, Input: { InputCommand: "GetConfirmation" } },
      }),
    );
    const c = await run('input confirm "Receipt?" as ok\n', {}, confirm);
    assert.match(failure(c.result), /^answer-unreadable: .*has no ConfirmedFlag$/);
  });

  it("says an input that timed out timed out: never that the shopper cancelled", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    const flow = flowOf('input confirm "Receipt?" within 5s as ok\n');
    const answered = async (script: (t: SimulatedTerminalApi) => void) => {
      script(simulator.terminal(DEFAULT_POIID));
      const result = await runFlow(flow, { terminal: simulator, clock });
      const [d] = result.diagnostics;
      return `${d.code}: ${d.message} (${d.hint})`;
    };
    const timedOut = await answered((t) => t.shopper.answer("noAnswer"));
    assert.match(
      timedOut,
      /^input-failed: the shopper's answer to input confirm "Receipt\?" as ok failed: Failure Cancel/,
    );
    assert.match(timedOut, /\(the shopper did not answer within the time limit: give more time \(`within`\)/);
    assert.doesNotMatch(timedOut, /cancelled/);
    const cancelled = await answered((t) => t.shopper.answer("cancel"));
    assert.match(cancelled, /\(the shopper cancelled on the terminal\)$/);
  });

  it("interpolates a session id", async () => {
    const { terminal } = await run('param table = "7"\nsession waiting 5s id "table-${table}" < display "Hi" >\n');
    assert.deepEqual(terminal.sessionRequests(), ["Begin table-7", "End table-7"]);
  });
});
