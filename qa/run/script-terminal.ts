/**
 * Turns a scenario's givens into the simulator's scripts, just in time: each request is looked at
 * on its way to the simulated terminal, so a fault lands on exactly the request it names
 * (`on 2nd payment`), and an answer is shaped for the screen it meets (a `yes` confirms, a `"1234"`
 * is typed as digits). Givens that never met their screen or request are reported, so a typo in
 * a prompt does not pass silently.
 */
import type { DiagnosticCode, Span } from "../../language/index.js";
import type {
  SimulatedTerminalApi,
  ShopperAnswer,
  Fault as SimFault,
  PaymentOutcomeLike,
  SimulatorAnswer,
} from "../../simulator/index.js";
import { describeInput, fitValue, type InputScreen } from "../../simulator/index.js";
import { decodeBase64Json } from "../../protocol/index.js";
import type { Given, RequestName, Value } from "../scenario/model.js";
import { describeRequest } from "../scenario/model.js";
import { namesOfRequest } from "./requests.js";
import { didYouMean } from "../../language/index.js";

type ShopperGiven = Extract<Given, { kind: "answer" | "no-answer" | "cancel" }>;

/** A given that could not be applied, or never was: reported as a scenario failure. */
export interface GivenProblem {
  code: DiagnosticCode;
  message: string;
  span: Span;
  hint?: string;
}

interface SimulatorLike {
  handle(request: unknown, context?: { path?: string; apiKey?: string }): Promise<SimulatorAnswer>;
}

export interface ScriptedTerminal {
  /** Hand this to runFlow as its terminal. */
  simulator: SimulatorLike;
  /** Problems found so far, plus givens that were never used (call after the run). */
  problems(): GivenProblem[];
}

/** Scripts `terminal` from `givens` and wraps `simulator` so each request is scripted on arrival. */
export function scriptTerminal(
  simulator: SimulatorLike,
  terminal: SimulatedTerminalApi,
  givens: readonly Given[],
): ScriptedTerminal {
  const problems: GivenProblem[] = [];
  const used = new Set<Given>();
  const byPrompt = givens.filter(
    (g): g is ShopperGiven =>
      (g.kind === "answer" || g.kind === "no-answer" || g.kind === "cancel") && g.prompt !== undefined,
  );
  const inOrder: Array<{ given: ShopperGiven; value?: Value[] }> = [];
  for (const g of givens) {
    if ((g.kind === "answer" || g.kind === "no-answer" || g.kind === "cancel") && g.prompt === undefined) {
      // `shopper answers yes, no` answers two screens; a menu takes a list with `answers "A", "B"` by prompt.
      if (g.kind === "answer") for (const v of g.values) inOrder.push({ given: g, value: [v] });
      else inOrder.push({ given: g });
    }
  }
  const think = [...givens].reverse().find((g) => g.kind === "think");
  if (think) used.add(think);
  const faults = givens.filter((g): g is Extract<Given, { kind: "fault" }> => g.kind === "fault");
  const payments = givens.filter((g): g is Extract<Given, { kind: "payment" }> => g.kind === "payment");
  if (payments.length > 0) terminal.payments.next(...payments.map((p) => paymentOutcome(p.outcome)));
  const counts = new Map<RequestName, number>();
  const promptsSeen: string[] = [];
  let paymentsSeen = 0;

  const wrapped: SimulatorLike = {
    handle(request, context) {
      const { body, inner } = unwrap(request);
      const names = namesOfRequest(body, body === "AdminRequest" ? sessionType(inner) : undefined);
      for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
      for (const f of faults) {
        if (!names.includes(f.on.request)) continue;
        if (f.on.occurrence !== "every" && counts.get(f.on.request) !== f.on.occurrence) continue;
        used.add(f);
        terminal.faults.inject(simFault(f.fault), { times: 1, category: body as never });
      }
      // A card acquisition takes the next card outcome too: the card the shopper presents.
      if (body === "PaymentRequest" || body === "CardAcquisitionRequest") paymentsSeen++;
      if (body === "InputRequest" && inner && typeof inner === "object") scriptInput(inner);
      return simulator.handle(request, context);
    },
  };

  function scriptInput(inner: object): void {
    let screen: InputScreen;
    try {
      screen = describeInput(inner as never);
    } catch {
      return;
    }
    promptsSeen.push(screen.prompt);
    terminal.shopper.reset();
    if (think && think.kind === "think") terminal.shopper.thinkTime(think.ms);
    const rule = byPrompt.find((g) => g.prompt === screen.prompt || screen.texts.includes(g.prompt!));
    const next = rule ? { given: rule, value: rule.kind === "answer" ? rule.values : undefined } : inOrder.shift();
    if (!next) return;
    used.add(next.given);
    const answer = answerFor(next.given, next.value, screen);
    if ("problem" in answer)
      problems.push({ code: "answer-does-not-fit", message: answer.problem, span: next.given.span, hint: answer.hint });
    else terminal.shopper.answer(answer);
  }

  return {
    simulator: wrapped,
    problems(): GivenProblem[] {
      const out = [...problems];
      for (const g of byPrompt) {
        if (used.has(g)) continue;
        const near =
          didYouMean(g.prompt!, promptsSeen) ??
          promptsSeen.find(
            (p) =>
              p.toLowerCase().includes(g.prompt!.toLowerCase()) || g.prompt!.toLowerCase().includes(p.toLowerCase()),
          );
        out.push({
          code: "given-unused",
          message: `no input screen showed ${JSON.stringify(g.prompt)}`,
          span: g.span,
          hint:
            promptsSeen.length === 0
              ? "the flow showed no input screen"
              : near !== undefined
                ? `did you mean ${JSON.stringify(near)}?`
                : `the prompts were ${promptsSeen.map((p) => JSON.stringify(p)).join(", ")}`,
        });
      }
      const leftover = new Set(inOrder.map((e) => e.given));
      for (const g of leftover) {
        out.push({
          code: "given-unused",
          message: "more shopper answers than input screens",
          span: g.span,
          hint: `the flow showed ${promptsSeen.length} input screen${promptsSeen.length === 1 ? "" : "s"}`,
        });
      }
      if (payments.length > paymentsSeen) {
        out.push({
          code: "given-unused",
          message:
            `${payments.length} payment outcome${payments.length === 1 ? " is" : "s are"} given, ` +
            `the flow made ${paymentsSeen} payment${paymentsSeen === 1 ? "" : "s"} and card acquisitions`,
          span: payments[paymentsSeen].span,
        });
      }
      for (const f of faults) {
        if (used.has(f)) continue;
        const n = f.on.occurrence === "every" ? 1 : f.on.occurrence;
        out.push({
          code: "given-unused",
          message: `the fault never happened: the flow sent no ${ordinal(n)} ${describeRequest(f.on.request)}`,
          span: f.span,
          hint: `it sent ${counts.get(f.on.request) ?? 0}`,
        });
      }
      return out;
    },
  };
}

