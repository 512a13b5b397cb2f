/**
 * Executes the steps of a checked flow, depth first, one request at a time. Every step leaves a
 * StepResult and a stepStart/stepEnd pair of events; the first failure stops the run and travels up
 * as a RunStop through the enclosing session, which sends its End on the way (exactly once whenever
 * its Begin succeeded, or when Begin's outcome is unknown).
 *
 * The decline rule: a terminal Failure (a declined payment, a cancelled input) fails its step, unless
 * the step captures its answer (`as name`) and an `expect` or `if` condition of the flow reads that
 * name. Then the capture records the outcome (`payment.result == "declined"`), the step passes with a
 * warning, and the flow's own condition decides.
 *
 * Handlers: a step that fails in a way one of its handlers names (`on declined`) passes with a
 * warning, its handler's steps run (paths `<path>.<outcome>.<n>`), and with `retry` the step runs
 * again (path `<path>@<attempt>`), at most the handler's count. A payment is retried only after a
 * known decline or failure: never when its outcome is unknown (that stops the run, as always) nor
 * after its time limit passed.
 */
import type {
  AcquireStep,
  CalledFlows,
  CallStep,
  Handler,
  Outcome,
  PrintStep,
  RefundStep,
  StatusStep,
  DisplayStep,
  Expression,
  Flow,
  ForStep,
  IfStep,
  InputStep,
  PayStep,
  RepeatStep,
  SessionStep,
  Span,
  Step,
  Diagnostic,
  DiagnosticCode,
  Money,
  PayCapture,
} from "../language/index.js";
import {
  ANY_FAILURE,
  evaluate as evaluateTyped,
  formatMoney,
  handlersOf,
  isMoney,
  loopItems,
  moneyOf,
  onlyCurrency,
  payable,
  repeatCount,
  walkSteps,
} from "../language/index.js";
import { bindParams, type ParamValue } from "./params.js";
import type { Clock, IdSource } from "../protocol/index.js";
import type { RunEmitter } from "./events.js";
import type { Exchanger, Answered, Unanswered } from "./exchange.js";
import { Cancelled, RunStop, runDiagnostic } from "./failures.js";
import { stepLabel, expressionText } from "./labels.js";
import {
  poiTransactionOf,
  readAcquisition,
  readInput,
  readPayment,
  readPrint,
  readRefund,
  readTransactionStatus,
  isObject,
  type Answer,
  type DecodedResponse,
} from "./nexo/decode.js";
import {
  cardAcquisitionRequest,
  printRequest,
  releaseAcquisitionRequest,
  reversalRequest,
  displayRequest,
  inputRequest,
  paymentRequest,
  sessionBeginRequest,
  transactionStatusRequest,
} from "./nexo/requests.js";
import type { TransportError } from "./transport.js";
import { sendSessionEnd, type EndOutcome } from "./session-end.js";
import { isLeftOpen, ownerOf, type OpenSession, type SessionJournal } from "./session-journal.js";
import type { SaleToPOIRequest, TransactionIdentification } from "../protocol/index.js";
import { describeMismatches, paymentMismatches, repeatedPaymentMismatches, type Mismatch } from "./nexo/match.js";
import type { PaymentRecord, StepAnswer, StepResult } from "./result.js";
import { backoffFor, type RequestTimeouts } from "./timeouts.js";
import {
  EvaluationError,
  evaluate,
  evaluateCondition,
  referencedNames,
  renderTemplate,
  runEnvironment,
  Scope,
  type Value,
} from "./values.js";

export interface ExecuteDeps {
  exchanger: Exchanger;
  clock: Clock;
  ids: IdSource;
  emitter: RunEmitter;
  scope: Scope;
  timeouts: RequestTimeouts;
  saleId: string;
  poiid: string;
  /** Where sessions that may be open are written down; none: no recovery of a left-open session. */
  journal?: SessionJournal;
  /** This run, as the owner of the sessions it begins. */
  runToken: string;
  signal?: AbortSignal;
  /** Results in the order steps started. */
  steps: StepResult[];
  /** Every payment sent, with its settled outcome. */
  payments: PaymentRecord[];
  /** Warnings (tolerated failures) and secondary errors (an End that failed after another error). */
  warnings: Diagnostic[];
  secondary: Diagnostic[];
  /** The flows `call` steps run (the loader's `called`). */
  called: CalledFlows;
}

/** What later steps need of a payment captured as `name`: to refund it, print its receipt, ask its status. */
interface PaymentHandle {
  serviceId: string;
  /** Its POITransactionID, when the terminal gave one. */
  poi: TransactionIdentification | undefined;
  /** PaymentReceipt of its answer, as sent. */
  receipts: unknown[];
  capture: PayCapture;
  /** The amount asked for, tip included: what a repeated answer's AuthorizedAmount is read against. */
  asked: Money;
}

/**
 * A card the terminal holds for this run (an acquisition that succeeded, or whose answer was lost):
 * closed by the payment that continues it, else released with EnableService AbortTransaction.
 */
interface OpenAcquisition {
  poi: TransactionIdentification | undefined;
  path: string;
  span: Span;
  closed: boolean;
}

/**
 * Runs a flow's steps; throws RunStop on the first failure (after ending open sessions and
 * releasing the card acquisitions no payment continued).
 */
export class FlowExecutor {
  /** Capture names an `expect` or `if` condition reads: their steps tolerate terminal failures. */
  private readonly inspected: Set<string>;
  /** The currency of `input amount` answers without `in`: the flow's one currency (the checks made sure there is one). */
  private readonly flowCurrency: string | undefined;

  constructor(
    private readonly flow: Flow,
    private readonly deps: ExecuteDeps,
  ) {
    this.inspected = new Set();
    walkSteps(flow.steps, (step) => {
      if (step.kind === "expect" || step.kind === "if") referencedNames(step.condition, this.inspected);
    });
    this.flowCurrency = onlyCurrency(flow);
  }

  private readonly paymentHandles = new Map<string, PaymentHandle>();
  private readonly acquisitionHandles = new Map<string, OpenAcquisition>();
  private readonly acquisitions: OpenAcquisition[] = [];

  /**
   * Runs the whole flow (a called one with its steps under `prefix`, the call's path); card
   * acquisitions left open are released even when a step failed.
   */
  async run(prefix = ""): Promise<void> {
    let failure: unknown;
    try {
      await this.runSteps(this.flow.steps, prefix);
    } catch (error) {
      failure = error;
    }
    const problem = await this.releaseAcquisitions(0);
    if (failure !== undefined) {
      if (problem) this.deps.secondary.push(problem.diagnostic);
      throw failure;
    }
    if (problem) throw problem;
  }

  private async runSteps(steps: readonly Step[], prefix: string): Promise<void> {
    for (let i = 0; i < steps.length; i++) {
      const path = prefix === "" ? String(i + 1) : `${prefix}.${i + 1}`;
      if (this.deps.signal?.aborted) throw cancelledAt(steps[i], stepLabel(steps[i], this.deps.scope), "before");
      await this.runHandled(steps[i], path);
    }
  }

  /**
   * A step and its handlers: when the step fails the way a handler names, the handler's steps run,
   * then, while its retries last, the step again. A handler whose retries are spent takes the
   * failure like one without `retry`: the flow goes on, and the capture tells how the step ended.
   */
  private runHandled(step: Step, path: string): Promise<unknown> {
    // A step without handlers (most) is its own promise: no async frame of its own a step.
    return handlersOf(step).length === 0 ? this.runStep(step, path) : this.runWithHandlers(step, path);
  }

  private async runWithHandlers(step: Step, path: string): Promise<void> {
    const retries = new Map<Handler, number>();
    for (let attempt = 1; ; attempt++) {
      const at = attempt === 1 ? path : `${path}@${attempt}`;
      const handled = await this.runStep(step, at, { attempt, retries });
      if (!handled) return;
      await this.runSteps(handled.steps, `${at}.${handled.outcome.name}`);
      const used = retries.get(handled) ?? 0;
      if (!handled.retry || used >= handled.retry.count) return;
      retries.set(handled, used + 1);
      if (this.deps.signal?.aborted) throw cancelledAt(step, stepLabel(step, this.deps.scope), "before");
    }
  }

