/**
 * One soak run's plan, drawn from the soak's seed, the lane and the run's number (so a seed replays
 * the same plans, whatever the timing): which flow, the bill, what the shopper and the card do, the
 * faults the terminal injects, when the POS cancels. It is put on the terminal through the
 * simulator's control API (docs/simulator.md, Control API), as a POS's own test would.
 */
import fc from "fast-check";
import type { Fault, PaymentOutcome, ShopperAnswer } from "../../simulator/index.js";
import { caseSeed } from "../support/fuzz.js";
import { DECLINING_ENDINGS } from "./flows.js";

/** A fault as the control API's `faults/inject` takes it. */
export interface PlannedFault {
  fault: Fault;
  times: number;
  skip: number;
  category?: string;
  session?: "Begin" | "End";
}

export interface RunPlan {
  /** Index into soakFlows(). */
  flow: number;
  bill: { minor: number; guests: number };
  thinkMs: number;
  paymentMs: number;
  answers: ShopperAnswer[];
  payments: PaymentOutcome[];
  faults: PlannedFault[];
  /** ms after the run starts when the POS cancels it (AbortSignal), if it does. */
  cancelAtMs?: number;
  /**
   * The terminal goes dark for status requests (every TransactionStatusRequest answered HTTP 500) after
   * a payment's answer is lost: the run can only report that payment `unknown`.
   */
  blackout: boolean;
}

export interface PlanOptions {
  flows: number;
  /** Share of runs cancelled at a random time (0-1). */
  cancelRate: number;
  /** Share of runs with injected faults (0-1). */
  faultRate: number;
  /** The longest delay fault, ms. */
  maxDelayMs: number;
  /** Share of runs where a payment's answer is lost and every status request fails (0-1). */
  blackoutRate: number;
}

/** Every category and body a fault can aim at (docs/simulator.md, Faults); undefined: any request. */
const CATEGORIES = [
  undefined,
  "Payment",
  "PaymentRequest",
  "TransactionStatus",
  "Abort",
  "Admin",
  "Input",
  "Display",
  "Print",
  "Reversal",
  "CardAcquisition",
  "EnableService",
] as const;

const percent = (p: number) => fc.integer({ min: 0, max: 9999 }).map((n) => n < p * 10_000);

const faultArb = (maxDelayMs: number): fc.Arbitrary<PlannedFault> =>
  fc
    .record({
      fault: fc.oneof(
        fc.record({ kind: fc.constant("delay" as const), ms: fc.integer({ min: 50, max: maxDelayMs }) }),
        fc.record({ kind: fc.constant("drop" as const), processed: fc.boolean() }),
        fc.record({ kind: fc.constant("http500" as const), processed: fc.boolean() }),
        fc.record({ kind: fc.constant("malformed" as const) }),
        fc.record({ kind: fc.constant("busy" as const) }),
      ),
      times: fc.integer({ min: 1, max: 2 }),
      skip: fc.integer({ min: 0, max: 1 }),
      // Any request, and the money and session requests, more often than the rest.
      category: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.constantFrom("Payment", "PaymentRequest", "Admin", "TransactionStatus") },
        { weight: 3, arbitrary: fc.constantFrom(...CATEGORIES) },
      ),
      session: fc.constantFrom(undefined, undefined, "Begin" as const, "End" as const),
    })
    .map((f) => {
      // `session` only narrows AdminRequests: it goes with the Admin category or none.
      const session = f.category === undefined || f.category === "Admin" ? f.session : undefined;
      return {
        fault: f.fault,
        times: f.times,
        skip: f.skip,
        ...(f.category !== undefined ? { category: f.category } : {}),
        ...(session !== undefined ? { session } : {}),
      };
    });

const answerArb: fc.Arbitrary<ShopperAnswer> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 30, max: 1500 }).map((thinkMs) => ({ confirm: true, thinkMs })) },
  { weight: 3, arbitrary: fc.integer({ min: 30, max: 1500 }).map((thinkMs) => ({ confirm: false, thinkMs })) },
  { weight: 2, arbitrary: fc.integer({ min: 30, max: 800 }).map((thinkMs) => ({ cancel: true as const, thinkMs })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).map((select) => ({ select })) },
);

