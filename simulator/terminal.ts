/**
 * One simulated terminal: its dialogue (one at a time), the waiting-screen session state machine of
 * docs/protocol.md, the screen timeline, scripted shopper and payments, remembered transactions.
 *
 * Everything that takes time runs on the injected Clock, so a VirtualClock makes a 5000 ms waiting
 * screen instant and exact in tests.
 */
import type { Clock, TimerHandle } from "../protocol/index.js";
import { encodeAdditionalResponse } from "../protocol/index.js";
import type {
  AbortRequest,
  CardAcquisitionRequest,
  EnableServiceRequest,
  DisplayOutput,
  DisplayRequest,
  InputRequest,
  MessageHeader,
  OperationType,
  PaymentRequest,
  PrintRequest,
  RequestBodyName,
  Response,
  ReversalRequest,
  TransactionStatusRequest,
} from "../protocol/index.js";
import { acquisitionResponse, type AcquisitionEnd, type HeldCard } from "./acquisitions.js";
import { FaultScript } from "./faults.js";
import { defaultAnswer, describeInput, inputFor } from "./input-screens.js";
import { PaymentScript } from "./payment-script.js";
import { formatMinorUnits, fromWireAmount, toWireAmount } from "../language/index.js";
import { amountsOf, outcomeByAmount, paymentResponse, PLATFORM_TIMEOUT_MS, type PaymentEnd } from "./payments.js";
import type { PaymentOutcome } from "./types.js";
import { failure, failureBody, responseMessage } from "./replies.js";
import { parseServiceIdentification, type AdminCommand } from "./service-identification.js";
import { ShopperScript } from "./shopper.js";
import { Timeline, type ScreenChange } from "./timeline.js";
import type { ByteBudget } from "./history.js";
import { KeptList } from "./history.js";
import type { LoggedRequest } from "./request-log.js";
import { ServiceIdMemory } from "./service-ids.js";
import type { SimulatorTimers } from "./timers.js";
import { TransactionBook, type Transaction } from "./transactions.js";
import type {
  ActionResult,
  CardBrand,
  Channel,
  RequestLogEntry,
  ScreenEvent,
  ShopperAnswer,
  SimulatedTerminalApi,
  SimulatorEvent,
  TerminalState,
  Waiting,
} from "./types.js";
import type { CardAction } from "./payment-script.js";
import * as validate from "./validate.js";

type Json = Record<string, unknown>;

/** A request whose envelope the core already checked. */
export interface TerminalRequest {
  header: MessageHeader;
  bodyName: RequestBodyName;
  body: Json;
  channel: Channel;
}

/** What the terminal answers: a JSON message (with its text once made), or the abort's empty body. */
export type TerminalReply = { kind: "json"; message: Json; text?: string } | { kind: "empty" };

export interface TerminalSettings {
  clock: Clock;
  /** The simulator's timers: all of them end when it stops. */
  timers: SimulatorTimers;
  /** Where the request log and the timeline are counted, with every other terminal's. */
  history: ByteBudget;
  /** Where remembered transactions and ServiceIDs are counted. */
  remembered: ByteBudget;
  thinkTimeMs: number;
  paymentMs: number;
  resultScreenMs: number;
  uniqueServiceIds: boolean;
  /** Manual shopper from the start. */
  manualShopper: boolean;
  /** The simulator's one event source: every change of this terminal goes there. */
  publish: (event: SimulatorEvent) => void;
  /** Whether anyone listens: nothing is built for the event source when nobody does. */
  listening: () => boolean;
}

const BUSY_MESSAGE = "Forbidden Request, Service Dialogue PaymentRequest is in Progress";

type Dialogue =
  | {
      kind: "payment";
      serviceId?: string;
      saleId: string;
      abort(): void;
      act(action: CardAction): ActionResult;
      waiting: Waiting;
    }
  | {
      kind: "input";
      serviceId?: string;
      saleId: string;
      end(how: "aborted" | "interrupted", by: string): void;
      respond(answer: ShopperAnswer): ActionResult;
      waiting: Waiting;
    }
  | { kind: "scan"; id: string; end(reason: string): void };

interface Session {
  id: string;
  operations: Partial<Record<OperationType, number>>;
}

const json = (message: Json): TerminalReply => ({ kind: "json", message });

export class SimulatedTerminal implements SimulatedTerminalApi {
  readonly shopper: ShopperScript;
  readonly payments: PaymentScript;
  readonly faults: FaultScript;

  private readonly clock: Clock;
  private readonly timers: SimulatorTimers;
  private readonly screens: Timeline;
  private readonly log: KeptList<LoggedRequest>;
  private openSession: Session | undefined;
  private dialogue: Dialogue | undefined;
  /** The card a card acquisition read, until a payment continues it or the POS releases it. */
  private held: HeldCard | undefined;
  /** The waiting screen showing now, or one due after a display's MinimumDisplayTime. */
  private waitingTimer: TimerHandle | undefined;
  private waitingShowing = false;
  private resultTimer: TimerHandle | undefined;
  private readonly transactions: TransactionBook;
  private readonly serviceIds: ServiceIdMemory;
  /** Requests logged whose answer is not known yet. */
  private unanswered = 0;
  private sequence = 0;

