/**
 * The static analysis every check pass shares, made once per flow by checkFlow: the Typed of any
 * expression (its type and, where the source fixes it, its value) and the rules they break, found
 * by the one evaluator (values/evaluate.ts) a run uses too. Passes report the problems of their
 * own codes; none evaluates anything itself.
 *
 * Names are typed by their declarations, whatever the order of steps (the name pass reports use
 * before capture): a param by its type or default, a capture by its step (a payment's amounts in
 * the payment's currency), a loop item by what the loop goes over. A name declared several times
 * with different types is of unknown type.
 */
import {
  type CallStep,
  handlersOf,
  type Expression,
  type Flow,
  type InputStep,
  type Reference,
  type Step,
  type Template,
  walkSteps,
} from "../ast.js";
import { isKnownCurrency } from "../money.js";
import { evaluate, renderTemplate } from "../values/evaluate.js";
import { type Environment, loopItems, payable, type Problem, repeatCount } from "../values/rules.js";
import { moneyType, sameType, type Type, type Typed, UNKNOWN, UNKNOWN_VALUE } from "../values/types.js";
import { addStepBindings, lookUpFields, paramBindingsByName, type Binding } from "./bindings.js";
import type { CalledFlow, CallResolver } from "./capture-fields.js";

export interface FlowAnalysis {
  /**
   * The Typed of an expression of the flow, evaluated when asked: an expression's Typed depends on
   * the names' types only, and a table of every node's was most of the checks' memory on a large flow.
   */
  typed(e: Expression | undefined): Typed | undefined;
  /** Every rule broken, in the order the analysis met them. */
  readonly problems: readonly Problem[];
  /** The type a name has where it is used (UNKNOWN for an unknown name). */
  typeOfName(name: string): Type;
  /** The currency of an `input amount` answer: its `in`, or the flow's one currency; undefined when neither says. */
  inputCurrency(step: InputStep): string | undefined;
  /** Every binding by name (bindings.ts), made once for every pass. */
  readonly bindings: ReadonlyMap<string, Binding[]>;
  /** The flow a `call` runs, when the program loader followed it (language/calls/); undefined alone. */
  calledFlow(step: CallStep): CalledFlow | undefined;
}