  /** Runs one step; returns the handler that takes its failure, if one does (the step then passed). */
  private async runStep(
    step: Step,
    path: string,
    tries?: { attempt: number; retries: ReadonlyMap<Handler, number> },
  ): Promise<Handler | undefined> {
    const { clock, emitter, scope } = this.deps;
    const label = stepLabel(step, scope);
    const startedAt = clock.now();
    const record: Partial<StepResult> = {};
    // One result object a step: its slot is reserved now, so results read in the order steps
    // started, and completed in place when the step ends (the same keys, in the same order).
    const result: StepResult = {
      path,
      kind: step.kind,
      label,
      span: step.span,
      status: "passed",
      startedAt,
      durationMs: 0,
    };
    const finish = (status: StepResult["status"]): void => {
      result.status = status;
      result.durationMs = clock.now() - startedAt;
      Object.assign(result, record);
      if (emitter.listenerCount("stepEnd") > 0) emitter.emit("stepEnd", { at: clock.now(), result });
    };
    if (tries && tries.attempt > 1) record.attempt = tries.attempt;
    this.deps.steps.push(result);
    // Events are built only for someone listening, like the exchange's.
    if (emitter.listenerCount("stepStart") > 0)
      emitter.emit("stepStart", { at: startedAt, path, kind: step.kind, label, span: step.span });
    try {
      await this.dispatch(step, path, label, record);
      const handler = this.pendingHandler.get(record);
      if (handler) this.takeFailure(step, path, label, handler, record, tries?.retries);
      finish("passed");
      return handler;
    } catch (error) {
      const stop = toRunStop(error, step, label);
      const own = stop.origin === undefined;
      if (own) {
        stop.origin = path;
        record.diagnostic = stop.diagnostic;
      }
      finish((own ? stop.stepStatus : undefined) ?? (stop.status === "cancelled" ? "cancelled" : "failed"));
      throw stop;
    }
  }

  private dispatch(step: Step, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    switch (step.kind) {
      case "session":
        return this.session(step, path, record);
      case "input":
        return this.input(step, path, label, record);
      case "display":
        return this.display(step, path, label, record);
      case "pay":
        return this.pay(step, path, label, record);
      case "refund":
        return this.refund(step, path, label, record);
      case "print":
        return this.print(step, path, label, record);
      case "acquire":
        return this.acquire(step, path, label, record);
      case "status":
        return this.status(step, path, label, record);
      case "call":
        return this.call(step, path, label, record);
      case "wait":
        return this.deps.clock.sleep(step.duration.ms, this.deps.signal).catch(() => {
          throw cancelledAt(step, label, "during");
        });
      case "expect":
        return Promise.resolve(this.expect(step.condition, step.span));
      case "if":
        return this.branch(step, path, record);
      case "for":
        return this.loop(step, path, record);
      case "repeat":
        return this.loop(step, path, record);
    }
  }

  // ---- loops ---------------------------------------------------------------------------------------

  /**
   * The body once per item (`for`) or the given number of times (`repeat`). The count comes from the
   * rules of values, so it is at most MAX_LOOP_ITERATIONS: a larger one known only now (`guests` from
   * a param) fails this step before its first iteration, in the checks' words. Steps inside run as
   * `<path>#<iteration>.<n>`.
   */
  private async loop(step: ForStep | RepeatStep, path: string, record: Partial<StepResult>): Promise<void> {
    const { scope } = this.deps;
    const env = runEnvironment(scope);
    let items: readonly Value[];
    if (step.kind === "for") {
      const over = loopItems(step.over, evaluateTyped(step.over, env), env);
      items = Array.isArray(over.value) ? over.value : [];
    } else {
      const count = repeatCount(step.count, evaluateTyped(step.count, env), env);
      items = Array.from({ length: typeof count.value === "number" ? count.value : 0 }, (_, i) => i + 1);
    }
    record.iterations = items.length;
    const name = step.kind === "for" ? step.variable.name : undefined;
    try {
      for (let i = 0; i < items.length; i++) {
        if (name !== undefined) scope.set(name, items[i]);
        await this.runSteps(step.steps, `${path}#${i + 1}`);
      }
    } finally {
      if (name !== undefined) scope.delete(name);
    }
  }

  // ---- call -----------------------------------------------------------------------------------

  /**
   * Runs the flow a `call` names in a scope of its own: its params bound from the call's values as a
   * run binds `--var` values (types, currencies, defaults), its steps under this step's path, its
   * card acquisitions released when it ends. What it captured becomes one record (`t.tip`). A
   * failure inside travels up like any other, through the sessions around the call (which end),
   * with a `called from` note per call it leaves.
   */
  private async call(step: CallStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const { called, emitter, clock } = this.deps;
    const file = called.links[this.flow.span.file]?.[step.flow.value];
    const callee = file === undefined ? undefined : called.flows[file];
    if (file === undefined || callee === undefined) {
      throw new RunStop(
        "error",
        runDiagnostic("internal-error", `${label}: the called flow was not loaded`, step.flow.span, {
          hint: "give runFlow the `called` flows loadFlow returned: `runFlow(flow, { calls: loaded.called })`",
        }),
      );
    }
    const given: Record<string, ParamValue> = {};
    for (const arg of step.with) given[arg.name.name] = evaluate(arg.value, this.deps.scope) as ParamValue;
    const bound = bindParams(callee, given);
    if (bound.diagnostics.length > 0) {
      const d = bound.diagnostics[0];
      const param = callee.params.find((p) => p.span === d.span);
      const arg = step.with.find((a) => a.name.name === param?.name.name);
      throw new RunStop(
        "failed",
        runDiagnostic(d.code, `${label}: ${d.message}`, arg?.value.span ?? step.span, {
          hint: `the called flow's param decides what it takes`,
          related: [{ message: "the param is declared here", span: d.span }],
        }),
      );
    }
    const scope = new Scope();
    for (const [name, value] of bound.values) scope.set(name, value, bound.types.get(name));
    emitter.emit("call", {
      at: clock.now(),
      path,
      file,
      ...(callee.name ? { flow: callee.name.value } : {}),
      params: Object.fromEntries(bound.values),
    });
    const child = new FlowExecutor(callee, { ...this.deps, scope });
    try {
      await child.run(path);
    } catch (error) {
      if (error instanceof RunStop) {
        const at = step.span.start;
        const note = { message: `called from ${this.flow.span.file}:${at.line}:${at.column}`, span: step.span };
        error.diagnostic.related = [...(error.diagnostic.related ?? []), note];
      }
      throw error;
    }
    if (step.as) this.capture(step.as.name, child.captures(), record);
  }

  /** What this flow captured (`as name`), by name: what a `call ... as t` of it holds. */
  captures(): Value {
    const out: Record<string, Value> = {};
    walkSteps(this.flow.steps, (step) => {
      const name = "as" in step ? step.as?.name : undefined;
      const value = name === undefined ? undefined : this.deps.scope.get(name);
      if (name !== undefined && value !== undefined) out[name] = value;
    });
    return out;
  }

  // ---- session -------------------------------------------------------------------------------

