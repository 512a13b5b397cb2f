/**
 * `runFlow`: executes a checked flow against a terminal and resolves to a RunResult. It never
 * throws: an invalid flow, a missing param, a failing terminal, a lost connection, a throwing
 * listener and a cancelled run all end in a result with a status and Diagnostics.
 */
import type { CalledFlows, Flow } from "../language/index.js";
import { hasErrors, type Diagnostic, checkWithCalledFlows, noCalledFlows } from "../language/index.js";
import { systemClock, type Clock, createIdSource, type IdSource } from "../protocol/index.js";
import { RunEmitter, type RunEventName, type RunListeners } from "./events.js";
import { Exchanger } from "./exchange.js";
import { FlowExecutor } from "./execute.js";
import { RunStop, runDiagnostic } from "./failures.js";
import { bindParams, type ParamValue } from "./params.js";
import type { MessageRecord, PaymentRecord, RunResult, RunStatus, StepResult } from "./result.js";
import { resolveTimeouts, type RequestTimeouts } from "./timeouts.js";
import type { Transport } from "./transport.js";
import { isSimulatorLike, simulatorTransport, type SimulatorLike } from "./transports/simulator.js";
import { Scope } from "./values.js";
import { startRun, type SessionJournal } from "./session-journal.js";

/** The SaleID termflow uses when none is given. */
export const DEFAULT_SALE_ID = "termflow";
/** The POIID termflow uses when none is given (any id works with the simulator). */
export const DEFAULT_POIID = "V400m-123456789";

export interface RunOptions {
  /** Where requests go: a Transport, or a simulator (wrapped in the in-process transport). */
  terminal: Transport | SimulatorLike;
  /** Cancels the run: the in-flight payment or input is aborted, open sessions are ended. */
  signal?: AbortSignal;
  /**
   * Param values by name: `{ total: "42.50 EUR", guests: 3 }`. Text is read as the param's type;
   * a value that does not fit makes the result `invalid` before anything is sent.
   */
  params?: Readonly<Record<string, ParamValue>>;
  /** The older name of `params` (used when `params` is not given). */
  vars?: Readonly<Record<string, ParamValue>>;
  /**
   * The flows the flow calls (`call "tip.flow"`), as `loadFlow` returned them (`loaded.called`).
   * Needed only by a flow that calls others.
   */
  calls?: CalledFlows;
  /** Time for timeouts, waits and timestamps. Default: the system clock. */
  clock?: Clock;
  /** Listeners by event name; a throwing listener is reported as a warning and never stops the run. */
  on?: RunListeners;
  /** An emitter to use (subscribe with `.on` before the run). */
  emitter?: RunEmitter;
  /** The terminal's POIID. Default `V400m-123456789`. */
  poiid?: string;
  /** This POS's SaleID. Default `termflow`. */
  saleId?: string;
  /** Makes ServiceIDs, session ids and transaction references reproducible (dry runs, tests). */
  seed?: number | string;
  /** Where ids come from (overrides `seed`); share one between runs against the same terminal. */
  ids?: IdSource;
  /** Per-request timeouts, in ms, over the defaults (timeouts.ts). */
  timeouts?: Partial<RequestTimeouts>;
  /**
   * Where the sessions this POS may have left open are written down (`fileSessionJournal(dir)`,
   * `memorySessionJournal()`). With one, a Begin the terminal refuses with NotAllowed first ends a
   * session of this POIID and SaleID that a finished or crashed run left open. Default: none.
   */
  sessionJournal?: SessionJournal;
}