  constructor(
    readonly poiid: string,
    private readonly settings: TerminalSettings,
  ) {
    this.clock = settings.clock;
    this.timers = settings.timers;
    this.log = new KeptList(settings.history);
    this.serviceIds = new ServiceIdMemory(settings.remembered);
    this.screens = new Timeline(
      () => this.clock.now(),
      settings.history,
      (event) => {
        if (!settings.listening()) return;
        settings.publish({ type: "screen", poiid, event: { ...event } });
        this.changed();
      },
    );
    this.transactions = new TransactionBook(() => this.clock.now(), settings.remembered);
    const changed = () => this.changed();
    this.shopper = new ShopperScript(
      settings.thinkTimeMs,
      settings.manualShopper,
      (answer) => this.respond(answer),
      changed,
    );
    this.payments = new PaymentScript(settings.paymentMs, (action) => this.actOnPayment(action), changed);
    this.faults = new FaultScript(changed);
  }

  /** Publishes the terminal's state; called on every change a page shows. */
  private changed(): void {
    // Scripts call back while the constructor is still building them.
    if (!this.settings.listening() || !this.shopper || !this.payments || !this.faults || !this.screens) return;
    this.settings.publish({ type: "state", poiid: this.poiid, state: this.state() });
  }

  state(): TerminalState {
    const d = this.dialogue;
    return {
      poiid: this.poiid,
      now: this.clock.now(),
      screen: this.screen(),
      session: this.session,
      waiting: d && d.kind !== "scan" ? structuredClone(d.waiting) : null,
      manual: this.shopper.manualMode,
      pending: { shopper: this.shopper.pending(), payments: this.payments.pending(), faults: this.faults.pending() },
    };
  }

  /** A person answers the input showing now. */
  private respond(answer: ShopperAnswer): ActionResult {
    const d = this.dialogue;
    if (d?.kind !== "input") return { ok: false, message: `no input screen is waiting for an answer on ${this.poiid}` };
    if ("noAnswer" in answer)
      return { ok: false, message: "noAnswer is not something a person does: to let the input time out, do nothing" };
    return d.respond(answer);
  }

  /** A person presents a card to, or ends, the payment waiting for one. */
  private actOnPayment(action: CardAction): ActionResult {
    const d = this.dialogue;
    if (d?.kind !== "payment") return { ok: false, message: `no payment is waiting for a card on ${this.poiid}` };
    return d.act(action);
  }

  // ---- inspection --------------------------------------------------------------------------------

  timeline(): ScreenEvent[] {
    return this.screens.all();
  }

  screen(): ScreenEvent {
    return { ...this.screens.current() };
  }

  get session(): { id: string; operations: Partial<Record<OperationType, number>> } | null {
    return this.openSession ? { id: this.openSession.id, operations: { ...this.openSession.operations } } : null;
  }

  requests(): RequestLogEntry[] {
    return this.log.toArray().map((e) => e.entry());
  }

  reset(): void {
    this.settings.publish({ type: "reset", poiid: this.poiid });
    this.shopper.reset();
    this.payments.reset();
    this.faults.reset();
    this.log.clear();
    this.openSession = undefined;
    this.cancelWaiting();
    this.timers.clear(this.resultTimer);
    this.resultTimer = undefined;
    this.transactions.clear();
    this.serviceIds.clear();
    this.screens.reset();
    this.changed();
  }

  /**
   * The simulator stops: a payment in progress is aborted (a status request finds it Aborted), an
   * input or scan ends; the answers go nowhere. A waiting or result screen stays the last change on
   * the timeline. The core then clears every timer.
   */
  stop(): void {
    const d = this.dialogue;
    if (d?.kind === "payment") d.abort();
    else if (d?.kind === "input") d.end("interrupted", "the simulator stopping");
    else if (d?.kind === "scan") d.end("simulator stopped");
    this.cancelWaiting();
    this.timers.clear(this.resultTimer);
    this.resultTimer = undefined;
  }

  /**
   * True when forgetting this terminal loses nothing anyone waits for: no dialogue, session, waiting
   * or result screen, scripts or settings of its own (the simulator then may reuse its place).
   */
  isQuiet(): boolean {
    return (
      this.dialogue === undefined &&
      this.openSession === undefined &&
      this.waitingTimer === undefined &&
      this.resultTimer === undefined &&
      this.unanswered === 0 &&
      !this.shopper.scripted &&
      !this.payments.scripted &&
      this.faults.pending() === 0
    );
  }

  /** The simulator no longer keeps this terminal: its history and memory go (the page hears a reset). */
  forget(): void {
    this.reset();
  }

  /** Appends a log entry; the core fills in the outcome when the answer is known. */
  record(entry: LoggedRequest): LoggedRequest {
    this.log.add(entry);
    this.unanswered++;
    if (this.settings.listening()) this.settings.publish({ type: "request", poiid: this.poiid, entry: entry.entry() });
    return entry;
  }