  private async session(step: SessionStep, path: string, record: Partial<StepResult>): Promise<void> {
    const { journal, poiid, saleId, clock } = this.deps;
    const id = step.id ? renderTemplate(step.id, this.deps.scope) : this.deps.ids.sessionId();
    const waiting = step.waiting.map((w) => ({ request: w.request, timeoutMs: w.timeout.ms }));
    const mine: OpenSession = { poiid, saleId, id, openedAt: clock.now(), owner: ownerOf(this.deps.runToken) };
    // Read before writing ours: a crashed run's session may have the same Id.
    const leftOpen = journal?.list(poiid, saleId).filter(isLeftOpen) ?? [];
    journal?.opening(mine);
    const sendBegin = () =>
      this.deps.exchanger.attempt("AdminRequest", sessionBeginRequest(id, waiting), {
        timeoutMs: this.deps.timeouts.admin,
        path,
        cancellable: false,
      });
    let begin = await sendBegin();
    // The terminal holds a session: when it is one this POS left open in a run that is over (the
    // journal knows its Id), end it and ask once more.
    const cleared = new Set<OpenSession>();
    if (leftOpen.length > 0 && answeredWith(begin, "NotAllowed")) {
      for (const gone of await this.endLeftOpen(leftOpen, id, path, step.span)) cleared.add(gone);
      if (cleared.size > 0) {
        journal?.opening(mine);
        begin = await sendBegin();
      }
    }
    // A Begin the terminal refused opened nothing; one whose answer is unknown may have: end it.
    const refused = begin.ok
      ? begin.answer.kind === "rejected" ||
        (begin.answer.kind === "response" && begin.answer.response.result !== "Success")
      : isFinalTransportError(begin.error);
    const opened = begin.ok && begin.answer.kind === "response" && begin.answer.response.result === "Success";
    if (begin.ok) record.answer = stepAnswer(begin.answer);
    if (refused) {
      journal?.closed(mine);
      // A left-open session of the same Id shares our entry's key: it is still open, keep it written down.
      for (const still of leftOpen) if (still.id === id && !cleared.has(still)) journal?.opening(still);
    }
    // A Begin the terminal accepted proves it held no session: those the journal had are gone.
    if (opened) for (const gone of leftOpen) if (gone.id !== id) journal?.closed(gone);

    let failure: unknown;
    if (opened) {
      this.deps.emitter.emit("sessionBegin", { at: clock.now(), id, path });
      const acquiredBefore = this.acquisitions.length;
      try {
        await this.runSteps(step.steps, path);
      } catch (error) {
        failure = error;
      }
      // Cards read inside the session are released before its End, as a block closes inner first.
      const released = await this.releaseAcquisitions(acquiredBefore);
      if (released && failure === undefined) failure = released;
      else if (released) this.deps.secondary.push(released.diagnostic);
    } else {
      failure =
        begin.ok && refused
          ? new RunStop("failed", beginRefusedDiagnostic(id, begin, step.span, { poiid, saleId }))
          : unansweredStop(begin, step.span, `session ${JSON.stringify(id)} Begin`);
    }

    const endProblem = refused ? undefined : await this.endSession(mine, path, step.span);
    if (failure !== undefined) {
      if (endProblem) this.deps.secondary.push(endProblem.diagnostic);
      throw failure;
    }
    if (endProblem) throw endProblem;
  }

  /**
   * Ends sessions a finished run of this POS left open on the terminal, each with a warning; returns
   * those now closed (ended, or not open after all): when there are any, the Begin is worth repeating.
   */
  private async endLeftOpen(
    sessions: OpenSession[],
    beginning: string,
    path: string,
    span: Span,
  ): Promise<OpenSession[]> {
    const cleared: OpenSession[] = [];
    for (const session of sessions) {
      const outcome = await this.sendEnd(session.id, path);
      if (outcome.kind !== "ended" && outcome.kind !== "not-open") continue;
      cleared.push(session);
      this.deps.journal?.closed(session);
      if (outcome.kind === "not-open") continue;
      const warning = runDiagnostic(
        "session-recovered",
        `ended session ${JSON.stringify(session.id)}, left open on ${session.poiid} by an earlier run (pid ` +
          `${session.owner.pid}, begun ${new Date(session.openedAt).toISOString()}), before beginning session ` +
          `${JSON.stringify(beginning)}`,
        span,
        {
          severity: "warning",
          hint: "a run that crashed or whose End failed left it open; the terminal refused every Begin until now",
        },
      );
      this.deps.warnings.push(warning);
    }
    return cleared;
  }

  private sendEnd(id: string, path: string): Promise<EndOutcome> {
    return sendSessionEnd(this.deps.exchanger, this.deps.clock, id, {
      timeoutMs: this.deps.timeouts.admin,
      retryPausesMs: this.deps.timeouts.endRetryPauses,
      path,
    });
  }

  /** Sends the End; returns the problem instead of throwing so it never hides the run's own failure. */
  private async endSession(session: OpenSession, path: string, span: Span): Promise<RunStop | undefined> {
    const id = session.id;
    const what = `session ${JSON.stringify(id)} End`;
    let problem: RunStop | undefined;
    try {
      const outcome = await this.sendEnd(id, path);
      if (outcome.kind === "ended" || outcome.kind === "not-open") this.deps.journal?.closed(session);
      if (outcome.kind === "unknown") problem = unansweredStop(outcome.sent, span, what);
      else if (outcome.kind !== "ended") {
        problem = new RunStop(
          "failed",
          answerDiagnostic(
            "session-end-failed",
            `the terminal refused to end session ${JSON.stringify(id)}`,
            outcome.sent,
            span,
          ),
        );
      }
    } catch (error) {
      problem = new RunStop(
        "error",
        runDiagnostic(
          "session-end-failed",
          `could not send the End of session ${JSON.stringify(id)}: ${messageOf(error)}`,
          span,
        ),
      );
    }
    if (problem) {
      const { hint } = problem.diagnostic;
      problem.diagnostic.hint = hint ? `${hint}; ${stillOpenHint(session)}` : stillOpenHint(session);
    }
    this.deps.emitter.emit("sessionEnd", { at: this.deps.clock.now(), id, path, ok: problem === undefined });
    return problem;
  }

  // ---- input and display -----------------------------------------------------------------------

  private async input(step: InputStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const { scope, timeouts } = this.deps;
    const entries = step.entries?.map((e) => renderTemplate(e, scope));
    const request = inputRequest({
      kind: step.input,
      prompt: renderTemplate(step.prompt, scope),
      ...(entries ? { entries } : {}),
      ...(step.within ? { withinMs: step.within.ms } : {}),
    });
    const timeoutMs = step.within ? step.within.ms + timeouts.inputMargin : timeouts.input;
    const sent = await this.deps.exchanger.attempt("InputRequest", request, { timeoutMs, path, abortAs: "Input" });
    // No money hangs on an input: whatever the shopper did meanwhile, the run stops as cancelled.
    if (sent.cancelled) throw new Cancelled();
    const answer = requireResponse(sent, step.span, label);
    record.answer = stepAnswer(answer);

    const currency = step.input === "amount" ? (step.currency?.code ?? this.flowCurrency) : undefined;
    let value: Value;
    if (answer.response.result === "Failure") {
      const diagnostic = answerDiagnostic(
        "input-failed",
        `the shopper's answer to ${label} failed`,
        sent as Answered,
        step.span,
      );
      const condition = answer.response.errorCondition;
      const outcome: Outcome = timedOut(answer.response)
        ? "timeout"
        : condition === "Cancel" || condition === "Aborted"
          ? "cancelled"
          : "failed";
      this.failure(step, outcome, diagnostic, record);
      value = neutralInput(step.input, currency);
    } else {
      // An answer that cannot be read as what the step asked for fails the step: it never becomes a default.
      const read = readInput(step.input, answer.body, {
        ...(entries ? { entries } : {}),
        ...(currency ? { currency } : {}),
      });
      if (!read.ok) {
        throw new RunStop(
          "failed",
          runDiagnostic("answer-unreadable", `${label}: the answer ${read.reason}`, step.span, {
            hint: read.hint,
          }),
        );
      }
      value = read.value;
    }
    if (step.as) this.capture(step.as.name, value, record);
  }

  private async display(step: DisplayStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const spec =
      step.content.kind === "idle"
        ? ({ kind: "idle" } as const)
        : {
            kind: "text" as const,
            text: renderTemplate(step.content.text, this.deps.scope),
            ...(step.for ? { minimumMs: step.for.ms } : {}),
          };
    const timeoutMs = this.deps.timeouts.display + (step.for?.ms ?? 0);
    const sent = await this.deps.exchanger.attempt("DisplayRequest", displayRequest(spec), { timeoutMs, path });
    // A display may legitimately get no answer body.
    if (!(sent.ok && sent.answer.kind === "empty")) {
      const answer = requireResponse(sent, step.span, label);
      record.answer = stepAnswer(answer);
      if (answer.response.result === "Failure") {
        const diagnostic = answerDiagnostic(
          "display-failed",
          `the terminal could not show ${label}`,
          sent as Answered,
          step.span,
        );
        this.failure(step, "failed", diagnostic, record);
        return;
      }
    }
    // The terminal answers at once; the next request would replace the text before the shopper
    // reads it, so the flow itself holds the screen for its `for` duration.
    if (spec.kind === "text" && spec.minimumMs !== undefined && spec.minimumMs > 0) {
      await this.deps.clock.sleep(spec.minimumMs, this.deps.signal).catch(() => {
        throw cancelledAt(step, label, "during");
      });
    }
  }

  // ---- payment -----------------------------------------------------------------------------------

