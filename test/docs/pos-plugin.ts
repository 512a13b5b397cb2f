/**
 * The POS-plugin example of docs/embedding.md, verbatim (the doc shows it importing "termflow").
 * test/docs/embedding.test.ts checks the doc still matches this file and runs it.
 */
import {
  VirtualClock,
  createSimulator,
  loadFlow,
  moneyOf,
  renderDiagnostics,
  runFlow,
  type Money,
  type RunOptions,
} from "../../index.js";

/**
 * What the POS needs to know after the shopper is done at the terminal. `unknown` is an answer too:
 * the terminal could not say, so the waiter looks the payment up instead of charging again.
 */
export type PayAtTableOutcome =
  | { outcome: "paid"; transactionId: string }
  /** The card covered only part of the bill: the waiter takes the rest another way. */
  | { outcome: "partly paid"; paid: Money; unpaid: Money; transactionId: string }
  | { outcome: "not paid"; reason: string }
  | { outcome: "unknown"; reason: string; serviceId: string };

/** The flow the plugin runs, written once: the POS passes the table and the basket's total as params. */
const PAY_AT_TABLE = `flow "Pay at table"
param table: string
param bill: money
session waiting 5000 <
  display "Table \${table}: your bill is \${bill}" for 3s
  pay bill ref "table-\${table}" as payment
  if payment.result == "approved" {
    display "Thank you!"
  } else {
    display "Payment \${payment.result}: please ask the waiter"
  }
>
display idle
`;

const loaded = loadFlow(PAY_AT_TABLE, "pay-at-table.flow");
if (!loaded.flow) throw new Error(renderDiagnostics(loaded.diagnostics, () => PAY_AT_TABLE));
const payAtTableFlow = loaded.flow;

/**
 * The "pay at table" button of a POS: run the flow on the table's terminal with the basket's total,
 * report to the POS. The total is money (integer minor units and a currency), never a float.
 */
export async function payAtTable(
  table: string,
  bill: Money,
  terminal: RunOptions["terminal"],
  options: Pick<RunOptions, "signal" | "clock" | "poiid" | "on"> = {},
): Promise<PayAtTableOutcome> {
  const result = await runFlow(payAtTableFlow, { terminal, params: { table, bill }, ...options });
  // Money first: the payment is what the terminal said it was, whatever became of the rest of the
  // run. An approval that beat a cancel, or came before a later step failed, is still paid.
  const payment = result.payments.at(-1);
  if (payment?.result === "approved") return { outcome: "paid", transactionId: payment.transactionId };
  if (payment?.result === "partial") {
    const unpaid = moneyOf(payment.requestedAmount.minor - payment.amount.minor, payment.currency);
    return { outcome: "partly paid", paid: payment.amount, unpaid, transactionId: payment.transactionId };
  }
  if (payment?.result === "unknown") {
    const reason = result.diagnostics[0]?.message ?? "the payment's outcome is unknown";
    return { outcome: "unknown", reason, serviceId: payment.serviceId };
  }
  if (result.status === "cancelled") return { outcome: "not paid", reason: "interrupted" };
  if (payment) {
    return { outcome: "not paid", reason: `${payment.result}: ${payment.declineReason || payment.errorCondition}` };
  }
  return { outcome: "not paid", reason: result.diagnostics[0]?.message ?? result.status };
}

/**
 * Trying it out without a terminal: the simulator answers like an Adyen test terminal, on a virtual
 * clock so its 3-second payments take no time.
 */
export async function demo(): Promise<PayAtTableOutcome[]> {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock });
  return [
    await payAtTable("12", moneyOf(4250, "EUR"), simulator, { clock }), // approved
    await payAtTable("7", moneyOf(1124, "EUR"), simulator, { clock }), // test terminals decline amounts ending in 124
  ];
}