  /** A logged request's answer arrived: it costs `bytes` more. */
  grew(entry: LoggedRequest, bytes: number): void {
    if (entry.list === undefined) return;
    this.unanswered--;
    this.log.grow(entry, bytes);
  }

  // ---- processing --------------------------------------------------------------------------------

  /** Processes one request and resolves with the terminal's answer (after shopper/payment time). */
  process(req: TerminalRequest): Promise<TerminalReply> {
    const { header, bodyName, body } = req;
    const formatError = this.validate(bodyName, body);
    if (typeof formatError === "string")
      return Promise.resolve(this.fail(req, "MessageFormat", { errors: formatError }));
    if (formatError && !formatError.ok)
      return Promise.resolve(this.fail(req, formatError.errorCondition, { message: formatError.message }));
    const admin = formatError?.ok ? formatError.command : undefined;

    const duplicate = this.claimServiceId(header);
    if (duplicate) return Promise.resolve(this.fail(req, "NotAllowed", { message: duplicate }));

    if (this.dialogue?.kind === "payment") {
      if (bodyName === "AbortRequest") return Promise.resolve(this.abort(body as unknown as AbortRequest));
      if (bodyName === "TransactionStatusRequest") return Promise.resolve(this.status(req));
      return Promise.resolve(this.busy(req));
    }
    // A request the terminal refuses changes no screen: it neither ends a pending input nor
    // interrupts a waiting screen (docs/simulator.md).
    const refusal = this.refusal(req, admin);
    if (refusal) return Promise.resolve(this.fail(req, refusal.errorCondition, { message: refusal.message }));

    const ownScreen =
      bodyName === "InputRequest" ||
      bodyName === "DisplayRequest" ||
      bodyName === "PaymentRequest" ||
      bodyName === "CardAcquisitionRequest";
    const endsSession = admin?.type === "End" && this.openSession?.id === admin.id;
    const endsScan = admin?.type === "End" && this.dialogue?.kind === "scan" && this.dialogue.id === admin.id;
    if (!endsScan) this.endPendingInput(bodyName, body, ownScreen);
    // docs/protocol.md rule 3: the End request does not interrupt a showing waiting screen.
    if (!endsSession) this.interruptWaiting(bodyName, ownScreen);
    if (ownScreen && this.resultTimer) {
      this.timers.clear(this.resultTimer);
      this.resultTimer = undefined;
    }

    switch (bodyName) {
      case "AdminRequest":
        return Promise.resolve(this.admin(req, admin!));
      case "InputRequest":
        return this.input(req);
      case "DisplayRequest":
        return Promise.resolve(this.display(req));
      case "PaymentRequest":
        return this.payment(req);
      case "ReversalRequest":
        return Promise.resolve(this.reversal(req));
      case "TransactionStatusRequest":
        return Promise.resolve(this.status(req));
      case "AbortRequest":
        return Promise.resolve(this.abort(body as unknown as AbortRequest));
      case "PrintRequest":
        return Promise.resolve(this.print(req));
      case "CardAcquisitionRequest":
        return this.acquisition(req);
      case "EnableServiceRequest":
        return Promise.resolve(this.enableService(req));
    }
  }

  /** Failure / MessageFormat for a request whose header the core refused; nothing else happens. */
  formatFailure(req: TerminalRequest, errors: string): TerminalReply {
    return this.fail(req, "MessageFormat", { errors });
  }

  /** Failure / Busy in the request's own response body, as a terminal in a payment answers. */
  busy(req: TerminalRequest): TerminalReply {
    if (req.bodyName === "AbortRequest") return { kind: "empty" };
    return this.fail(req, "Busy", { message: BUSY_MESSAGE });
  }

  private validate(
    bodyName: RequestBodyName,
    body: Json,
  ): string | ReturnType<typeof parseServiceIdentification> | undefined {
    switch (bodyName) {
      case "AdminRequest": {
        const error = validate.validateAdmin(body);
        return error ?? parseServiceIdentification(body.ServiceIdentification as string);
      }
      case "InputRequest":
        return validate.validateInput(body);
      case "DisplayRequest":
        return validate.validateDisplay(body);
      case "PaymentRequest":
        return validate.validatePayment(body);
      case "ReversalRequest":
        return validate.validateReversal(body);
      case "TransactionStatusRequest":
        return validate.validateTransactionStatus(body);
      case "AbortRequest":
        return validate.validateAbort(body);
      case "PrintRequest":
        return validate.validatePrint(body);
      case "CardAcquisitionRequest":
        return validate.validateCardAcquisition(body);
      case "EnableServiceRequest":
        return validate.validateEnableService(body);
    }
  }