  /**
   * One payment, sent once. Its outcome is what the terminal said: its answer, or (answer lost,
   * unreadable, or the run cancelled before it came) the answer a TransactionStatus request repeats.
   * Only then does the step report, even when the run is being cancelled: an abort can come too late.
   */
  private async pay(step: PayStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const { scope, clock, timeouts } = this.deps;
    // The same rules as the checks: an amount, above zero; a tip in its currency, not below zero.
    const env = runEnvironment(scope);
    const amount = payable("amount", step.amount, evaluateTyped(step.amount, env), undefined, env).value;
    if (!isMoney(amount)) {
      throw new RunStop(
        "failed",
        runDiagnostic("invalid-amount", `${label}: the amount is not an amount of money`, step.amount.span),
      );
    }
    const currency = amount.currency;
    const tipValue = step.tip ? payable("tip", step.tip, evaluateTyped(step.tip, env), currency, env).value : undefined;
    const tip = isMoney(tipValue) ? tipValue.minor : undefined;
    const reference = step.ref ? renderTemplate(step.ref, scope) : this.deps.ids.transactionId();
    const acquisition = step.with ? this.acquired(step.with.name.name, label, step.with.span) : undefined;
    const request = paymentRequest({
      transactionId: reference,
      at: clock.now(),
      currency,
      amount: amount.minor,
      ...(tip !== undefined ? { tip } : {}),
      ...(acquisition?.poi ? { acquisition: acquisition.poi } : {}),
    });
    // From here the payment continues the acquisition, whatever it comes to: no release follows.
    if (acquisition) acquisition.closed = true;
    const sent = await this.deps.exchanger.attempt("PaymentRequest", request, {
      timeoutMs: timeouts.payment,
      path,
      abortAs: "Payment",
      ...(step.within ? { giveUpAfterMs: step.within.ms } : {}),
    });
    const state = { cancelled: sent.cancelled === true };
    const gaveUp = sent.gaveUp === true;

    // A PaymentResponse that does not copy this request's reference and amount is another payment's
    // (or a forged one): as good as lost.
    let answer: Answer | undefined = sent.ok ? sent.answer : undefined;
    if (answer?.kind === "response" || (answer?.kind === "mismatched" && answer.body && answer.response)) {
      const wrong = paymentMismatches(request, answer.body!, answer.response!.result);
      if (answer.kind === "mismatched") answer = { ...answer, mismatches: [...answer.mismatches, ...wrong] };
      else if (wrong.length > 0) answer = { ...answer, kind: "mismatched", mismatches: wrong };
    }
    let settled: SettledPayment;
    if (gaveUp) {
      // docs/protocol.md: after the abort, TransactionStatus until the payment is settled; the aborted
      // request's own answer stands when the status requests cannot tell.
      const reason = `the POS gave up after ${step.within!.text}`;
      settled = await this.settlePayment(sent.request, path, reason, state, answer?.kind === "mismatched");
      if (settled.kind === "unknown" && answer?.kind === "response")
        settled = { kind: "done", body: answer.body, response: answer.response, via: "answer" };
    } else if (answer?.kind === "response") {
      settled = { kind: "done", body: answer.body, response: answer.response, via: "answer" };
    } else if (!state.cancelled && !sent.ok && isFinalTransportError(sent.error)) {
      // It never left: no payment was made, nothing to settle.
      throw unansweredStop(sent, step.span, label);
    } else {
      // The answer is lost or unreadable, or the run was cancelled before it came: the payment may
      // have gone through. Never send it again; ask the terminal what became of it.
      const reason = answer?.kind === "mismatched" ? mismatchReason("the answer", answer.mismatches) : lostReason(sent);
      settled = await this.settlePayment(sent.request, path, reason, state, answer?.kind === "mismatched");
    }

    const asked = moneyOf(amount.minor + (tip ?? 0), currency);
    const capture: PayCapture =
      settled.kind === "done"
        ? readPayment(settled.body, settled.response, currency, asked.minor)
        : unknownPayment(currency);
    const payment: PaymentRecord = {
      ...capture,
      path,
      serviceId: sent.serviceId,
      reference,
      requestedAmount: asked,
      via: settled.kind === "done" ? settled.via : "none",
      afterCancel: state.cancelled,
    };
    this.deps.payments.push(payment);
    this.deps.emitter.emit("payment", { at: clock.now(), payment });
    if (settled.kind === "done") record.answer = responseAnswer(settled.response);
    if (step.as) {
      this.capture(step.as.name, capture as unknown as Value, record);
      const body = settled.kind === "done" ? settled.body : {};
      this.paymentHandles.set(step.as.name, {
        serviceId: sent.serviceId,
        poi: poiTransactionOf(body),
        receipts: Array.isArray(body.PaymentReceipt) ? body.PaymentReceipt : [],
        capture,
        asked,
      });
    }

    if (settled.kind === "unknown") throw unknownPaymentStop(payment, label, step.span, settled);
    if (state.cancelled) throw cancelledPaymentStop(payment, label, step.span);
    if (gaveUp) {
      // Reported as it ended: an approval the abort came too late for is an approval.
      const diagnostic = runDiagnostic(
        "payment-time-limit",
        capture.result === "approved"
          ? `${label}: the POS gave up after ${step.within!.text} and sent an AbortRequest, but the payment was ` +
              `approved before it took effect (transaction ${capture.transactionId || "without id"})`
          : capture.result === "partial"
            ? `${label}: the POS gave up after ${step.within!.text} and sent an AbortRequest, but the payment was ${partlyPaid(payment)} before it took effect`
            : `${label}: the POS gave up after ${step.within!.text}; the payment was ` +
              `${capture.result}${capture.errorCondition ? ` (${capture.errorCondition})` : ""}`,
        step.span,
        capture.result === "approved"
          ? { severity: "warning", hint: "the shopper has paid: do not charge again" }
          : { hint: "no second payment was sent; the terminal's answer and TransactionStatus settled it" },
      );
      if (capture.result === "approved") {
        this.deps.warnings.push(diagnostic);
        record.diagnostic = diagnostic;
      } else this.failure(step, "timeout", diagnostic, record);
      return;
    }
    if (settled.response.result === "Failure") {
      const outcome: Outcome =
        capture.result === "declined" ? "declined" : capture.result === "cancelled" ? "cancelled" : "failed";
      this.failure(step, outcome, paymentDiagnostic(capture, settled.response, label, step.span), record);
    } else if (capture.result === "partial") {
      this.tolerate(step.as?.name, partialPaymentDiagnostic(payment, step.as?.name, label, step.span), record);
    }
  }

  /**
   * TransactionStatus until the payment's outcome is known (again while InProgress, with backoff),
   * or `unknown` after `statusRecovery`. A cancelled run does not cut this short, since reporting a
   * payment as interrupted before knowing whether it was charged is how a shopper pays twice; instead
   * every InProgress answer after the cancel repeats the AbortRequest (the first may have been lost).
   */
  private async settlePayment(
    payment: SaleToPOIRequest,
    path: string,
    reason: string,
    state: { cancelled: boolean },
    answerMismatched: boolean,
  ): Promise<SettledPayment> {
    const { clock, timeouts, exchanger, signal } = this.deps;
    const paymentServiceId = payment.SaleToPOIRequest.MessageHeader.ServiceID ?? "";
    const deadline = clock.now() + timeouts.statusRecovery;
    let lastState = reason;
    let mismatched = 0;
    const unknown = (): SettledPayment => ({
      kind: "unknown",
      reason: lastState === reason ? reason : `${reason}; then ${lastState}`,
      mismatched: mismatched > 0 || answerMismatched,
    });
    const noteCancel = async (): Promise<void> => {
      if (state.cancelled || !signal?.aborted) return;
      state.cancelled = true;
      await exchanger.abort(paymentServiceId, "Payment", path);
    };
    for (let attempt = 0; ; attempt++) {
      await noteCancel();
      const status = await exchanger.attempt(
        "TransactionStatusRequest",
        transactionStatusRequest(this.deps.saleId, paymentServiceId),
        { timeoutMs: timeouts.status, path, cancellable: false },
      );
      if (status.ok && status.answer.kind === "response") {
        const outcome = readTransactionStatus(status.answer.body, status.answer.response);
        const wrong =
          outcome.kind === "done"
            ? repeatedPaymentMismatches(payment as SaleToPOIRequest<"PaymentRequest">, status.answer.body)
            : [];
        if (outcome.kind === "done" && wrong.length === 0)
          return { kind: "done", body: outcome.body, response: outcome.response, via: "status" };
        if (outcome.kind === "not-found") {
          // The terminal never processed it: a failed payment, safe to report as such.
          return {
            kind: "done",
            via: "status",
            body: {},
            response: {
              result: "Failure",
              errorCondition: "NotFound",
              additional: { message: "the payment never reached the terminal" },
            },
          };
        }
        lastState =
          outcome.kind === "done"
            ? mismatchReason(`status answer ${++mismatched}`, wrong)
            : outcome.kind === "in-progress"
              ? "still in progress"
              : `status request failed (${outcome.response.errorCondition ?? "no ErrorCondition"})`;
        if (outcome.kind === "in-progress" && state.cancelled) await exchanger.abort(paymentServiceId, "Payment", path);
      } else if (status.ok && status.answer.kind === "mismatched") {
        const { body, mismatches } = status.answer;
        const repeatedToo = body ? repeatedPaymentMismatches(payment as SaleToPOIRequest<"PaymentRequest">, body) : [];
        lastState = mismatchReason(`status answer ${++mismatched}`, [...mismatches, ...repeatedToo]);
      } else {
        lastState = status.ok ? "status answer unreadable" : `status request failed: ${status.error.message}`;
      }
      // A terminal that answers with another request's answers will not start matching: stop asking.
      if (mismatched >= MAX_MISMATCHED_STATUS) return unknown();
      const pause = backoffFor(timeouts, attempt);
      if (clock.now() + pause > deadline) return unknown();
      if (state.cancelled || !signal) await clock.sleep(pause);
      else await clock.sleep(pause, signal).catch(() => undefined);
    }
  }

