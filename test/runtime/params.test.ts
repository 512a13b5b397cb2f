/**
 * Typed params: the caller's values (`--var`, `runFlow({params})`, a scenario's `given var`) are
 * read as the param's type before anything is sent; a value that does not fit is `invalid-var`.
 */
import assert from "node:assert/strict";
import { moneyOf } from "../../language/index.js";
import { VirtualClock } from "../../protocol/index.js";
import { bindParams, type ParamValue } from "../../runtime/params.js";
import { runFlow } from "../../runtime/run-flow.js";
import { FakeTerminal, flowOf } from "./support/fake-terminal.js";

const FLOW =
  'param total: money\nparam guests: number = 2\nparam vip: boolean = false\nparam note: string = "x"\nparam fixed = 5.00 EUR\nparam loose\n';

/** The values bound, or the problems (`code: message`). */
function bind(params: Record<string, ParamValue>): unknown {
  const flow = flowOf(`${FLOW}display "\${total} \${guests} \${vip} \${note} \${fixed} \${loose}"\n`);
  const bound = bindParams(flow, { total: "1.00 EUR", loose: "x", ...params });
  if (bound.diagnostics.length > 0) return bound.diagnostics.map((d) => `${d.code}: ${d.message}`);
  return Object.fromEntries(bound.values);
}

describe("runtime/params", () => {
  it("reads each caller value as its param's type", () =>
    assert.deepEqual(bind({ total: "42.50 EUR", guests: "3", vip: "true", note: 12, fixed: "7.00 EUR", loose: "3" }), {
      total: moneyOf(4250, "EUR"),
      guests: 3,
      vip: true,
      note: "12",
      fixed: moneyOf(700, "EUR"),
      loose: "3",
    }));

  it("takes values already typed: money, numbers, booleans", () =>
    assert.deepEqual(bind({ total: moneyOf(500, "JPY"), guests: 4, vip: true }), {
      total: moneyOf(500, "JPY"),
      guests: 4,
      vip: true,
      note: "x",
      fixed: moneyOf(500, "EUR"),
      loose: "x",
    }));

  it("refuses values that do not fit, saying why", () => {
    assert.deepEqual(bind({ total: "42.505 EUR" }), [
      "invalid-var: `total` must be an amount like `42.50 EUR`: `42.505 EUR` has 3 decimals, but EUR has 2",
    ]);
    assert.deepEqual(bind({ total: "abc" }), [
      "invalid-var: `total` must be an amount like `42.50 EUR`: `abc` is not an amount with its currency",
    ]);
    assert.deepEqual(bind({ total: 42.5 }), [
      'invalid-var: `total` must be an amount with its currency, like "42.50 EUR", got "42.5"',
    ]);
    assert.deepEqual(bind({ guests: "three" }), ['invalid-var: `guests` must be a number, got "three"']);
    assert.deepEqual(bind({ vip: "yes" }), ['invalid-var: `vip` must be true or false, got "yes"']);
    assert.deepEqual(bind({ fixed: "7.00 USD" }), ["invalid-var: `fixed` is an amount in EUR, got 7.00 USD"]);
  });

  it("stops a run before any request when a value does not fit (runFlow's `params`)", async () => {
    const terminal = new FakeTerminal();
    const result = await runFlow(flowOf("param total: money\npay total\n"), {
      terminal,
      clock: new VirtualClock({ auto: true }),
      params: { total: "12,50 EUR" },
    });
    assert.equal(result.status, "invalid");
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ["invalid-var"],
    );
    assert.deepEqual(terminal.requests, []);
  });

  it("pays a total given as a param, on the wire in the currency's decimals", async () => {
    const terminal = new FakeTerminal();
    const result = await runFlow(flowOf("param total: money\npay total as p\n"), {
      terminal,
      clock: new VirtualClock({ auto: true }),
      params: { total: "1.005 KWD" },
    });
    assert.equal(result.status, "passed", JSON.stringify(result.diagnostics));
    const payment = terminal.requests[0].SaleToPOIRequest as {
      PaymentRequest: { PaymentTransaction: { AmountsReq: { Currency: string; RequestedAmount: number } } };
    };
    assert.deepEqual(payment.PaymentRequest.PaymentTransaction.AmountsReq, { Currency: "KWD", RequestedAmount: 1.005 });
    assert.deepEqual(result.payments[0].amount, moneyOf(1005, "KWD"));
  });
});
