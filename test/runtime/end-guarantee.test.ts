/**
 * The End guarantee: whatever goes wrong at whichever inner step of a session, the run sends exactly
 * one End and leaves no session open on the simulator (issue 4 "Must show").
 */
import assert from "node:assert/strict";
import { VirtualClock } from "../../protocol/index.js";
import { runFlow, type RunOptions } from "../../runtime/run-flow.js";
import type { RunListeners } from "../../runtime/events.js";
import type { RunStatus } from "../../runtime/result.js";
import { cloudTransport } from "../../runtime/transports/cloud.js";
import { createSimulator, type Fault } from "../../simulator/index.js";
import { flowOf } from "./support/fake-terminal.js";

const FLOW = flowOf(`flow "End guarantee"
session waiting 5000 id "S" <
  display "Welcome"
  input confirm "Ready?" within 30s as ready
  pay 12.50 EUR as payment
  display "Bye"
>
`);
// The same steps with a short input limit, so a delayed input answer times out quickly over HTTP.
const HTTP_FLOW = flowOf(`flow "End guarantee over HTTP"
session waiting 5000 id "S" <
  display "Welcome"
  input confirm "Ready?" within 1s as ready
  pay 12.50 EUR as payment
  display "Bye"
>
`);
const INNER_STEPS = ["display", "input", "pay", "display"];
const POIID = "V400m-100000001";

type FaultCase = { name: string; expected: RunStatus[]; apply: (setup: CaseSetup) => void };

interface CaseSetup {
  /** Called synchronously when the step at `path` sends its first request, before it reaches the terminal. */
  onStepRequest(path: string, action: () => void): void;
  on: RunListeners;
  simulatorFault(fault: Fault): void;
  abort(): void;
}

const FAULTS: FaultCase[] = [
  { name: "terminal Failure (Busy)", expected: ["failed"], apply: (s) => s.simulatorFault({ kind: "busy" }) },
  // A payment's lost answer is recovered through TransactionStatus (NotFound: it never ran).
  { name: "HTTP 500", expected: ["error", "failed"], apply: (s) => s.simulatorFault({ kind: "http500" }) },
  { name: "connection reset", expected: ["error", "passed"], apply: (s) => s.simulatorFault({ kind: "drop" }) },
  { name: "timeout", expected: ["error", "passed"], apply: (s) => s.simulatorFault({ kind: "delay", ms: 3_600_000 }) },
  { name: "malformed answer", expected: ["error", "passed"], apply: (s) => s.simulatorFault({ kind: "malformed" }) },
  {
    name: "throwing listener",
    expected: ["passed"],
    apply: (s) => {
      s.on.stepStart = () => {
        throw new Error("listener bug at step start");
      };
      s.on.request = () => {
        throw new Error("listener bug at request");
      };
    },
  },
  { name: "AbortSignal", expected: ["cancelled"], apply: (s) => s.abort() },
];

async function runCase(position: number, fault: FaultCase) {
  const clock = new VirtualClock({ auto: true });
  const simulator = createSimulator({ clock });
  const terminal = simulator.terminal(POIID);
  const controller = new AbortController();
  const path = `1.${position + 1}`;
  const hooks = new Map<string, () => void>();
  const on: RunListeners = {};
  fault.apply({
    onStepRequest: (p, action) => hooks.set(p, action),
    on,
    simulatorFault: (f) => hooks.set(path, () => terminal.faults.inject(f, { times: 1 })),
    abort: () => hooks.set(path, () => controller.abort()),
  });
  const userRequest = on.request;
  let fired = false;
  on.request = (event) => {
    if (!fired && event.path === path && hooks.has(path)) {
      fired = true;
      hooks.get(path)!();
    }
    userRequest?.(event);
  };
  // A throwing listener is wired for every step; the fault hooks for one position only.
  const options: RunOptions = {
    terminal: simulator,
    clock,
    poiid: POIID,
    on,
    signal: controller.signal,
    timeouts: { display: 2_000, inputMargin: 2_000, payment: 10_000, status: 2_000, statusRecovery: 60_000 },
  };
  const result = await runFlow(FLOW, options);
  const log = terminal.requests();
  return {
    result,
    begins: log.filter((e) => e.session?.type === "Begin").length,
    ends: log.filter((e) => e.session?.type === "End").length,
    payments: log.filter((e) => e.body === "PaymentRequest").length,
    openSession: terminal.session,
    fired: fired || fault.name === "throwing listener",
  };
}