/** Analyses a (possibly partial) flow; `calls` says what its `call` steps run. */
export function analyseFlow(flow: Flow, calls?: CallResolver): FlowAnalysis {
  // What needs no evaluation is read in one walk.
  const bindings = paramBindingsByName(flow);
  const currencies = new Set<string>();
  noteParamCurrencies(flow, currencies);
  walkSteps(flow.steps, (step) => {
    addStepBindings(bindings, step, calls);
    noteStepCurrencies(step, currencies);
  });
  const flowCurrency = theOne(currencies);

  const problems: Problem[] = [];
  const bindingTypes = new Map<Binding, Type>();
  /** A name's bindings and its Typed where it is used without fields: one lookup a use. */
  const names = new Map<string, { all: readonly Binding[]; typed: Typed }>();

  const env: Environment = {
    shortCircuit: false,
    problem: (p) => problems.push(p),
    lookUp: (ref: Reference): Typed => {
      const { all, typed } = nameOf(ref?.name?.name);
      if (all.length === 0) return UNKNOWN_VALUE;
      const fields = ref.fields;
      if (fields.length === 0) return typed;
      const found = lookUpFields(all[0], fields, typed.type);
      return found.problem ? UNKNOWN_VALUE : found;
    },
  };

  const run = (e: Expression | undefined): Typed => (e ? evaluate(e, env) : UNKNOWN_VALUE);
  const template = (t: Template | undefined): void => {
    if (t && Array.isArray(t.parts)) renderTemplate(t, env);
  };

  const inputCurrency = (step: InputStep): string | undefined => {
    const code = step.currency?.code;
    if (typeof code === "string") return isKnownCurrency(code) ? code : undefined;
    return flowCurrency;
  };

  /** Evaluates what a step computes itself: once, in walkSteps order. */
  const visit = (step: Step): void => {
    for (const handler of handlersOf(step)) if (handler.use) run(handler.use);
    switch (step.kind) {
      case "session":
        template(step.id);
        return;
      case "input":
        template(step.prompt);
        for (const entry of step.entries ?? []) template(entry);
        return;
      case "display":
        if (step.content?.kind === "text") template(step.content.text);
        return;
      case "pay": {
        const amount = step.amount ? payable("amount", step.amount, run(step.amount), undefined, env) : UNKNOWN_VALUE;
        const currency = amount.type.kind === "money" ? amount.type.currency : undefined;
        if (step.tip) payable("tip", step.tip, run(step.tip), currency, env);
        template(step.ref);
        return;
      }
      case "refund":
        if (step.amount) payable("refund", step.amount, run(step.amount), paymentCurrency(step.payment), env);
        return;
      case "print":
        if (step.content?.kind === "lines") for (const line of step.content.lines) template(line);
        return;
      case "acquire":
      case "status":
        return;
      case "call":
        for (const arg of step.with) run(arg.value);
        return;
      case "expect":
      case "if":
        run(step.condition);
        return;
      case "for":
        if (step.over) loopItems(step.over, run(step.over), env);
        return;
      case "repeat":
        if (step.count) repeatCount(step.count, run(step.count), env);
        return;
      case "wait":
        return;
    }
  };

  /** Evaluates without reporting: the walk reports each problem once, where it meets it. */
  const quiet: Environment = { shortCircuit: false, problem: () => {}, lookUp: env.lookUp };
  const typed = (e: Expression | undefined): Typed | undefined => (e ? evaluate(e, quiet) : undefined);

  /** A binding's type, refined by what its declaring step computes. */
  const bindingType = (b: Binding): Type => {
    const cached = bindingTypes.get(b);
    if (cached) return cached;
    // A name used in its own declaration (`pay p.amount as p`) keeps its declared type.
    bindingTypes.set(b, b.type);
    let type = b.type;
    const step = b.declaration;
    if (b.origin !== "param" && "kind" in step) {
      if (step.kind === "pay") type = payCaptureType(b.type, typed(step.amount));
      else if (step.kind === "refund") {
        const currency = typed(step.amount);
        type = moneyFields(
          b.type,
          currency?.type.kind === "money" ? currency.type.currency : paymentCurrency(step.payment),
          ["amount"],
        );
      } else if (step.kind === "status") type = paymentTypeOf(step.payment) ?? type;
      else if (step.kind === "input" && step.input === "amount") type = moneyType(inputCurrency(step));
      else if (step.kind === "for") {
        const over = typed(step.over);
        type = over?.type.kind === "list" ? over.type.of : UNKNOWN;
      }
    }
    bindingTypes.set(b, type);
    return type;
  };

  /** The type of the payment capture a step refers to (`refund p`), when `p` is one. */
  const paymentTypeOf = (ref: Reference | undefined): Type | undefined => {
    if (!ref) return undefined;
    const type = typeOfName(ref.name.name);
    return type.kind === "record" && Object.hasOwn(type.fields, "declineReason") ? type : undefined;
  };
  const paymentCurrency = (ref: Reference | undefined): string | undefined => {
    const amount = paymentTypeOf(ref);
    const field = amount?.kind === "record" ? amount.fields.amount?.type : undefined;
    return field?.kind === "money" ? field.currency : undefined;
  };

  const nameOf = (name: string): { all: readonly Binding[]; typed: Typed } => {
    const cached = names.get(name);
    if (cached) return cached;
    const all = bindings.get(name) ?? [];
    const entry = { all, typed: all.length === 0 ? UNKNOWN_VALUE : { type: merge(all.map(bindingType)) } };
    names.set(name, entry);
    return entry;
  };
  const typeOfName = (name: string): Type => nameOf(name).typed.type;

  walkSteps(flow.steps, visit);
  return { typed, problems, typeOfName, inputCurrency, bindings, calledFlow: (step) => calls?.(step) };
}