  // ---- refund, print, status ---------------------------------------------------------------------

  /** The payment captured as `name`, or a RunStop when it was never made (a branch that did not run). */
  private paymentHandle(name: string, label: string, span: Span): PaymentHandle {
    const handle = this.paymentHandles.get(name);
    if (handle) return handle;
    throw new RunStop(
      "failed",
      runDiagnostic("evaluation-failed", `${label}: no payment was captured as \`${name}\` in this run`, span),
    );
  }

  /**
   * `refund p [amount]`: a ReversalRequest of the payment's POITransactionID; `refund amount`: a
   * PaymentRequest with PaymentType Refund. Sent once; an unreferenced refund whose answer is lost
   * is settled by TransactionStatus like a payment, a lost reversal is reported unknown, never resent.
   */
  private async refund(step: RefundStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const { scope, clock, timeouts } = this.deps;
    const env = runEnvironment(scope);
    const original = step.payment ? this.paymentHandle(step.payment.name.name, label, step.payment.span) : undefined;
    const amount = step.amount
      ? payable("refund", step.amount, evaluateTyped(step.amount, env), original?.capture.currency, env).value
      : undefined;
    if (step.amount && !isMoney(amount)) {
      throw new RunStop(
        "failed",
        runDiagnostic("invalid-amount", `${label}: the amount is not an amount of money`, step.amount.span),
      );
    }
    const money = isMoney(amount) ? amount : undefined;
    const currency = money?.currency ?? original!.capture.currency;
    const full = money?.minor ?? original?.capture.amount.minor ?? 0;
    const reference = this.deps.ids.transactionId();
    let sent: Answered | Unanswered;
    if (original) {
      if (!original.poi) {
        throw new RunStop(
          "failed",
          runDiagnostic(
            "refund-refused",
            `${label}: payment \`${step.payment!.name.name}\` has no terminal transaction to refund (it was ${original.capture.result})`,
            step.span,
          ),
        );
      }
      const request = reversalRequest({
        original: original.poi,
        saleId: this.deps.saleId,
        transactionId: reference,
        at: clock.now(),
        currency,
        ...(money ? { amount: money.minor } : {}),
      });
      sent = await this.deps.exchanger.attempt("ReversalRequest", request, { timeoutMs: timeouts.payment, path });
    } else {
      const request = paymentRequest({
        transactionId: reference,
        at: clock.now(),
        currency,
        amount: full,
        paymentType: "Refund",
      });
      sent = await this.deps.exchanger.attempt("PaymentRequest", request, {
        timeoutMs: timeouts.payment,
        path,
        abortAs: "Payment",
      });
    }
    let body: Record<string, unknown> | undefined;
    let response: DecodedResponse | undefined;
    if (sent.ok && sent.answer.kind === "response") ({ body, response } = sent.answer);
    else if (!original && !(!sent.ok && isFinalTransportError(sent.error))) {
      const settled = await this.settlePayment(sent.request, path, lostReason(sent), { cancelled: false }, false);
      if (settled.kind === "done") ({ body, response } = settled);
    } else if (!sent.ok && isFinalTransportError(sent.error)) throw unansweredStop(sent, step.span, label);
    if (!body || !response) {
      if (step.as) {
        const unknown = {
          result: "unknown",
          transactionId: "",
          amount: moneyOf(0, currency),
          errorCondition: "",
          reason: "",
        };
        this.capture(step.as.name, unknown as unknown as Value, record);
      }
      throw new RunStop(
        "error",
        runDiagnostic(
          "refund-outcome-unknown",
          `${label}: the outcome of the refund is unknown (${lostReason(sent)})`,
          step.span,
          {
            hint: `check transaction ServiceID ${sent.serviceId} in your Customer Area; it was never resent`,
          },
        ),
      );
    }
    const capture = readRefund(body, response, currency, full);
    record.answer = responseAnswer(response);
    if (step.as) this.capture(step.as.name, capture as unknown as Value, record);
    if (response.result === "Failure") {
      const why = capture.reason ? `: ${capture.reason}` : "";
      this.failure(
        step,
        capture.result === "refused" ? "refused" : "failed",
        runDiagnostic(
          "refund-refused",
          `${label}: the terminal refused the refund (${response.errorCondition ?? "no ErrorCondition"})${why}`,
          step.span,
        ),
        record,
      );
    }
  }

  /** `print receipt p [cashier]` (the receipt the payment's answer carried) or `print "line" ...`. */
  private async print(step: PrintStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const content = step.content;
    let request: ReturnType<typeof printRequest>;
    if (content.kind === "receipt") {
      const handle = this.paymentHandle(content.payment.name.name, label, content.payment.span);
      const qualifier = content.copy === "cashier" ? "CashierReceipt" : "CustomerReceipt";
      const receipt = handle.receipts.find((r) => isObject(r) && r.DocumentQualifier === qualifier);
      const output = isObject(receipt) && isObject(receipt.OutputContent) ? receipt.OutputContent : undefined;
      const texts = output && Array.isArray(output.OutputText) ? output.OutputText : undefined;
      if (!texts) {
        // Nothing to send: the print fails here, and a handler may take that like a terminal's Failure.
        if (step.as) this.capture(step.as.name, { result: "failed", errorCondition: "" } as unknown as Value, record);
        this.failure(
          step,
          "failed",
          runDiagnostic(
            "print-failed",
            `${label}: the terminal gave payment \`${content.payment.name.name}\` no ${content.copy} receipt to print`,
            step.span,
            {
              hint: `a terminal sends receipts with a payment that read a card; this one was ${handle.capture.result}`,
            },
          ),
          record,
        );
        return;
      }
      const lines = texts.map((t) => (isObject(t) && typeof t.Text === "string" ? t.Text : ""));
      request = printRequest({ kind: "receipt", copy: qualifier, lines });
    } else {
      request = printRequest({ kind: "lines", lines: content.lines.map((l) => renderTemplate(l, this.deps.scope)) });
    }
    const sent = await this.deps.exchanger.attempt("PrintRequest", request, {
      timeoutMs: this.deps.timeouts.display,
      path,
    });
    const answer = requireResponse(sent, step.span, label);
    record.answer = stepAnswer(answer);
    const capture = readPrint(answer.response);
    if (step.as) this.capture(step.as.name, capture as unknown as Value, record);
    if (answer.response.result === "Failure") {
      this.failure(
        step,
        "failed",
        answerDiagnostic("print-failed", `the terminal could not print (${label})`, sent as Answered, step.span),
        record,
      );
    }
  }

