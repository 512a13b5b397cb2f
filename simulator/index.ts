/**
 * termflow's terminal simulator: a virtual Adyen terminal speaking the Terminal API (nexo JSON) on
 * `/sync`, `/v1/merchants/:merchant/devices/:poiid/sync` and `/nexo`, in-process or over HTTP.
 * docs/simulator.md documents behaviour and the scripting API.
 */
import { SimulatorCore } from "./core.js";
import { listen } from "./http.js";
import type { SimulatedTerminal } from "./terminal.js";
import type { Simulator, SimulatorOptions, SimulatorServer } from "./types.js";

export type {
  Channel,
  Fault,
  FaultOptions,
  HandleContext,
  ActionResult,
  CardBrand,
  InputScreenKind,
  ListenOptions,
  PaymentOutcome,
  PaymentOutcomeLike,
  RequestLogEntry,
  ScreenEvent,
  ScreenName,
  ShopperAnswer,
  ShopperAnswerLike,
  SimulatedTerminalApi,
  Simulator,
  SimulatorAnswer,
  SimulatorOptions,
  SimulatorEvent,
  SimulatorMemory,
  SimulatorServer,
  TerminalScript,
  TerminalState,
  ShopperValue,
  Waiting,
} from "./types.js";
export type { SimulatedTerminal } from "./terminal.js";
export { DECLINES_BY_MINOR_DIGITS, PLATFORM_TIMEOUT_MS, askedToPay } from "./payments.js";
export { MAX_SCREEN_TIMEOUT_MS } from "./service-identification.js";
export { MAX_BODY_BYTES, isLoopbackHost } from "./http.js";
export { describeInput, fitValue, type InputScreen, type Misfit } from "./input-screens.js";

/** A simulator with its own terminals; nothing is shared between two simulators. */
export function createSimulator(
  options: SimulatorOptions = {},
): Simulator & { terminal(poiid: string): SimulatedTerminal } {
  const core = new SimulatorCore(options);
  const servers = new Set<SimulatorServer>();
  return {
    handle: (request, context) => core.handle(request, context),
    terminal: (poiid) => core.terminal(poiid),
    terminals: () => core.terminals(),
    listen: async (listenOptions) => {
      const server = await listen(core, listenOptions);
      servers.add(server);
      return {
        ...server,
        close: () => {
          servers.delete(server);
          return server.close();
        },
      };
    },
    subscribe: (listener) => core.subscribe(listener),
    reset: () => core.reset(),
    memory: () => core.memory(),
    close: async () => {
      await Promise.all([...servers].map((server) => server.close()));
      servers.clear();
      core.stop();
    },
  };
}