  /** Why the terminal refuses a well-formed request in its current state, checked before it acts. */
  private refusal(
    req: TerminalRequest,
    admin: AdminCommand | undefined,
  ): { errorCondition: string; message: string } | undefined {
    if (admin?.type === "Begin" && this.openSession) {
      return {
        errorCondition: "NotAllowed",
        message: `Session ${this.openSession.id} is already open; end it before beginning session ${admin.id}`,
      };
    }
    if (admin?.type === "End") {
      const endsScan = this.dialogue?.kind === "scan" && this.dialogue.id === admin.id;
      if (!endsScan && this.openSession?.id !== admin.id) {
        const open = this.openSession ? `; the open session is ${this.openSession.id}` : "; no session is open";
        return { errorCondition: "NotFound", message: `No open session or scan with Id ${admin.id}${open}` };
      }
    }
    if (req.bodyName === "ReversalRequest") {
      const request = req.body as unknown as ReversalRequest;
      const originalId = request.OriginalPOITransaction.POITransactionID?.TransactionID;
      const original = this.transactions.payment(originalId);
      if (original && !original.approved)
        return {
          errorCondition: "NotAllowed",
          message: `Original transaction ${originalId} was not approved; nothing to refund`,
        };
      const left = original ? refundable(original) : undefined;
      if (original && left !== undefined) {
        const asked =
          typeof request.ReversedAmount === "number"
            ? fromWireAmount(request.ReversedAmount, original.currency!)
            : left.minor;
        if (left.minor === 0)
          return {
            errorCondition: "NotAllowed",
            message: `Original transaction ${originalId} is already refunded in full`,
          };
        if (asked === undefined || asked > left.minor)
          return {
            errorCondition: "NotAllowed",
            message:
              `Refund of ${request.ReversedAmount} ${original.currency} exceeds the ` +
              `${toWireAmount(left.minor, original.currency!)} ${original.currency} left of transaction ${originalId}`,
          };
      }
    }
    if (req.bodyName === "PaymentRequest") {
      const reference = (req.body as unknown as PaymentRequest).PaymentData?.CardAcquisitionReference;
      if (reference && reference.TransactionID !== this.held?.poiTransactionId)
        return {
          errorCondition: "NotFound",
          message:
            `No card acquisition ${String(reference.TransactionID)} to continue` +
            (this.held ? `; the card held is from ${this.held.poiTransactionId}` : ""),
        };
    }
    return undefined;
  }

  private fail(req: TerminalRequest, errorCondition: string, details: Record<string, string>): TerminalReply {
    const response = failure(errorCondition, details);
    if (req.bodyName === "AbortRequest") return { kind: "empty" };
    return json(
      responseMessage(req.header, req.bodyName, failureBody(req.bodyName, req.body, response, this.clock.now())),
    );
  }

  private success(req: TerminalRequest, body: Json): TerminalReply {
    return json(responseMessage(req.header, req.bodyName, body));
  }

  /** Undefined when the ServiceID is fresh (and now taken), else why it is refused. */
  private claimServiceId(header: MessageHeader): string | undefined {
    if (!this.settings.uniqueServiceIds || header.ServiceID === undefined) return undefined;
    if (this.serviceIds.claim(header.SaleID, header.ServiceID, this.clock.now())) return undefined;
    return `ServiceID ${header.ServiceID} was already used by SaleID ${header.SaleID} on this terminal within 48 hours; send a fresh one`;
  }

  // ---- screens and the waiting-screen state machine ------------------------------------------------

  private show(change: ScreenChange): void {
    this.screens.show(change);
  }

  private cancelWaiting(): void {
    this.timers.clear(this.waitingTimer);
    this.waitingTimer = undefined;
    this.waitingShowing = false;
  }

  /** docs/protocol.md rule 2: any next request interrupts a showing (or due) waiting screen. */
  private interruptWaiting(bodyName: string, ownScreen: boolean): void {
    const wasShowing = this.waitingShowing;
    this.cancelWaiting();
    if (wasShowing && !ownScreen) this.show({ screen: "idle", reason: `waiting screen interrupted by ${bodyName}` });
  }

  /** docs/protocol.md rules 1 and 4: a waiting screen after `type`, if the open session lists it. */
  private afterCompletion(type: OperationType, serviceId: string | undefined, idleReason: string, delayMs = 0): void {
    const timeoutMs = this.openSession?.operations[type];
    if (timeoutMs === undefined) {
      if (type !== "DisplayRequest") this.show({ screen: "idle", reason: idleReason });
      return;
    }
    const sessionId = this.openSession!.id;
    const start = () => {
      this.waitingShowing = true;
      this.show({ screen: "waiting", timeoutMs, after: type, sessionId, serviceId });
      this.waitingTimer = this.timers.set(
        () => {
          this.waitingTimer = undefined;
          this.waitingShowing = false;
          this.show({ screen: "idle", reason: "waiting screen timed out" });
        },
        timeoutMs,
        "background",
      );
    };
    if (delayMs > 0) this.waitingTimer = this.timers.set(start, delayMs, "background");
    else start();
  }

  // ---- input ---------------------------------------------------------------------------------------