  /** `status p as s`: one TransactionStatusRequest about the payment's ServiceID; the capture is its outcome. */
  private async status(step: StatusStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const handle = this.paymentHandle(step.payment.name.name, label, step.payment.span);
    const currency = handle.capture.currency;
    const sent = await this.deps.exchanger.attempt(
      "TransactionStatusRequest",
      transactionStatusRequest(this.deps.saleId, handle.serviceId),
      { timeoutMs: this.deps.timeouts.status, path },
    );
    const answer = requireResponse(sent, step.span, label);
    record.answer = stepAnswer(answer);
    const outcome = readTransactionStatus(answer.body, answer.response);
    const capture =
      outcome.kind === "done"
        ? readPayment(outcome.body, outcome.response, currency, handle.asked.minor)
        : outcome.kind === "not-found"
          ? { ...unknownPayment(currency), result: "failed" as const, errorCondition: "NotFound" }
          : {
              ...unknownPayment(currency),
              errorCondition: outcome.kind === "failed" ? (outcome.response.errorCondition ?? "") : "InProgress",
            };
    if (step.as) this.capture(step.as.name, capture as unknown as Value, record);
    if (outcome.kind === "failed") {
      this.failure(
        step,
        "failed",
        answerDiagnostic(
          "status-failed",
          `the terminal could not tell the payment's status (${label})`,
          sent as Answered,
          step.span,
        ),
        record,
      );
    }
  }

  // ---- card acquisition ----------------------------------------------------------------------------

  /**
   * `acquire card`: a CardAcquisitionRequest. A card the terminal then holds is an open acquisition:
   * the payment `with` it closes it, else releaseAcquisitions does (always, like a session's End).
   */
  private async acquire(step: AcquireStep, path: string, label: string, record: Partial<StepResult>): Promise<void> {
    const { clock, timeouts } = this.deps;
    const request = cardAcquisitionRequest(this.deps.ids.transactionId(), clock.now());
    const sent = await this.deps.exchanger.attempt("CardAcquisitionRequest", request, {
      timeoutMs: step.within ? step.within.ms + timeouts.abort + timeouts.abortGrace : timeouts.payment,
      path,
      abortAs: "CardAcquisition",
      ...(step.within ? { giveUpAfterMs: step.within.ms } : {}),
    });
    const open = (poi: TransactionIdentification | undefined): OpenAcquisition => {
      const acquisition: OpenAcquisition = { poi, path, span: step.span, closed: false };
      this.acquisitions.push(acquisition);
      if (step.as) this.acquisitionHandles.set(step.as.name, acquisition);
      return acquisition;
    };
    if (!(sent.ok && sent.answer.kind === "response")) {
      // The terminal may hold a card nobody heard about: release it all the same.
      if (!(!sent.ok && isFinalTransportError(sent.error))) open(undefined);
      if (sent.cancelled) throw new Cancelled();
      throw sent.ok ? unreadableDiagnosticStop(sent.answer, step.span, label) : unansweredStop(sent, step.span, label);
    }
    const { body, response } = sent.answer;
    record.answer = stepAnswer(sent.answer);
    const capture = readAcquisition(body, response);
    if (response.result !== "Failure") open(poiTransactionOf(body));
    if (step.as) this.capture(step.as.name, capture as unknown as Value, record);
    if (sent.cancelled) throw new Cancelled();
    if (response.result === "Failure") {
      const diagnostic = answerDiagnostic(
        "acquisition-failed",
        sent.gaveUp ? `${label}: no card within ${step.within!.text}` : `${label}: no card was read`,
        sent as Answered,
        step.span,
      );
      this.failure(
        step,
        sent.gaveUp ? "timeout" : capture.result === "acquired" ? "failed" : capture.result,
        diagnostic,
        record,
      );
    }
  }

  /** The open acquisition a payment continues; a RunStop when it read no card or is already charged. */
  private acquired(name: string, label: string, span: Span): OpenAcquisition {
    const handle = this.acquisitionHandles.get(name);
    if (!handle?.poi || handle.closed) {
      const why = !handle ? "read no card" : handle.closed ? "is already closed" : "has no transaction id";
      throw new RunStop(
        "failed",
        runDiagnostic(
          "acquisition-failed",
          `${label}: card acquisition \`${name}\` ${why}, so no payment can continue it`,
          span,
        ),
      );
    }
    return handle;
  }

  /**
   * Releases every acquisition from index `from` on that no payment continued (EnableService
   * AbortTransaction), whether the steps passed or failed; returns the first problem instead of
   * throwing, so it never hides the run's own failure.
   */
  private async releaseAcquisitions(from: number): Promise<RunStop | undefined> {
    let problem: RunStop | undefined;
    for (const acquisition of this.acquisitions.slice(from)) {
      if (acquisition.closed) continue;
      acquisition.closed = true;
      const sent = await this.deps.exchanger.attempt("EnableServiceRequest", releaseAcquisitionRequest(), {
        timeoutMs: this.deps.timeouts.admin,
        path: acquisition.path,
        cancellable: false,
      });
      const ok = sent.ok && sent.answer.kind === "response" && sent.answer.response.result !== "Failure";
      if (!ok && !problem) {
        const why = !sent.ok
          ? sent.error.message
          : sent.answer.kind === "response"
            ? `the terminal answered ${sent.answer.response.errorCondition ?? "Failure"}`
            : "the answer was unreadable";
        problem = new RunStop(
          "failed",
          runDiagnostic(
            "acquisition-release-failed",
            `could not release the card acquisition: ${why}`,
            acquisition.span,
            {
              hint: "the terminal may still hold the card: send an EnableServiceRequest AbortTransaction or restart it",
            },
          ),
        );
      }
    }
    this.acquisitions.length = from;
    return problem;
  }

  // ---- conditions --------------------------------------------------------------------------------

  private expect(condition: Expression, span: Span): void {
    if (evaluateCondition(condition, this.deps.scope)) return;
    throw new RunStop(
      "failed",
      runDiagnostic("expect-failed", `expectation failed: ${expressionText(condition)}`, span, {
        hint: this.valuesHint(condition),
      }),
    );
  }

  private async branch(step: IfStep, path: string, record: Partial<StepResult>): Promise<void> {
    const taken = evaluateCondition(step.condition, this.deps.scope);
    record.branch = taken ? "then" : step.else ? "else" : "none";
    if (taken) await this.runSteps(step.then, path);
    else if (step.else) await this.runSteps(step.else, `${path}.else`);
  }

  /** `payment.result is "declined", split is false`: what the condition saw. */
  private valuesHint(condition: Expression): string | undefined {
    const parts: string[] = [];
    const seen = new Set<string>();
    const visit = (e: Expression): void => {
      if (e.kind === "reference") {
        const text = expressionText(e);
        if (seen.has(text)) return;
        seen.add(text);
        try {
          parts.push(`\`${text}\` is ${JSON.stringify(evaluate(e, this.deps.scope))}`);
        } catch {
          parts.push(`\`${text}\` has no value`);
        }
      } else if (e.kind === "unary") visit(e.operand);
      else if (e.kind === "binary") {
        visit(e.left);
        visit(e.right);
      }
    };
    visit(condition);
    return parts.length > 0 ? parts.join(", ") : undefined;
  }

  // ---- captures ------------------------------------------------------------------------------------

  private capture(name: string, value: Value, record: Partial<StepResult>): void {
    this.deps.scope.set(name, value);
    record.capture = { name, value };
  }

  /** Handlers chosen for a step's failure while it runs, by the step's record. */
  private readonly pendingHandler = new WeakMap<Partial<StepResult>, Handler>();

  /**
   * A terminal Failure of `step` that ended it as `outcome`: the first handler that names the
   * outcome (or `failure`) takes it, else the decline rule applies (`tolerate`).
   */
  private failure(step: Step, outcome: Outcome, diagnostic: Diagnostic, record: Partial<StepResult>): void {
    const handler = handlersOf(step).find((h) => h.outcome.name === outcome || h.outcome.name === ANY_FAILURE);
    if (!handler) {
      this.tolerate("as" in step ? step.as?.name : undefined, diagnostic, record);
      return;
    }
    record.handled = outcome;
    record.diagnostic = diagnostic;
    this.pendingHandler.set(record, handler);
  }

  /**
   * A handled failure: refuses a retry that could charge twice, gives an input's capture the
   * handler's `use` value, and turns the failure into a warning.
   */
  private takeFailure(
    step: Step,
    path: string,
    label: string,
    handler: Handler,
    record: Partial<StepResult>,
    retries: ReadonlyMap<Handler, number> | undefined,
  ): void {
    const failure = record.diagnostic!;
    const retrying = handler.retry !== undefined && (retries?.get(handler) ?? 0) < handler.retry.count;
    if (retrying && step.kind === "pay") {
      const why = this.unsafeRetry(path, record.handled!);
      if (why) {
        throw new RunStop(
          "failed",
          runDiagnostic("retry-refused", `${label}: not tried again: ${why}`, step.span, {
            hint: "a payment is tried again only after the terminal declined it or it failed (a known outcome); handle this outcome without `retry`",
            related: [{ message: failure.message, span: failure.span }],
          }),
        );
      }
    }
    if (handler.use && "as" in step && step.as)
      this.capture(step.as.name, evaluate(handler.use, this.deps.scope), record);
    const warning: Diagnostic = {
      ...failure,
      severity: "warning",
      hint: `handled by \`on ${handler.outcome.name}\`${retrying ? ", which tries the step again" : ""}`,
    };
    record.diagnostic = warning;
    this.deps.warnings.push(warning);
  }