describe("runtime: the End guarantee under faults", () => {
  for (let position = 0; position < INNER_STEPS.length; position++) {
    for (const fault of FAULTS) {
      it(`${fault.name} at inner step ${position + 1} (${INNER_STEPS[position]}): one End, no session left open`, async () => {
        const outcome = await runCase(position, fault);
        assert.ok(outcome.fired, "the fault was injected");
        assert.equal(outcome.begins, 1, "one Begin");
        assert.equal(outcome.ends, 1, "exactly one End");
        assert.equal(outcome.openSession, null, "no session left open on the simulator");
        assert.ok(outcome.payments <= 1, "a payment is never sent twice");
        assert.ok(
          fault.expected.includes(outcome.result.status),
          `status ${outcome.result.status} (${outcome.result.diagnostics.map((d) => d.message).join("; ")}) not in ${fault.expected.join("/")}`,
        );
        const lastRequest = outcome.result.messages.filter((m) => m.direction === "request").at(-1);
        assert.equal(lastRequest?.name, "AdminRequest", "the End is the last request of the run");
      });
    }
  }

  it("sends no End when the terminal refuses the Begin, and runs no inner step", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    const terminal = simulator.terminal(POIID);
    terminal.faults.busy({ category: "Admin" });
    const result = await runFlow(FLOW, { terminal: simulator, clock, poiid: POIID });
    assert.equal(result.status, "failed");
    assert.equal(result.diagnostics[0].code, "session-begin-failed");
    assert.deepEqual(
      terminal.requests().map((e) => e.body),
      ["AdminRequest"],
    );
  });

  it("ends a session whose Begin answer was lost (its outcome is unknown)", async () => {
    const clock = new VirtualClock({ auto: true });
    const simulator = createSimulator({ clock });
    const terminal = simulator.terminal(POIID);
    terminal.faults.drop({ category: "Admin" });
    const result = await runFlow(FLOW, { terminal: simulator, clock, poiid: POIID });
    assert.equal(result.status, "error");
    assert.equal(terminal.requests().filter((e) => e.session?.type === "End").length, 1);
    assert.equal(terminal.session, null);
  });

  describe("over real HTTP (system clock)", function () {
    this.timeout(20_000);
    const HTTP_FAULTS: [string, Fault][] = [
      ["HTTP 500", { kind: "http500" }],
      ["connection reset", { kind: "drop" }],
      ["timeout", { kind: "delay", ms: 1_500 }],
      ["malformed answer", { kind: "malformed" }],
    ];
    for (let position = 0; position < INNER_STEPS.length; position++) {
      for (const [name, fault] of HTTP_FAULTS) {
        it(`${name} at inner step ${position + 1} (${INNER_STEPS[position]}): one End, no session left open`, async () => {
          const simulator = createSimulator({ thinkTimeMs: 5, paymentMs: 5, resultScreenMs: 5 });
          const terminal = simulator.terminal(POIID);
          const server = await simulator.listen({ port: 0 });
          const transport = cloudTransport({ endpoint: server.url });
          const path = `1.${position + 1}`;
          let injected = false;
          try {
            const result = await runFlow(HTTP_FLOW, {
              terminal: transport,
              poiid: POIID,
              timeouts: {
                display: 300,
                inputMargin: 0,
                payment: 300,
                status: 300,
                statusBackoff: [50],
                statusRecovery: 10_000,
              },
              on: {
                request: (event) => {
                  if (!injected && event.path === path) {
                    injected = true;
                    terminal.faults.inject(fault, { times: 1 });
                  }
                },
              },
            });
            assert.ok(injected);
            const log = terminal.requests();
            assert.equal(log.filter((e) => e.session?.type === "End").length, 1, "exactly one End");
            assert.equal(terminal.session, null, "no session left open");
            assert.ok(log.filter((e) => e.body === "PaymentRequest").length <= 1);
            assert.notEqual(result.status, "invalid");
          } finally {
            await transport.close?.();
            await server.close();
          }
        });
      }
    }
  });
});