const paymentArb: fc.Arbitrary<PaymentOutcome> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 50, max: 4000 }).map((durationMs) => ({ outcome: "approve" as const, durationMs })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      outcome: fc.constant("decline" as const),
      errorCondition: fc.constantFrom("Refusal" as const, "WrongPIN" as const, "InvalidCard" as const),
      durationMs: fc.integer({ min: 50, max: 3000 }),
    }),
  },
  {
    weight: 1,
    // The card covers only part of the bill (Result Partial); "0.00" is a decline.
    arbitrary: fc
      .record({ cents: fc.integer({ min: 0, max: 5000 }), durationMs: fc.integer({ min: 50, max: 3000 }) })
      .map(({ cents, durationMs }) => ({
        outcome: "partial" as const,
        authorised: (cents / 100).toFixed(2),
        durationMs,
      })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 50, max: 3000 }).map((durationMs) => ({ outcome: "cancel" as const, durationMs })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 50, max: 3000 })
      .map((durationMs) => ({ outcome: "cardRemoved" as const, durationMs })),
  },
);

function planArb(o: PlanOptions): fc.Arbitrary<RunPlan> {
  return fc
    .record({
      flow: fc.integer({ min: 0, max: o.flows - 1 }),
      base: fc.integer({ min: 1, max: 200 }),
      declines: percent(0.15),
      ending: fc.constantFrom(...DECLINING_ENDINGS),
      guests: fc.integer({ min: 1, max: 4 }),
      thinkMs: fc.integer({ min: 30, max: 1200 }),
      paymentMs: fc.integer({ min: 50, max: 3000 }),
      scripted: percent(0.4),
      answers: fc.array(answerArb, { maxLength: 3 }),
      payments: fc.array(paymentArb, { maxLength: 3 }),
      faulty: percent(o.faultRate),
      faults: fc.array(faultArb(o.maxDelayMs), { minLength: 1, maxLength: 3 }),
      cancels: percent(o.cancelRate),
      blackout: percent(o.blackoutRate),
      cancelAtMs: fc.integer({ min: 0, max: 12_000 }),
    })
    .map((p) => ({
      flow: p.flow,
      // Bills of 1.00 to 200.00 EUR; one ending in a declining code is declined by the terminal.
      bill: { minor: p.declines ? (p.base % 200) * 1000 + p.ending : p.base * 100 + 50, guests: p.guests },
      thinkMs: p.thinkMs,
      paymentMs: p.paymentMs,
      answers: p.scripted ? p.answers : [],
      payments: p.scripted ? p.payments : [],
      faults: p.faulty ? p.faults : [],
      ...(p.cancels ? { cancelAtMs: p.cancelAtMs } : {}),
      blackout: p.blackout,
    }));
}

/** The plan of run `n` of lane `lane` under `seed`. */
export function planFor(seed: number, lane: number, n: number, options: PlanOptions): RunPlan {
  const [plan] = fc.sample(planArb(options), { seed: caseSeed(seed, `soak/lane-${lane}`, n), numRuns: 1 });
  return plan;
}

/** The control API calls that put a plan on a terminal: its earlier scripts go first. */
export function controlCalls(plan: RunPlan): Array<{ path: string; body: unknown }> {
  const calls: Array<{ path: string; body: unknown }> = [
    { path: "shopper/reset", body: {} },
    { path: "payments/reset", body: {} },
    { path: "faults/reset", body: {} },
    { path: "shopper/thinkTime", body: { ms: plan.thinkMs } },
    { path: "payments/duration", body: { ms: plan.paymentMs } },
  ];
  if (plan.answers.length > 0) calls.push({ path: "shopper/answer", body: { answers: plan.answers } });
  if (plan.payments.length > 0) calls.push({ path: "payments/next", body: { outcomes: plan.payments } });
  if (plan.blackout) {
    calls.push({ path: "faults/drop", body: { category: "PaymentRequest" } });
    calls.push({ path: "faults/http500", body: { category: "TransactionStatus", times: "every" } });
  }
  for (const f of plan.faults)
    calls.push({
      path: "faults/inject",
      body: {
        fault: f.fault,
        times: f.times,
        skip: f.skip,
        ...(f.category !== undefined ? { category: f.category } : {}),
        ...(f.session !== undefined ? { session: f.session } : {}),
      },
    });
  return calls;
}