  /** Why the payment sent at `path` may not be sent again, or undefined when its decline or failure is known. */
  private unsafeRetry(path: string, outcome: Outcome): string | undefined {
    const payment = this.deps.payments.findLast((p) => p.path === path);
    if (outcome === "timeout") return "the POS gave up on it; a payment that timed out is settled, never sent again";
    if (!payment || payment.via === "none" || payment.result === "unknown")
      return "its outcome is unknown, and a second payment could charge the shopper twice";
    if (payment.result === "declined" || payment.result === "cancelled" || payment.result === "failed")
      return undefined;
    return `it was ${payment.result}`;
  }

  /** A terminal Failure: a warning when the flow inspects the capture, otherwise the step fails. */
  private tolerate(captureName: string | undefined, diagnostic: Diagnostic, record: Partial<StepResult>): void {
    if (captureName === undefined || !this.inspected.has(captureName)) throw new RunStop("failed", diagnostic);
    const warning: Diagnostic = {
      ...diagnostic,
      severity: "warning",
      hint: `the flow checks \`${captureName}\` itself, so the run goes on`,
    };
    record.diagnostic = warning;
    this.deps.warnings.push(warning);
  }
}

/** Status answers that do not match the payment asked about, before its outcome is given up as unknown. */
const MAX_MISMATCHED_STATUS = 3;

/** `the answer was not to this payment: MessageHeader.ServiceID is ...`. */
function mismatchReason(what: string, mismatches: readonly Mismatch[]): string {
  return `${what} was not to this payment: ${describeMismatches(mismatches)}`;
}

/** How a payment ended as far as the terminal told: a (repeated) answer, or not known. */
type SettledPayment =
  | { kind: "done"; body: Record<string, unknown>; response: DecodedResponse; via: "answer" | "status" }
  /** `mismatched`: answers came, but not to this payment. */
  | { kind: "unknown"; reason: string; mismatched: boolean };

/** The capture of a payment whose outcome could not be settled. */
function unknownPayment(currency: string): PayCapture {
  const none = moneyOf(0, currency);
  return {
    result: "unknown",
    transactionId: "",
    amount: none,
    tip: none,
    currency,
    declineReason: "",
    errorCondition: "",
  };
}

/** `payment-outcome-unknown`: an error whatever the flow inspects; no step runs while money may have moved unseen. */
function unknownPaymentStop(
  payment: PaymentRecord,
  label: string,
  span: Span,
  settled: Extract<SettledPayment, { kind: "unknown" }>,
): RunStop {
  const when = payment.afterCancel ? "the run was cancelled and " : "";
  const lookUp =
    `check transaction ServiceID ${payment.serviceId} (reference ${JSON.stringify(payment.reference)}) ` +
    `in your Customer Area before charging again; it was never resent`;
  return new RunStop(
    "error",
    runDiagnostic(
      "payment-outcome-unknown",
      `${label}: ${when}the outcome of the payment is unknown (${settled.reason})`,
      span,
      { hint: settled.mismatched ? `${MISMATCH_HINT}; ${lookUp}` : lookUp },
    ),
  );
}

/**
 * The run was cancelled while the payment was in flight, and the terminal told how it ended: the run
 * stops as cancelled, but the step reports the payment as it was. An approval that beat the abort
 * gets its own code, so nobody reads "cancelled" as "not paid".
 */
function cancelledPaymentStop(capture: PaymentRecord, label: string, span: Span): RunStop {
  if (capture.result === "partial") {
    return new RunStop(
      "cancelled",
      runDiagnostic(
        "cancelled-after-payment",
        `run cancelled during ${label}, but the payment was ${partlyPaid(capture)} before the abort took effect`,
        span,
        {
          hint:
            `the shopper has paid ${formatMoney(capture.amount)}: take the rest, or refund the transaction if ` +
            `the sale is off; never charge the whole amount again`,
        },
      ),
      "passed",
    );
  }
  if (capture.result === "approved") {
    return new RunStop(
      "cancelled",
      runDiagnostic(
        "cancelled-after-payment",
        `run cancelled during ${label}, but the payment was approved before the abort took effect (transaction ${capture.transactionId || "without id"})`,
        span,
        {
          hint: "the shopper has paid: do not charge again; refund the transaction if the sale is off",
        },
      ),
      "passed",
    );
  }
  if (capture.result === "cancelled")
    return new RunStop(
      "cancelled",
      runDiagnostic("cancelled", `run cancelled during ${label}: the payment was aborted`, span),
    );
  return new RunStop(
    "cancelled",
    runDiagnostic(
      "cancelled",
      `run cancelled during ${label}: the payment was ` +
        `${capture.result}${capture.errorCondition ? ` (${capture.errorCondition})` : ""} before the abort ` +
        `took effect`,
      span,
    ),
    "failed",
  );
}

/**
 * What a capture holds when the shopper's input failed (no answer, cancelled) and the flow handles
 * it: never read from an answer, so no answer is ever turned into a default.
 */
function neutralInput(kind: InputStep["input"], currency: string | undefined): Value {
  switch (kind) {
    case "confirm":
    case "signature":
      return false;
    case "amount":
      return moneyOf(0, currency ?? "EUR");
    default:
      return "";
  }
}

// ---- helpers ------------------------------------------------------------------------------------

type ResponseAnswer = Extract<Answer, { kind: "response" }>;

/** The answer as a response, or a RunStop for everything else (no answer, Reject, unreadable). */
function requireResponse(sent: Answered | Unanswered, span: Span, label: string): ResponseAnswer {
  if (!sent.ok) throw unansweredStop(sent, span, label);
  if (sent.answer.kind === "response") return sent.answer;
  if (sent.answer.kind === "rejected") {
    throw new RunStop(
      "failed",
      answerDiagnostic("terminal-rejected", `the request of ${label} was rejected`, sent, span),
    );
  }
  throw new RunStop("error", unreadableDiagnostic(sent.answer, span, label));
}

function stepAnswer(answer: Answer): StepAnswer | undefined {
  if (answer.kind === "response") return responseAnswer(answer.response);
  if (answer.kind === "rejected")
    return { result: "Failure", errorCondition: "Reject", additionalResponse: answer.details };
  return undefined;
}

function responseAnswer(response: DecodedResponse): StepAnswer {
  // Built field by field rather than from spread objects: every request of a run makes one.
  const { result, errorCondition, additional } = response;
  const answer: StepAnswer = { result };
  if (errorCondition) answer.errorCondition = errorCondition;
  if (Object.keys(additional).length > 0) answer.additionalResponse = additional;
  return answer;
}

/** The terminal answered `condition` (a Failure with that ErrorCondition). */
function answeredWith(sent: Answered | Unanswered, condition: string): boolean {
  return sent.ok && sent.answer.kind === "response" && sent.answer.response.errorCondition === condition;
}

/** A refused Begin; NotAllowed (a session is open) says how to get out. */
function beginRefusedDiagnostic(
  id: string,
  begin: Answered,
  span: Span,
  who: { poiid: string; saleId: string },
): Diagnostic {
  const diagnostic = answerDiagnostic(
    "session-begin-failed",
    `the terminal refused to begin session ${JSON.stringify(id)}`,
    begin,
    span,
  );
  if (answeredWith(begin, "NotAllowed"))
    diagnostic.hint =
      `another session is open on ${who.poiid}; if a run of this POS left it (a crash, an End that failed), end it: ` +
      `termflow end-session --poiid ${who.poiid} --sale-id ${who.saleId} --session-id <its id>`;
  return diagnostic;
}

/** What to do about a session whose End did not take. */
function stillOpenHint(session: OpenSession): string {
  return (
    `the session may still be open on ${session.poiid}, and the terminal then refuses every Begin: the next run of this POS ends it first ` +
    `(when it keeps a session journal), or run termflow end-session --poiid ${session.poiid} --sale-id ${session.saleId} --session-id ${session.id}`
  );
}