/** The record of `pay ... as p` with `amount` and `tip` in the payment's currency. */
function payCaptureType(declared: Type, amount: Typed | undefined): Type {
  const currency = amount?.type.kind === "money" ? amount.type.currency : undefined;
  return moneyFields(declared, currency, ["amount", "tip"]);
}

/**
 * A capture's record with its money `fields` in `currency`, when it is known: one object for each
 * record and currency, so that every payment in EUR has the same type (compared at once).
 */
function moneyFields(declared: Type, currency: string | undefined, fields: readonly string[]): Type {
  if (declared.kind !== "record" || currency === undefined) return declared;
  const key = `${currency} ${fields.join(" ")}`;
  let made = REFINED.get(declared);
  if (!made) {
    made = new Map();
    REFINED.set(declared, made);
  }
  const cached = made.get(key);
  if (cached) return cached;
  const money = moneyType(currency);
  const out = { ...declared.fields };
  for (const f of fields) out[f] = { ...declared.fields[f], type: money };
  const refined: Type = { ...declared, fields: out };
  made.set(key, refined);
  return refined;
}

/** moneyFields' records, by the declared record: a few capture kinds times the currencies in use. */
const REFINED = new WeakMap<Type, Map<string, Type>>();

/** One type for a name declared several times: theirs when they agree, else unknown (amounts: of unknown currency). */
function merge(types: readonly Type[]): Type {
  if (types.length === 0) return UNKNOWN;
  const first = types[0];
  if (types.every((t) => sameType(t, first))) return first;
  if (types.every((t) => t.kind === "money")) return moneyType(undefined);
  return UNKNOWN;
}

/**
 * The flow's one currency, for `input amount` without `in`: the currency of every amount written in
 * the flow (money literals, param defaults, other inputs' `in`), when there is exactly one.
 */
export function onlyCurrency(flow: Flow): string | undefined {
  const codes = new Set<string>();
  noteParamCurrencies(flow, codes);
  walkSteps(flow.steps, (step) => noteStepCurrencies(step, codes));
  return theOne(codes);
}

function theOne(codes: ReadonlySet<string>): string | undefined {
  return codes.size === 1 ? [...codes][0] : undefined;
}

/** onlyCurrency's notes of the params' defaults. */
function noteParamCurrencies(flow: Flow, codes: Set<string>): void {
  for (const p of flow.params) if (p.default?.kind === "money") noteCurrency(p.default.currency?.code, codes);
}

/** onlyCurrency's notes of one step (not its child steps). */
function noteStepCurrencies(step: Step, codes: Set<string>): void {
  if (step.kind === "pay") {
    noteCurrencies(step.amount, codes);
    noteCurrencies(step.tip, codes);
  } else if (step.kind === "refund") noteCurrencies(step.amount, codes);
  else if (step.kind === "input") noteCurrency(step.currency?.code, codes);
  else if (step.kind === "expect" || step.kind === "if") noteCurrencies(step.condition, codes);
  else if (step.kind === "for") noteCurrencies(step.over, codes);
  else if (step.kind === "repeat") noteCurrencies(step.count, codes);
  else if (step.kind === "call") for (const arg of step.with) noteCurrencies(arg.value, codes);
}

function noteCurrency(code: unknown, codes: Set<string>): void {
  if (typeof code === "string" && isKnownCurrency(code)) codes.add(code);
}

function noteCurrencies(e: Expression | undefined, codes: Set<string>): void {
  if (!e) return;
  switch (e.kind) {
    case "money":
      noteCurrency(e.currency?.code, codes);
      return;
    case "unary":
      noteCurrencies(e.operand, codes);
      return;
    case "binary":
      noteCurrencies(e.left, codes);
      noteCurrencies(e.right, codes);
      return;
    case "call":
      for (const a of e.args) noteCurrencies(a, codes);
      return;
    case "range":
      noteCurrencies(e.from, codes);
      noteCurrencies(e.to, codes);
      return;
    default:
      return;
  }
}