  /**
   * A pending input (or scan) is ended by any other request (docs/protocol.md "one dialogue"). A request
   * without a screen of its own (abort, status, admin, print, reversal) leaves the terminal idle; the
   * timeline must not stay on `input`, since QA assertions read it.
   */
  private endPendingInput(bodyName: string, body: Json, ownScreen: boolean): void {
    const d = this.dialogue;
    if (!d) return;
    if (d.kind === "scan") {
      d.end(`scan ended by ${bodyName}`);
      return;
    }
    if (d.kind !== "input") return;
    const ref = bodyName === "AbortRequest" ? ((body as unknown as AbortRequest).MessageReference ?? {}) : undefined;
    const targeted =
      ref !== undefined &&
      (ref.ServiceID === undefined ? ref.MessageCategory === "Input" : ref.ServiceID === d.serviceId);
    d.end(targeted ? "aborted" : "interrupted", bodyName);
    if (!ownScreen)
      this.show({
        screen: "idle",
        reason: targeted ? "input aborted by the POS (AbortRequest)" : `input interrupted by ${bodyName}`,
      });
  }

  private input(req: TerminalRequest): Promise<TerminalReply> {
    const request = req.body as unknown as InputRequest;
    const screen = describeInput(request);
    const serviceId = req.header.ServiceID;
    this.show({
      screen: "input",
      prompt: screen.prompt,
      texts: screen.texts,
      kind: screen.kind,
      referenceId: screen.referenceId,
      inputCommand: screen.inputCommand,
      ...(screen.menu ? { menu: screen.menu } : {}),
      serviceId,
    });
    const manual = this.shopper.manualMode;
    // A person answers in manual mode; otherwise the script (or the default) decides now.
    const scripted = manual
      ? undefined
      : (this.shopper.take([screen.prompt, ...screen.texts]) ?? defaultAnswer(screen));
    const thinkMs = scripted?.thinkMs ?? this.shopper.thinkMs;
    const since = this.clock.now();
    const reply = (response: Response, input?: ReturnType<typeof inputFor>) => {
      const body = failureBody("InputRequest", req.body, response, this.clock.now());
      if (input?.ok) (body.InputResult as Json).Input = input.input;
      if (body.OutputResult) (body.OutputResult as Json).Response = { Result: "Success" };
      return this.success(req, body);
    };

    return new Promise<TerminalReply>((resolve) => {
      let timer: TimerHandle | undefined;
      const finish = (result: TerminalReply) => {
        this.timers.clear(timer);
        timer = undefined;
        if (this.dialogue === dialogue) this.dialogue = undefined;
        resolve(result);
      };
      const answered = (answer: ShopperAnswer) => {
        let result: TerminalReply;
        if ("cancel" in answer) {
          result = reply(failure("Cancel", { message: "Cancelled by the shopper" }));
        } else {
          const input = inputFor(screen, answer);
          result = input.ok
            ? reply({ Result: "Success" }, input)
            : reply(failure("MessageFormat", { message: `termflow simulator: ${input.message}` }));
        }
        finish(result);
        this.afterCompletion("InputRequest", serviceId, "input answered");
      };
      const timedOut = () => {
        finish(
          reply(
            failure("Cancel", { message: `Input timed out after MaxInputTime ${request.InputData.MaxInputTime} s` }),
          ),
        );
        this.afterCompletion("InputRequest", serviceId, "input timed out");
      };
      const max = screen.maxInputTimeMs;
      const waits = manual || scripted === undefined || "noAnswer" in scripted || (max !== undefined && thinkMs > max);
      const dialogue: Dialogue = {
        kind: "input",
        serviceId,
        saleId: req.header.SaleID,
        end: (how, by) => {
          const message = how === "aborted" ? "Input aborted by the POS (AbortRequest)" : `Input interrupted by ${by}`;
          finish(reply(failure("Aborted", { message })));
        },
        respond: (answer) => {
          answered(answer);
          return { ok: true };
        },
        waiting: {
          for: "input",
          since,
          ...(max !== undefined ? { deadline: since + max } : {}),
          manual,
          ...(waits ? {} : { answerAt: since + thinkMs }),
          screen: {
            kind: screen.kind,
            prompt: screen.prompt,
            texts: screen.texts,
            inputCommand: screen.inputCommand,
            ...(screen.referenceId !== undefined ? { referenceId: screen.referenceId } : {}),
            ...(screen.menu ? { menu: screen.menu } : {}),
            ...(screen.defaultInput !== undefined ? { defaultInput: screen.defaultInput } : {}),
            ...(screen.minSelections !== undefined ? { minSelections: screen.minSelections } : {}),
            ...(screen.maxSelections !== undefined ? { maxSelections: screen.maxSelections } : {}),
          },
        },
      };
      this.dialogue = dialogue;
      if (waits) {
        if (max !== undefined) timer = this.timers.set(timedOut, max, "answer");
      } else {
        timer = this.timers.set(() => answered(scripted!), thinkMs, "answer");
      }
      this.changed();
    });
  }

  // ---- display ---------------------------------------------------------------------------------------