function ordinal(n: number): string {
  return n === 1
    ? ""
    : `${n}${n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : n % 10 === 1 && n % 100 !== 11 ? "st" : "th"}`;
}

/** The body key and body of a request envelope, whatever shape it came in. */
function unwrap(request: unknown): { body: string; inner: unknown } {
  const envelope = (request as { SaleToPOIRequest?: Record<string, unknown> })?.SaleToPOIRequest;
  if (!envelope || typeof envelope !== "object") return { body: "", inner: undefined };
  const body = Object.keys(envelope).find((k) => k !== "MessageHeader") ?? "";
  return { body, inner: envelope[body] };
}

function sessionType(inner: unknown): string | undefined {
  const text = (inner as { ServiceIdentification?: unknown })?.ServiceIdentification;
  if (typeof text !== "string") return undefined;
  const decoded = decodeBase64Json(text);
  const type = decoded.ok ? (decoded.value as { Session?: { Type?: unknown } })?.Session?.Type : undefined;
  return typeof type === "string" ? type : undefined;
}

export function simFault(f: Extract<Given, { kind: "fault" }>["fault"]): SimFault {
  switch (f.kind) {
    case "busy":
      return { kind: "busy" };
    case "drop":
      // The terminal handled the request and the answer was lost: the case a POS must recover from.
      return { kind: "drop", processed: true };
    case "delay":
      return { kind: "delay", ms: f.ms };
    case "http":
      return { kind: "http500" };
    default:
      return { kind: "malformed" };
  }
}

export function paymentOutcome(o: Extract<Given, { kind: "payment" }>["outcome"]): PaymentOutcomeLike {
  switch (o.kind) {
    case "approved":
      return o.brand ? { outcome: "approve", brand: o.brand } : "approve";
    case "partial":
      return { outcome: "partial", authorised: o.authorised, ...(o.brand ? { brand: o.brand } : {}) };
    case "cancelled":
      return "cancel";
    case "card-removed":
      return "cardRemoved";
    case "unanswered":
      return "noAnswer";
    default:
      return {
        outcome: "decline",
        errorCondition: o.errorCondition,
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
        ...(o.brand ? { brand: o.brand } : {}),
      };
  }
}

/** A scenario value as the simulator's written answer: numbers without leading zeros stay numbers (menu entries). */
export function shopperValue(v: Value): string | number | boolean {
  if (v.kind === "boolean") return v.value;
  if (v.kind === "number") return /^[1-9][0-9]*$/.test(v.text) ? Number(v.text) : v.text;
  // A shopper types the amount, not its currency.
  if (v.kind === "money") return v.text.split(" ")[0];
  return v.value;
}

/** The simulator answer a given makes on this screen, or why it does not fit. */
function answerFor(
  given: ShopperGiven,
  values: Value[] | undefined,
  screen: InputScreen,
): ShopperAnswer | { problem: string; hint?: string } {
  if (given.kind === "no-answer") return { noAnswer: true };
  if (given.kind === "cancel") return { cancel: true };
  const written = (values ?? []).map(shopperValue);
  const fitted = fitValue(screen, written.length === 1 ? written[0] : (written as Array<string | number>));
  return fitted.ok ? fitted.answer : { problem: fitted.message, hint: fitted.hint };
}