/** `<what>: Failure Busy (message: ...)` from a terminal's answer. */
function answerDiagnostic(code: DiagnosticCode, what: string, sent: Answered, span: Span): Diagnostic {
  const answer = sent.answer;
  if (answer.kind === "rejected") {
    return runDiagnostic(code, `${what}: rejected (${answer.message})`, span, {
      hint: "the cloud or terminal refused the request; the message says why",
    });
  }
  if (answer.kind !== "response") return unreadableDiagnostic(answer, span, what);
  const r = answer.response;
  const detail = describeAdditional(r.additional);
  return runDiagnostic(
    code,
    `${what}: ${r.result}${r.errorCondition ? ` ${r.errorCondition}` : ""}${detail ? ` (${detail})` : ""}`,
    span,
    {
      ...(hintFor(r) ? { hint: hintFor(r) } : {}),
    },
  );
}

/** `partly approved: 30.00 EUR of 50.00 EUR (transaction X); 20.00 EUR is not paid`. */
function partlyPaid(payment: PaymentRecord): string {
  const rest = moneyOf(payment.requestedAmount.minor - payment.amount.minor, payment.currency);
  return (
    `partly approved: ${formatMoney(payment.amount)} of ` +
    `${formatMoney(payment.requestedAmount)}${payment.transactionId ? ` (transaction ${payment.transactionId})` : ""}; ` +
    `${formatMoney(rest)} is not paid`
  );
}

/**
 * `payment-partial`: the terminal approved less than was asked. Never a pass the flow did not ask
 * for: the shopper has paid part of it, so neither "paid" nor "not paid" is true.
 */
function partialPaymentDiagnostic(
  payment: PaymentRecord,
  captured: string | undefined,
  label: string,
  span: Span,
): Diagnostic {
  const p = captured ?? "p";
  const capture = captured ? "" : "capture the payment (`as p`) and ";
  return runDiagnostic("payment-partial", `${label}: ${partlyPaid(payment)}`, span, {
    hint:
      `the shopper has paid ${formatMoney(payment.amount)}: never charge the whole amount again; ` +
      `${capture}check \`${p}.result == "partial"\` to take the rest (\`pay ` +
      `${formatMoney(payment.requestedAmount)} - ${p}.amount\`) or give it back (\`refund ${p}\`)`,
  });
}

function paymentDiagnostic(capture: PayCapture, response: DecodedResponse, label: string, span: Span): Diagnostic {
  const detail = describeAdditional(response.additional);
  const code =
    capture.result === "declined"
      ? "payment-declined"
      : capture.result === "cancelled"
        ? "payment-cancelled"
        : "payment-failed";
  return runDiagnostic(
    code,
    `${label}: ${capture.result}${response.errorCondition ? ` (${response.errorCondition})` : ""}${detail ? `: ${detail}` : ""}`,
    span,
    {
      hint: `capture it (\`as payment\`) and check \`payment.result\` in an expect or if to handle a ${capture.result} payment in the flow`,
    },
  );
}

const HINTS: Record<string, string> = {
  Busy: "the terminal is busy with another dialogue (a payment in progress?); wait or abort it first",
  Cancel: "the shopper cancelled on the terminal",
  Aborted: "the request was aborted",
  NotAllowed: "the terminal does not allow this request now",
  UnreachableHost: "the terminal is offline or unreachable from the cloud",
  MessageFormat: "the terminal could not read the request; the AdditionalResponse says which field",
};

/**
 * What a Failure means for people. A terminal answers an input that timed out with Cancel too, so
 * the message tells the two apart: a time-out is not the shopper cancelling.
 */
function hintFor(response: DecodedResponse): string | undefined {
  if (timedOut(response)) {
    return "the shopper did not answer within the time limit: give more time (`within`), or capture the answer and handle it in the flow";
  }
  return HINTS[response.errorCondition ?? ""];
}

/** An input the shopper did not answer in time: the terminal says Cancel, with a message saying so. */
function timedOut(response: DecodedResponse): boolean {
  return (
    response.errorCondition === "Cancel" && /timed? ?out|timeout|MaxInputTime/i.test(response.additional.message ?? "")
  );
}

function describeAdditional(additional: Record<string, string>): string {
  const parts: string[] = [];
  for (const key of ["refusalReason", "message", "errors"])
    if (additional[key]) parts.push(`${key}: ${additional[key]}`);
  return parts.join(", ");
}

function unreadableDiagnosticStop(answer: Answer, span: Span, what: string): RunStop {
  return new RunStop("failed", unreadableDiagnostic(answer, span, what));
}

function unreadableDiagnostic(answer: Answer, span: Span, what: string): Diagnostic {
  if (answer.kind === "mismatched") {
    return runDiagnostic(
      "answer-mismatch",
      `${what}: the answer is not the answer to this request: ${describeMismatches(answer.mismatches)}`,
      span,
      { hint: MISMATCH_HINT },
    );
  }
  const reason =
    answer.kind === "malformed"
      ? answer.reason
      : answer.kind === "empty"
        ? "the answer was empty"
        : "unexpected answer";
  return runDiagnostic("malformed-answer", `${what}: unreadable answer: ${reason}`, span);
}

const MISMATCH_HINT =
  "termflow takes no answer that does not echo its request: it was meant for another request, altered on the way, " +
  "or canned by a mock terminal (Adyen's mock answers every request with ServiceID 1234567890AB and SaleID SALE_ID_42)";

/** A transport failure as a run error: `transport-timeout`, `transport-connection`, ... */
function unansweredStop(sent: Answered | Unanswered, span: Span, what: string): RunStop {
  if (sent.ok) return new RunStop("error", unreadableDiagnostic(sent.answer, span, what));
  const error = sent.error;
  const code: DiagnosticCode = error.kind === "malformed" ? "malformed-answer" : `transport-${error.kind}`;
  return new RunStop("error", runDiagnostic(code, `${what}: ${error.message}`, span, transportHint(error)));
}

function transportHint(error: TransportError): { hint?: string } {
  if (error.kind === "timeout")
    return { hint: "the terminal did not answer in time; raise the timeout or check the terminal" };
  if (error.kind === "connection")
    return { hint: "check that the terminal (or `termflow sim`) is running and reachable" };
  if (error.kind === "config") return { hint: "check the target's configuration (endpoint, API key, key file)" };
  if (error.kind === "insecure")
    return {
      hint: "the terminal (or something between it and termflow) answered without the configured key; check the key on the terminal and the network path",
    };
  if (error.kind === "http" && (error.status === 401 || error.status === 403))
    return { hint: "check the API key (TERMFLOW_API_KEY)" };
  return {};
}

/** HTTP statuses that say the request was never accepted: no point asking for its status. */
function isFinalTransportError(error: TransportError): boolean {
  if (error.kind === "config" || error.kind === "aborted" || error.notDelivered) return true;
  return error.kind === "http" && error.status !== undefined && error.status >= 400 && error.status < 500;
}

function lostReason(sent: Answered | Unanswered): string {
  if (!sent.ok) return `${sent.error.kind}: ${sent.error.message}`;
  if (sent.answer.kind === "rejected") return `rejected: ${sent.answer.message}`;
  if (sent.answer.kind === "malformed") return sent.answer.reason;
  if (sent.answer.kind === "mismatched")
    return `the answer was not to this payment: ${describeMismatches(sent.answer.mismatches)}`;
  return "no payment answer";
}

function cancelledAt(step: Step, label: string, when: "before" | "during"): RunStop {
  return new RunStop("cancelled", runDiagnostic("cancelled", `run cancelled ${when} ${label}`, step.span));
}

/** Any error escaping a step, as the RunStop that stops the run. */
function toRunStop(error: unknown, step: Step, label: string): RunStop {
  if (error instanceof RunStop) return error;
  if (error instanceof Cancelled) return cancelledAt(step, label, "during");
  if (error instanceof EvaluationError) {
    return new RunStop(
      "failed",
      // The rule's own code and words: the same as the checks give when they know the value.
      runDiagnostic(error.code, error.message, error.span, error.hint ? { hint: error.hint } : {}),
    );
  }
  return new RunStop(
    "error",
    runDiagnostic("internal-error", `internal error in ${label}: ${messageOf(error)}`, step.span, {
      hint: "this is a bug in termflow: please report it with the flow that caused it",
    }),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