  private display(req: TerminalRequest): TerminalReply {
    const outputs = (req.body as unknown as DisplayRequest).DisplayOutput;
    const customer = outputs.find((o) => o.Device === "CustomerDisplay") ?? outputs[0];
    const content = customer.OutputContent;
    const serviceId = req.header.ServiceID;
    if (content.OutputFormat === "MessageRef" && content.PredefinedContent?.ReferenceID === "Idle") {
      this.show({ screen: "idle", reason: "DisplayRequest Idle" });
    } else {
      const texts = displayTexts(customer);
      this.show({ screen: "display", text: texts.join("\n"), texts, serviceId });
    }
    const seconds = typeof customer.MinimumDisplayTime === "number" ? customer.MinimumDisplayTime : 0;
    this.afterCompletion("DisplayRequest", serviceId, "display shown", seconds * 1000);
    return this.success(req, {
      OutputResult: outputs.map((o) => ({
        Device: o.Device,
        InfoQualify: o.InfoQualify,
        Response: { Result: "Success" },
      })),
    });
  }

  // ---- payment ---------------------------------------------------------------------------------------

  private payment(req: TerminalRequest): Promise<TerminalReply> {
    const request = req.body as unknown as PaymentRequest;
    const amounts = amountsOf(request);
    const serviceId = req.header.ServiceID;
    const tip = request.PaymentTransaction.AmountsReq.TipAmount;
    this.show({
      screen: "payment",
      amount: request.PaymentTransaction.AmountsReq.RequestedAmount,
      ...(tip ? { tip } : {}),
      currency: amounts.currency,
      serviceId,
    });
    // A payment that continues a card acquisition has its card already: no card to wait for.
    const continued = request.PaymentData?.CardAcquisitionReference ? this.held : undefined;
    if (continued) this.held = undefined;
    const manual = this.shopper.manualMode && !continued;
    // A person presents the card in manual mode; otherwise the script (or the amount rule) decides now.
    const scripted = manual ? undefined : (this.payments.take() ?? outcomeByAmount(amounts));
    const since = this.clock.now();
    const timeoutMs = PLATFORM_TIMEOUT_MS[req.channel];
    const tx: Transaction = {
      category: "Payment",
      saleId: req.header.SaleID,
      serviceId,
      startedAt: since,
    };
    this.transactions.start(tx);

    return new Promise<TerminalReply>((resolve) => {
      let timer: TimerHandle | undefined;
      const finish = (end: PaymentEnd, brand?: CardBrand) => {
        this.timers.clear(timer);
        timer = undefined;
        this.dialogue = undefined;
        const body = paymentResponse(end, {
          request,
          amounts,
          poiid: this.poiid,
          now: this.clock.now(),
          sequence: ++this.sequence,
          brand: brand ?? continued?.brand ?? ("brand" in end ? end.brand : undefined),
        });
        const message = responseMessage(req.header, "PaymentRequest", body as unknown as Json);
        const reply: TerminalReply = { kind: "json", message, text: JSON.stringify(message) };
        tx.poiTransactionId = body.POIData.POITransactionID.TransactionID;
        // A partial approval took money too: it can be refunded, up to what it authorised.
        tx.approved = body.Response.Result !== "Failure";
        const authorised = body.PaymentResult?.AmountsResp?.AuthorizedAmount;
        if (tx.approved && typeof authorised === "number") {
          tx.currency = amounts.currency;
          tx.authorisedMinor = fromWireAmount(authorised, amounts.currency) ?? 0;
          tx.refundedMinor = 0;
        }
        this.transactions.finish(tx, reply.text!);
        // A terminal shows a partial approval as approved with how much of the amount was paid.
        const paidMinor = authorised === undefined ? undefined : fromWireAmount(authorised, amounts.currency);
        const partly =
          body.Response.Result === "Partial" && paidMinor !== undefined
            ? {
                paid: `${formatMinorUnits(paidMinor, amounts.currency)} ${amounts.currency}`,
                asked: `${formatMinorUnits(amounts.requested + amounts.tip, amounts.currency)} ${amounts.currency}`,
              }
            : undefined;
        this.show({
          screen: "result",
          category: "Payment",
          result: body.Response.Result,
          errorCondition: body.Response.ErrorCondition,
          ...(partly ? { partly } : {}),
          serviceId,
        });
        if (end.outcome !== "aborted" && this.openSession?.operations.Payment !== undefined) {
          this.afterCompletion("Payment", serviceId, "payment finished");
        } else {
          this.resultTimer = this.timers.set(
            () => {
              this.resultTimer = undefined;
              this.show({ screen: "idle", reason: "result shown" });
            },
            this.settings.resultScreenMs,
            "background",
          );
        }
        resolve(reply);
      };
      /** The card is read: the outcome comes after its duration (noAnswer: at the platform timeout). */
      const authorise = (outcome: PaymentOutcome, brand?: CardBrand) => {
        const durationMs =
          outcome.outcome === "noAnswer"
            ? since + timeoutMs - this.clock.now()
            : (outcome.durationMs ?? this.payments.durationMs);
        this.timers.clear(timer);
        timer = this.timers.set(() => finish(outcome, brand), durationMs, "answer");
        return this.clock.now() + durationMs;
      };
      const base = {
        since,
        deadline: since + timeoutMs,
        amount: request.PaymentTransaction.AmountsReq.RequestedAmount,
        ...(tip ? { tip } : {}),
        currency: amounts.currency,
      };
      const dialogue: Extract<Dialogue, { kind: "payment" }> = {
        kind: "payment",
        serviceId,
        saleId: req.header.SaleID,
        abort: () => finish({ outcome: "aborted" }),
        act: (action) => {
          if (dialogue.waiting.for === "authorisation" && (dialogue.waiting.manual || action.kind === "present"))
            return { ok: false, message: "the card was already presented: the payment is being authorised" };
          if (action.kind === "respond") {
            if (action.outcome.outcome === "noAnswer")
              return {
                ok: false,
                message: "noAnswer is not something a person does: to let the payment time out, do nothing",
              };
            finish(action.outcome, action.brand);
            return { ok: true };
          }
          const outcome = scripted ?? this.payments.take() ?? outcomeByAmount(amounts);
          const endsAt = authorise(outcome, action.brand);
          dialogue.waiting = { for: "authorisation", ...base, manual, endsAt, brand: action.brand ?? "mc" };
          this.changed();
          return { ok: true };
        },
        waiting: { for: "card", ...base, manual },
      };
      this.dialogue = dialogue;
      if (scripted) dialogue.waiting = { for: "card", ...base, manual, endsAt: authorise(scripted) };
      else timer = this.timers.set(() => finish({ outcome: "noAnswer" }), timeoutMs, "answer");
      this.changed();
    });
  }

