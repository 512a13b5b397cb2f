/**
 * The static analysis every check pass shares, made once per flow by checkFlow: the Typed of every
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
  type Expression,
  type Flow,
  type InputStep,
  type MoneyLiteral,
  type Reference,
  type Step,
  type Template,
  walkSteps,
} from "../ast.js";
import { isKnownCurrency } from "../money.js";
import { evaluate, renderTemplate } from "../values/evaluate.js";
import { type Environment, loopItems, payable, type Problem, repeatCount } from "../values/rules.js";
import { moneyType, sameType, type Type, type Typed, UNKNOWN, UNKNOWN_VALUE } from "../values/types.js";
import { bindingsByName, lookUpFields, type Binding } from "./bindings.js";
import type { CalledFlow, CallResolver } from "./capture-fields.js";
import { forEachExpressionOf } from "./walk.js";

export interface FlowAnalysis {
  /** The Typed of an expression of the flow (every node the evaluator reached). */
  typed(e: Expression): Typed | undefined;
  /** Every rule broken, in the order the analysis met them. */
  readonly problems: readonly Problem[];
  /** The type a name has where it is used (UNKNOWN for an unknown name). */
  typeOfName(name: string): Type;
  /** The currency of an `input amount` answer: its `in`, or the flow's one currency; undefined when neither says. */
  inputCurrency(step: InputStep): string | undefined;
  /** Every binding by name (bindings.ts), made once for every pass. */
  readonly bindings: ReadonlyMap<string, Binding[]>;
  /** Every amount written in the flow (`12.50 EUR`), with the step it is in (none for a param's default). */
  readonly moneyLiterals: readonly { literal: MoneyLiteral; step: Step | undefined }[];
  /** The flow a `call` runs, when the program loader followed it (language/calls/); undefined alone. */
  calledFlow(step: CallStep): CalledFlow | undefined;
}

/** Analyses a (possibly partial) flow; `calls` says what its `call` steps run. */
export function analyseFlow(flow: Flow, calls?: CallResolver): FlowAnalysis {
  const bindings = bindingsByName(flow, calls);
  const typedOf = new Map<Expression, Typed>();
  const problems: Problem[] = [];
  const visited = new Set<Step>();
  const bindingTypes = new Map<Binding, Type>();
  const inProgress = new Set<Binding>();
  const nameTypes = new Map<string, Type>();
  const flowCurrency = onlyCurrency(flow);

  const env: Environment = {
    shortCircuit: false,
    problem: (p) => problems.push(p),
    lookUp: (ref: Reference): Typed => {
      const all = bindings.get(ref?.name?.name) ?? [];
      if (all.length === 0) return UNKNOWN_VALUE;
      const type = typeOfName(ref.name.name);
      const fields = ref.fields;
      if (fields.length === 0) return { type };
      const found = lookUpFields(all[0], fields, type);
      if (found.problem) return UNKNOWN_VALUE;
      return found.values ? { type: found.type, values: found.values } : { type: found.type };
    },
  };

  const run = (e: Expression | undefined): Typed =>
    e ? evaluate(e, env, (node, typed) => typedOf.set(node, typed)) : UNKNOWN_VALUE;
  const template = (t: Template | undefined): void => {
    if (t && Array.isArray(t.parts)) renderTemplate(t, env);
  };

  const inputCurrency = (step: InputStep): string | undefined => {
    const code = step.currency?.code;
    if (typeof code === "string") return isKnownCurrency(code) ? code : undefined;
    return flowCurrency;
  };

  /** Evaluates what a step computes itself, once. */
  const visit = (step: Step): void => {
    if (visited.has(step)) return;
    visited.add(step);
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

  /** A binding's type, refined by what its declaring step computes. */
  const bindingType = (b: Binding): Type => {
    const cached = bindingTypes.get(b);
    if (cached) return cached;
    // A name used in its own declaration (`pay p.amount as p`) keeps its declared type.
    if (inProgress.has(b)) return b.type;
    inProgress.add(b);
    let type = b.type;
    const step = b.declaration;
    if (b.origin !== "param" && "kind" in step) {
      visit(step as Step);
      if (step.kind === "pay") type = payCaptureType(b.type, typedOf.get(step.amount));
      else if (step.kind === "refund") {
        const currency = step.amount ? typedOf.get(step.amount) : undefined;
        type = moneyFields(
          b.type,
          currency?.type.kind === "money" ? currency.type.currency : paymentCurrency(step.payment),
          ["amount"],
        );
      } else if (step.kind === "status") type = paymentTypeOf(step.payment) ?? type;
      else if (step.kind === "input" && step.input === "amount") type = moneyType(inputCurrency(step));
      else if (step.kind === "for") {
        const over = step.over ? typedOf.get(step.over) : undefined;
        type = over?.type.kind === "list" ? over.type.of : UNKNOWN;
      }
    }
    inProgress.delete(b);
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

  const typeOfName = (name: string): Type => {
    const cached = nameTypes.get(name);
    if (cached) return cached;
    const all = bindings.get(name) ?? [];
    const type = merge(all.map(bindingType));
    nameTypes.set(name, type);
    return type;
  };

  walkSteps(flow.steps, visit);
  const moneyLiterals: { literal: MoneyLiteral; step: Step | undefined }[] = [];
  forEachExpressionOf(flow, (e, step) => {
    if (e.kind === "money") moneyLiterals.push({ literal: e, step });
  });
  return {
    typed: (e) => typedOf.get(e),
    problems,
    typeOfName,
    inputCurrency,
    bindings,
    moneyLiterals,
    calledFlow: (step) => calls?.(step),
  };
}

/** The record of `pay ... as p` with `amount` and `tip` in the payment's currency. */
function payCaptureType(declared: Type, amount: Typed | undefined): Type {
  const currency = amount?.type.kind === "money" ? amount.type.currency : undefined;
  return moneyFields(declared, currency, ["amount", "tip"]);
}

/** A capture's record with its money `fields` in `currency`, when it is known. */
function moneyFields(declared: Type, currency: string | undefined, fields: readonly string[]): Type {
  if (declared.kind !== "record" || currency === undefined) return declared;
  const money = moneyType(currency);
  const out = { ...declared.fields };
  for (const f of fields) out[f] = { ...declared.fields[f], type: money };
  return { ...declared, fields: out };
}

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
  const note = (code: unknown): void => {
    if (typeof code === "string" && isKnownCurrency(code)) codes.add(code);
  };
  const expression = (e: Expression | undefined): void => {
    if (!e) return;
    switch (e.kind) {
      case "money":
        note(e.currency?.code);
        return;
      case "unary":
        expression(e.operand);
        return;
      case "binary":
        expression(e.left);
        expression(e.right);
        return;
      case "call":
        for (const a of e.args) expression(a);
        return;
      case "range":
        expression(e.from);
        expression(e.to);
        return;
      default:
        return;
    }
  };
  for (const p of flow.params) if (p.default?.kind === "money") note(p.default.currency?.code);
  walkSteps(flow.steps, (step) => {
    if (step.kind === "pay") {
      expression(step.amount);
      expression(step.tip);
    } else if (step.kind === "refund") expression(step.amount);
    else if (step.kind === "input") note(step.currency?.code);
    else if (step.kind === "expect" || step.kind === "if") expression(step.condition);
    else if (step.kind === "for") expression(step.over);
    else if (step.kind === "repeat") expression(step.count);
    else if (step.kind === "call") for (const arg of step.with) expression(arg.value);
  });
  return codes.size === 1 ? [...codes][0] : undefined;
}