/** Runs a flow; resolves with its result, never rejects. */
export async function runFlow(flow: Flow, options: RunOptions): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  const emitter = options.emitter ?? new RunEmitter();
  const startedAt = clock.now();
  const warnings: Diagnostic[] = [];
  const steps: StepResult[] = [];
  const messages: MessageRecord[] = [];
  const payments: PaymentRecord[] = [];
  const scope = new Scope();
  const flowName = flow?.name?.value;

  const previousHandler = emitter.onListenerError;
  emitter.onListenerError = (event, error) => {
    warnings.push(
      runDiagnostic(
        "listener-threw",
        `a \`${event}\` listener threw: ${error instanceof Error ? error.message : String(error)}`,
        flow.span,
        {
          severity: "warning",
          hint: "listeners only observe the run: it went on without them",
        },
      ),
    );
  };
  const attached = attachListeners(emitter, options.on);

  const finish = (status: RunStatus, diagnostics: Diagnostic[]): RunResult => {
    const endedAt = clock.now();
    const result: RunResult = {
      status,
      ...(flowName !== undefined ? { flow: flowName } : {}),
      steps,
      captures: scope.entries(),
      payments,
      messages,
      diagnostics,
      warnings,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
    };
    for (const d of diagnostics) emitter.emit("error", { at: endedAt, diagnostic: d });
    emitter.emit("flowEnd", { at: endedAt, result });
    attached();
    emitter.onListenerError = previousHandler;
    return result;
  };

  const transport = resolveTransport(options.terminal);
  emitter.emit("flowStart", {
    at: startedAt,
    ...(flowName !== undefined ? { flow: flowName } : {}),
    target: transport?.description ?? "(none)",
  });
  if (!transport) {
    return finish("invalid", [
      runDiagnostic("no-terminal", "runFlow needs a terminal: a Transport or a simulator", flow.span),
    ]);
  }

  // The checks ran when the flow was loaded; running them again keeps embedders who build or edit
  // ASTs themselves from sending half-valid requests. A flow is checked with the flows it calls.
  const called = options.calls ?? noCalledFlows();
  const problems = checkWithCalledFlows(flow, called).filter((d) => d.severity === "error");
  if (hasErrors(problems)) return finish("invalid", problems);
  const params = bindParams(flow, options.params ?? options.vars);
  if (params.diagnostics.length > 0) return finish("invalid", params.diagnostics);
  for (const [name, value] of params.values) scope.set(name, value, params.types.get(name));

  const timeouts = resolveTimeouts(options.timeouts);
  const ids = options.ids ?? createIdSource(options.seed !== undefined ? { seed: options.seed } : {});
  const saleId = options.saleId ?? DEFAULT_SALE_ID;
  const poiid = options.poiid ?? DEFAULT_POIID;
  const exchanger = new Exchanger({
    transport,
    clock,
    ids,
    emitter,
    saleId,
    poiid,
    messages,
    timeouts,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const secondary: Diagnostic[] = [];
  const run = startRun();
  const executor = new FlowExecutor(flow, {
    exchanger,
    clock,
    ids,
    emitter,
    scope,
    timeouts,
    saleId,
    poiid,
    runToken: run.token,
    ...(options.sessionJournal ? { journal: options.sessionJournal } : {}),
    steps,
    payments,
    warnings,
    secondary,
    called,
    ...(options.signal ? { signal: options.signal } : {}),
  });

  try {
    await executor.run();
    run.finished();
    return finish("passed", []);
  } catch (error) {
    run.finished();
    if (error instanceof RunStop) return finish(error.status, [error.diagnostic, ...secondary]);
    const message = error instanceof Error ? error.message : String(error);
    return finish("error", [runDiagnostic("internal-error", `internal error: ${message}`, flow.span), ...secondary]);
  }
}

function resolveTransport(terminal: Transport | SimulatorLike | undefined): Transport | undefined {
  if (!terminal) return undefined;
  if (isSimulatorLike(terminal)) return simulatorTransport(terminal);
  return typeof (terminal as Transport).send === "function" ? (terminal as Transport) : undefined;
}

/** Subscribes `on` listeners; returns the function that removes them again. */
function attachListeners(emitter: RunEmitter, on: RunListeners | undefined): () => void {
  if (!on) return () => {};
  const names = Object.keys(on) as RunEventName[];
  for (const name of names) {
    const listener = on[name];
    if (typeof listener === "function") emitter.on(name, listener as never);
  }
  return () => {
    for (const name of names) {
      const listener = on[name];
      if (typeof listener === "function") emitter.off(name, listener as never);
    }
  };
}