  // ---- reversal, status, abort, print ------------------------------------------------------------------

  private reversal(req: TerminalRequest): TerminalReply {
    const request = req.body as unknown as ReversalRequest;
    const originalId = request.OriginalPOITransaction.POITransactionID?.TransactionID;
    const now = this.clock.now();
    const id = `RV${now}.${String(++this.sequence).padStart(6, "0")}`;
    const body: Json = {
      Response: {
        Result: "Success",
        AdditionalResponse: encodeAdditionalResponse({
          pspReference: id.split(".")[1],
          originalReference: originalId ?? "",
        }),
      },
      POIData: {
        POITransactionID: { TransactionID: id, TimeStamp: new Date(now).toISOString() },
        POIReconciliationID: "1000",
      },
    };
    const original = this.transactions.payment(originalId);
    const left = original ? refundable(original) : undefined;
    if (typeof request.ReversedAmount === "number") body.ReversedAmount = request.ReversedAmount;
    else if (left && original?.currency) body.ReversedAmount = toWireAmount(left.minor, original.currency);
    if (original && left) {
      const refunded =
        typeof request.ReversedAmount === "number"
          ? (fromWireAmount(request.ReversedAmount, original.currency!) ?? 0)
          : left.minor;
      original.refundedMinor = (original.refundedMinor ?? 0) + refunded;
    }
    const message = responseMessage(req.header, "ReversalRequest", body);
    const reply: TerminalReply = { kind: "json", message, text: JSON.stringify(message) };
    const tx: Transaction = {
      category: "Reversal",
      saleId: req.header.SaleID,
      serviceId: req.header.ServiceID,
      startedAt: now,
      poiTransactionId: id,
      approved: true,
    };
    this.transactions.finish(tx, reply.text!);
    return reply;
  }

  private status(req: TerminalRequest): TerminalReply {
    const ref = (req.body as unknown as TransactionStatusRequest).MessageReference ?? {};
    const found = this.transactions.status(ref, req.header.SaleID, this.poiid);
    return found.kind === "found"
      ? this.success(req, found.body)
      : this.fail(req, found.errorCondition, { message: found.message });
  }

  /** The abort itself is answered with an empty body; the aborted request answers Failure/Aborted. */
  private abort(request: AbortRequest): TerminalReply {
    const ref = request.MessageReference;
    const d = this.dialogue;
    if (
      d?.kind === "payment" &&
      ref.ServiceID === d.serviceId &&
      (ref.SaleID === undefined || ref.SaleID === d.saleId)
    ) {
      d.abort();
    }
    return { kind: "empty" };
  }

  // ---- card acquisition --------------------------------------------------------------------------------

  /**
   * Reads a card before the amount is final. The shopper presents it as the payment script says
   * (its next outcome: approve/decline read the card, of its `brand`; cancel, noAnswer), or in
   * manual mode when a person presents it. Abortable like a payment; the card is then held.
   */
  private acquisition(req: TerminalRequest): Promise<TerminalReply> {
    const request = req.body as unknown as CardAcquisitionRequest;
    const serviceId = req.header.ServiceID;
    // A new acquisition replaces a card no payment continued.
    this.held = undefined;
    this.show({ screen: "acquisition", serviceId });
    const manual = this.shopper.manualMode;
    const scripted: PaymentOutcome | undefined = manual ? undefined : (this.payments.take() ?? { outcome: "approve" });
    const since = this.clock.now();
    const timeoutMs = PLATFORM_TIMEOUT_MS[req.channel];
    return new Promise<TerminalReply>((resolve) => {
      let timer: TimerHandle | undefined;
      const finish = (end: AcquisitionEnd) => {
        this.timers.clear(timer);
        timer = undefined;
        this.dialogue = undefined;
        const now = this.clock.now();
        const id = `CA${now}.${String(++this.sequence).padStart(6, "0")}`;
        const { body, held } = acquisitionResponse(end, request, now, id);
        this.held = held;
        const response = body.Response as Response;
        this.show({
          screen: "result",
          category: "CardAcquisition",
          result: response.Result,
          errorCondition: response.ErrorCondition,
          serviceId,
        });
        resolve(this.success(req, body));
      };
      const endOf = (outcome: PaymentOutcome, brand?: CardBrand): AcquisitionEnd =>
        outcome.outcome === "approve" || outcome.outcome === "partial" || outcome.outcome === "decline"
          ? { outcome: "read", brand: brand ?? outcome.brand ?? "mc" }
          : outcome.outcome === "noAnswer"
            ? { outcome: "noAnswer" }
            : { outcome: "cancel" };
      const base = { since, deadline: since + timeoutMs, amount: 0, currency: "" };
      const dialogue: Extract<Dialogue, { kind: "payment" }> = {
        kind: "payment",
        serviceId,
        saleId: req.header.SaleID,
        abort: () => finish({ outcome: "aborted" }),
        act: (action) => {
          finish(
            action.kind === "present"
              ? { outcome: "read", brand: action.brand ?? "mc" }
              : endOf(action.outcome, action.brand),
          );
          return { ok: true };
        },
        waiting: { for: "card", ...base, manual },
      };
      this.dialogue = dialogue;
      if (scripted && scripted.outcome !== "noAnswer") {
        const durationMs = scripted.durationMs ?? this.payments.durationMs;
        timer = this.timers.set(() => finish(endOf(scripted)), durationMs, "answer");
        dialogue.waiting = { for: "card", ...base, manual, endsAt: since + durationMs };
      } else timer = this.timers.set(() => finish({ outcome: "noAnswer" }), timeoutMs, "answer");
      this.changed();
    });
  }

  /** AbortTransaction: the card an acquisition read is released and the terminal goes back to idle. */
  private enableService(req: TerminalRequest): TerminalReply {
    const action = (req.body as unknown as EnableServiceRequest).TransactionAction;
    if (action === "AbortTransaction") {
      const released = this.held;
      this.held = undefined;
      this.show({ screen: "idle", reason: released ? "card acquisition released" : "EnableService AbortTransaction" });
    }
    return this.success(req, { Response: { Result: "Success" } });
  }

  private print(req: TerminalRequest): TerminalReply {
    const output = (req.body as unknown as PrintRequest).PrintOutput;
    return this.success(req, { DocumentQualifier: output.DocumentQualifier, Response: { Result: "Success" } });
  }

  // ---- admin: sessions and scans -----------------------------------------------------------------------

  private admin(req: TerminalRequest, command: AdminCommand): TerminalReply {
    const ok = () => this.success(req, { Response: { Result: "Success" } });
    switch (command.type) {
      case "Begin":
        this.openSession = { id: command.id, operations: command.operations };
        return ok();
      case "End": {
        const d = this.dialogue;
        if (d?.kind === "scan" && d.id === command.id) {
          d.end("scan cancelled by the POS");
          return ok();
        }
        // refusal() answered NotFound for any other Id.
        this.openSession = undefined;
        // After End no waiting screen follows; one already showing runs its course (rule 3).
        if (!this.waitingShowing) this.cancelWaiting();
        return ok();
      }
      case "Once": {
        this.show({
          screen: "input",
          prompt: "Scan a barcode",
          texts: ["Scan a barcode"],
          kind: "scan",
          serviceId: req.header.ServiceID,
        });
        const timer = this.timers.set(() => dialogue.end("scan timed out"), command.scanTimeoutMs, "background");
        const dialogue: Extract<Dialogue, { kind: "scan" }> = {
          kind: "scan",
          id: command.id,
          end: (reason) => {
            this.timers.clear(timer);
            if (this.dialogue === dialogue) this.dialogue = undefined;
            this.show({ screen: "idle", reason });
          },
        };
        this.dialogue = dialogue;
        return ok();
      }
    }
  }
}

/** What is left to refund of an approved payment, in its minor units. */
function refundable(tx: Transaction): { minor: number } | undefined {
  if (tx.authorisedMinor === undefined || tx.currency === undefined) return undefined;
  return { minor: Math.max(0, tx.authorisedMinor - (tx.refundedMinor ?? 0)) };
}

function displayTexts(output: DisplayOutput): string[] {
  const content = output.OutputContent;
  if (content.OutputFormat === "MessageRef") return [content.PredefinedContent?.ReferenceID ?? ""];
  if (Array.isArray(content.OutputText))
    return content.OutputText.map((t) => (typeof t?.Text === "string" ? t.Text : ""));
  return [content.OutputFormat];
}
