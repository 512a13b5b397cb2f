/**
 * `termflow plan`: the checked step tree as the runtime will see it. Every value is shown resolved,
 * the way it goes on the wire: amounts computed from the params (given or default) in minor units
 * and wire decimals, loops over known lists once per item, durations in ms (and the seconds nexo
 * wants), the waiting screen each request gets, what each capture will hold. Amounts are computed
 * by the same evaluator as a run; what only a run knows (a capture) is shown as written.
 */
import pc from "picocolors";
import {
  analyseFlow,
  captureSpecOf,
  evaluate,
  formatMoney,
  handlersOf,
  isMoney,
  known as knownTyped,
  loopItems,
  payable,
  printExpression,
  printTemplate,
  repeatCount,
  textOf,
  toWireAmount,
  UNKNOWN_VALUE,
  type Duration,
  type Environment,
  type Expression,
  type Flow,
  type FlowAnalysis,
  type Handler,
  type InputKind,
  type Problem,
  type Reference,
  type RequestType,
  type SessionStep,
  type Step,
  type Typed,
  type Value,
  type CalledFlows,
  type CallStep,
  walkSteps,
} from "../../language/index.js";
import { bindParams, type ParamValue } from "../../runtime/index.js";
import { isSecretName, printable, REDACTED } from "../../protocol/index.js";

export interface PlanOptions {
  color?: boolean;
  /** Param values given on the command line (`--var name=value`), used in place of defaults. */
  vars?: ReadonlyMap<string, string>;
  /** Every param's value, typed (given or default; bindParams), for computing amounts. */
  values?: ReadonlyMap<string, Value>;
  /** The flows its `call` steps run (loadFlow's `called`): their steps are shown in place. */
  called?: CalledFlows;
}

/** One line of the tree: the source line it comes from, its text, and its children. */
interface PlanNode {
  line: number;
  /** The file of a called flow's line (`tip.flow:3` in the gutter); none for the planned file's own. */
  file?: string;
  text: string;
  children: PlanNode[];
}

type Colors = ReturnType<typeof pc.createColors>;

/** The nexo request type of each waiting-screen Operation (docs/protocol.md). */
const OPERATION_TYPE: Record<RequestType, string> = {
  input: "InputRequest",
  display: "DisplayRequest",
  payment: "Payment",
};

/** The screen (PredefinedContent ReferenceID) and InputCommand each input kind is sent as. */
const INPUT_SCREEN: Record<InputKind, [string, string]> = {
  confirm: ["GetConfirmation", "GetConfirmation"],
  signature: ["GetSignature", "GetConfirmation"],
  menu: ["MenuButtons", "GetMenuEntry"],
  digits: ["GetDigit", "DigitString"],
  phone: ["GetPhoneNumber", "DigitString"],
  amount: ["GetAmount", "DecimalString"],
  text: ["GetText", "TextString"],
};

/** The whole plan as text, ending with a newline. */
export function renderPlan(flow: Flow, file: string, options: PlanOptions = {}): string {
  const c = pc.createColors(options.color === true);
  const known = knownValues(flow, options.vars ?? new Map());
  const out: string[] = [];
  out.push(`${c.bold("plan")} ${printable(file)}${flow.name ? `: ${c.bold(printable(flow.name.value))}` : ""}`);
  if (flow.params.length > 0) {
    out.push(c.bold("params"));
    const width = Math.max(...flow.params.map((p) => p.name.name.length));
    for (const p of flow.params) {
      const name = p.name.name.padEnd(width);
      const given = options.vars?.get(p.name.name);
      const bound = options.values?.get(p.name.name);
      const shown = (text: string): string => (isSecretName(p.name.name) ? REDACTED : text);
      const type = p.type ? `${p.type.name} ` : "";
      // A typed value as the flow sees it (`86.45 EUR`, `4`); caller text as given.
      const givenText =
        bound !== undefined && (isMoney(bound) || typeof bound === "number" || typeof bound === "boolean")
          ? textOf(bound)
          : JSON.stringify(given);
      const value =
        given !== undefined
          ? `${type}${shown(givenText)} (from --var)`
          : p.default
            ? `${type}${shown(printExpression(p.default))} (default)`
            : c.yellow(`${type}required: give it with --var ${p.name.name}=...`);
      out.push(`  ${name}  ${value}`);
    }
  }
  const called = options.called ?? { flows: {}, links: {} };
  out.push(`${c.bold("requests")} ${requestSummary(flow, called)}`);
  out.push(c.bold("steps"));
  const context: PlanContext = {
    session: undefined,
    known,
    values: new Map(options.values ?? []),
    analysis: analyseFlow(flow),
    c,
    flow,
    called,
    callee: undefined,
  };
  const nodes = flow.steps.map((s) => stepNode(s, context));
  const lines = flatten(nodes);
  const place = (l: { line: number; file?: string }): string =>
    l.file ? `${basename(l.file)}:${l.line}` : String(l.line);
  const gutter = Math.max(1, ...lines.map((l) => place(l).length));
  for (const l of lines) out.push(`${c.dim(place(l).padStart(gutter + 2))}  ${c.dim(l.prefix)}${l.text}`);
  return `${out.join("\n")}\n`;
}

/** `shared/tip.flow` -> `tip.flow`, for the gutter. */
function basename(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}

/** The flow a call runs, with its file, when the loader followed it. */
function calleeOf(
  step: CallStep,
  context: { flow: Flow; called: CalledFlows },
): { file: string; flow: Flow } | undefined {
  const file = context.called.links[context.flow.span.file]?.[step.flow.value];
  const flow = file === undefined ? undefined : context.called.flows[file];
  return file === undefined || flow === undefined ? undefined : { file, flow };
}

/** Params with a value (given or default), as the text they interpolate to. */
function knownValues(flow: Flow, vars: ReadonlyMap<string, string>): Map<string, string> {
  const known = new Map<string, string>();
  for (const p of flow.params) {
    const given = vars.get(p.name.name);
    if (given !== undefined) known.set(p.name.name, given);
    else if (p.default) {
      const d = p.default;
      known.set(
        p.name.name,
        d.kind === "string-literal"
          ? d.value.value
          : d.kind === "number"
            ? d.text
            : d.kind === "money"
              ? printExpression(d)
              : String(d.value),
      );
    }
  }
  return known;
}

/** `1 session (Admin Begin + End), 2 inputs, 1 display, 1 payment; 1 local wait`, the called flows' included. */
function requestSummary(flow: Flow, called: CalledFlows): string {
  const counts = {
    session: 0,
    input: 0,
    display: 0,
    pay: 0,
    refund: 0,
    print: 0,
    acquire: 0,
    status: 0,
    wait: 0,
    expect: 0,
    if: 0,
    for: 0,
    repeat: 0,
    call: 0,
  };
  let handlers = 0;
  let retries = 0;
  const visit = (list: readonly Step[], from: Flow): void => {
    for (const s of list) {
      counts[s.kind]++;
      if (s.kind === "session" || s.kind === "for" || s.kind === "repeat") visit(s.steps, from);
      if (s.kind === "if") {
        visit(s.then, from);
        if (s.else) visit(s.else, from);
      }
      if (s.kind === "call") {
        const callee = calleeOf(s, { flow: from, called });
        if (callee) visit(callee.flow.steps, callee.flow);
      }
      for (const h of handlersOf(s)) {
        handlers++;
        if (h.retry) retries++;
        visit(h.steps, from);
      }
    }
  };
  visit(flow.steps, flow);
  const n = (count: number, word: string, plural = `${word}s`): string =>
    count === 0 ? "" : `${count} ${count === 1 ? word : plural}`;
  const requests = [
    counts.session ? `${n(counts.session, "session")} (Admin Begin + End)` : "",
    n(counts.input, "input"),
    n(counts.display, "display"),
    n(counts.pay, "payment"),
    n(counts.refund, "refund"),
    n(counts.print, "print"),
    counts.acquire ? `${n(counts.acquire, "card acquisition")} (charged by its payment, else released)` : "",
    n(counts.status, "status request"),
  ].filter(Boolean);
  const branches = [
    counts.if > 0 ? "every branch of each if" : "",
    counts.for + counts.repeat > 0 ? "each loop's body once" : "",
    handlers > 0 ? `each handler's steps once${retries > 0 ? " and no retry" : ""}` : "",
  ].filter(Boolean);
  const counting = branches.length > 0 ? `, counting ${branches.join(" and ")}` : "";
  return (
    (requests.length > 0 ? requests.join(", ") + counting : "none") +
    (counts.wait ? `; ${n(counts.wait, "local wait")}` : "")
  );
}

function ms(d: Duration): string {
  return `${d.ms} ms`;
}

/** `MaxInputTime 30 s`: nexo wants whole seconds; the checks make sure they are whole. */
function seconds(d: Duration): string {
  return `${d.ms / 1000} s`;
}

/** What the plan knows where a step sits: its session, the values of params and loop items. */
interface PlanContext {
  session: SessionStep | undefined;
  /** Values as text, for templates. */
  known: Map<string, string>;
  /** Values of params and loop items, for expressions. */
  values: Map<string, Value>;
  analysis: FlowAnalysis;
  c: Colors;
  /** The flow whose steps these are, and the flows it calls. */
  flow: Flow;
  called: CalledFlows;
  /** The file of a called flow (none for the planned file). */
  callee: string | undefined;
}

/** Evaluates with what the plan knows; the first rule broken is kept, not thrown. */
function planEvaluate(e: Expression, context: PlanContext): { typed: Typed; env: Environment; problems: Problem[] } {
  const problems: Problem[] = [];
  const env: Environment = {
    shortCircuit: false,
    problem: (p) => problems.push(p),
    lookUp: (ref: Reference): Typed => {
      const value = context.values.get(ref.name.name);
      if (value === undefined) return { type: context.analysis.typeOfName(ref.name.name) };
      let at: Value | undefined = value;
      for (const field of ref.fields) {
        at =
          at !== null && typeof at === "object" && !Array.isArray(at)
            ? (at as Record<string, Value>)[field.name]
            : undefined;
      }
      return at === undefined ? UNKNOWN_VALUE : knownTyped(at);
    },
  };
  return { typed: evaluate(e, env), env, problems };
}

/** `33.34 (3334 minor units)`; how a computed amount goes on the wire. */
function wireMoney(value: Value | undefined): string | undefined {
  return isMoney(value) ? `${toWireAmount(value.minor, value.currency)} (${value.minor} minor units)` : undefined;
}

/** A step, with its handlers under it. */
function stepNode(step: Step, context: PlanContext): PlanNode {
  const node = stepNodeIn(step, context);
  return context.callee === undefined ? node : inFile(node, context.callee);
}

/** The node and its children, as lines of a called file (the call's own children are marked already). */
function inFile(node: PlanNode, file: string): PlanNode {
  return node.file ? node : { ...node, file, children: node.children.map((child) => inFile(child, file)) };
}

/** A step of the file being planned, with its handlers under it. */
function stepNodeIn(step: Step, context: PlanContext): PlanNode {
  const node = ownNode(step, context);
  for (const handler of handlersOf(step)) node.children.push(handlerNode(handler, step, context));
  return node;
}

/** `on declined  retry: the step again, at most 1 more time` and the handler's steps. */
function handlerNode(handler: Handler, step: Step, context: PlanContext): PlanNode {
  const { c, known } = context;
  const outcome = handler.outcome.name;
  const when: Record<Handler["outcome"]["name"], string> = {
    declined: "when it is declined",
    refused: "when it is refused",
    cancelled: "when it is cancelled",
    timeout: "when it times out",
    failed: "when it fails",
    failure: "any failure not handled above",
  };
  const what: string[] = [when[outcome]];
  if (handler.use) what.push(`the answer is ${printExpression(handler.use, known)}`);
  if (handler.steps.length > 0) what.push("these steps");
  if (handler.retry) {
    const times = `${handler.retry.count} more time${handler.retry.count === 1 ? "" : "s"}`;
    what.push(
      step.kind === "pay"
        ? `then the PaymentRequest again, at most ${times}, only after a known decline or failure`
        : `then the step again, at most ${times}`,
    );
  } else what.push("then the flow goes on");
  return {
    line: handler.span.start.line,
    text: `${c.bold(c.cyan(`on ${outcome}`))}  ${c.dim(what.join(", "))}`,
    children: handler.steps.map((s) => stepNode(s, context)),
  };
}

function ownNode(step: Step, context: PlanContext): PlanNode {
  const { session, known, c } = context;
  const line = step.span.start.line;
  const keyword = (word: string): string => c.bold(c.cyan(word));
  const wire = (text: string): string => c.dim(text);
  const capture = (): string => {
    const spec = captureSpecOf(step);
    if (!spec || !("as" in step) || !step.as) return "";
    const type = spec?.type;
    const fields = type?.kind === "record" ? `{${Object.keys(type.fields).join(", ")}}` : (type?.kind ?? "");
    return `  ${c.green(`→ ${step.as.name}`)} ${c.dim(fields)}`;
  };
  const waiting = (request: RequestType, when: string): string => {
    const screen = session?.waiting.find((w) => w.request === request);
    return screen ? `  ${c.magenta(`then waiting screen ${ms(screen.timeout)} ${when}`)}` : "";
  };

  switch (step.kind) {
    case "session": {
      const id = step.id ? `Session.Id ${printTemplate(step.id, known)}` : "Session.Id generated at run time";
      const operations = step.waiting.map((w) => `${OPERATION_TYPE[w.request]} ${ms(w.timeout)}`).join(", ");
      const begin: PlanNode = {
        line,
        text: `${keyword("Admin Begin")}  ${wire(`waiting screens: ${operations}`)}`,
        children: [],
      };
      const end: PlanNode = {
        line: step.span.end.line,
        text: `${keyword("Admin End")}  ${wire("always sent once Begin succeeded")}`,
        children: [],
      };
      const inner = step.steps.map((s) => stepNode(s, { ...context, session: step }));
      return { line, text: `${keyword("session")}  ${wire(id)}`, children: [begin, ...inner, end] };
    }
    case "input": {
      const [screen, command] = INPUT_SCREEN[step.input];
      const entries = step.entries ? ` [${step.entries.map((e) => printTemplate(e, known)).join(", ")}]` : "";
      const within = step.within ? `, MaxInputTime ${seconds(step.within)}` : "";
      const text = `${keyword("input")} ${step.input} ${printTemplate(step.prompt, known)}${entries}  ${wire(`InputRequest ${screen}/${command}${within}`)}`;
      return { line, text: text + capture() + waiting("input", "after the answer"), children: [] };
    }
    case "display": {
      const minimum = step.for ? `, MinimumDisplayTime ${seconds(step.for)}` : "";
      const shown = step.content.kind === "idle" ? "idle" : printTemplate(step.content.text, known);
      const what = step.content.kind === "idle" ? "DisplayRequest back to the idle screen" : "DisplayRequest";
      return {
        line,
        text: `${keyword("display")} ${shown}  ${wire(what + minimum)}${waiting("display", "after it is shown")}`,
        children: [],
      };
    }
    case "pay": {
      // The amounts as the run will compute them, from the params' values and the loop's item.
      const amount = planEvaluate(step.amount, context);
      const amountValue = payable("amount", step.amount, amount.typed, undefined, amount.env).value;
      const currency = isMoney(amountValue) ? amountValue.currency : undefined;
      const tip = step.tip ? planEvaluate(step.tip, context) : undefined;
      const tipValue = step.tip && tip ? payable("tip", step.tip, tip.typed, currency, tip.env).value : undefined;
      const problem = [...amount.problems, ...(tip?.problems ?? [])][0];
      const shown = (e: Expression, value: Value | undefined): string =>
        isMoney(value)
          ? e.kind === "money"
            ? formatMoney(value)
            : `${printExpression(e, known)} = ${formatMoney(value)}`
          : printExpression(e, known);
      const onWire = (e: Expression, value: Value | undefined): string =>
        wireMoney(value) ?? `computed at run time from \`${printExpression(e, known)}\``;
      const tipText = step.tip ? ` tip ${shown(step.tip, tipValue)}` : "";
      const wireTip = step.tip ? `, TipAmount ${onWire(step.tip, tipValue)}` : "";
      const ref = step.ref ? `TransactionID ${printTemplate(step.ref, known)}` : "TransactionID generated at run time";
      const wireCurrency = currency ? `Currency ${currency}, ` : "";
      const continues = step.with ? `, CardAcquisitionReference of ${step.with.name.name}` : "";
      const limit = step.within ? `; after ${ms(step.within)} AbortRequest, then TransactionStatus until settled` : "";
      const request = `PaymentRequest ${wireCurrency}RequestedAmount ${onWire(step.amount, amountValue)}${wireTip}`;
      const text = `${keyword("pay")} ${shown(step.amount, amountValue)}${tipText}  ${wire(`${request}, ${ref}${continues}${limit}`)}`;
      const fails = problem ? `  ${c.red(`✗ with these params the run fails here: ${problem.message}`)}` : "";
      return { line, text: text + capture() + waiting("payment", "after it completes") + fails, children: [] };
    }
    case "refund": {
      const amount = step.amount ? planEvaluate(step.amount, context) : undefined;
      const value = amount?.typed.value;
      const shown = step.amount ? ` ${printExpression(step.amount, known)}` : "";
      const request = step.payment
        ? `ReversalRequest of ${step.payment.name.name}'s POITransactionID` +
          (step.amount ? `, ReversedAmount ${wireMoney(value) ?? "computed at run time"}` : ", its whole amount")
        : `PaymentRequest PaymentType Refund, RequestedAmount ${wireMoney(value) ?? "computed at run time"}`;
      const who = step.payment ? ` ${step.payment.name.name}` : "";
      return { line, text: `${keyword("refund")}${who}${shown}  ${wire(request)}${capture()}`, children: [] };
    }
    case "print": {
      const content = step.content;
      const text =
        content.kind === "receipt"
          ? `receipt ${content.payment.name.name}${content.copy === "cashier" ? " cashier" : ""}  ` +
            wire(
              `PrintRequest ${content.copy === "cashier" ? "CashierReceipt" : "CustomerReceipt"} of the payment's receipt`,
            )
          : `${content.lines.map((l) => printTemplate(l, known)).join(" ")}  ${wire("PrintRequest Document")}`;
      return { line, text: `${keyword("print")} ${text}${capture()}`, children: [] };
    }
    case "acquire": {
      const within = step.within ? `; AbortRequest after ${ms(step.within)}` : "";
      return {
        line,
        text:
          `${keyword("acquire")} card  ` +
          wire(
            `CardAcquisitionRequest${within}; released (EnableService AbortTransaction) unless a payment continues it`,
          ) +
          capture(),
        children: [],
      };
    }
    case "status":
      return {
        line,
        text: `${keyword("status")} ${step.payment.name.name}  ${wire("TransactionStatusRequest of the payment's ServiceID")}${capture()}`,
        children: [],
      };
    case "call":
      return callNode(step, context, keyword);
    case "wait":
      return {
        line,
        text: `${keyword("wait")} ${ms(step.duration)}  ${wire("local pause, no request")}`,
        children: [],
      };
    case "expect":
      return {
        line,
        text: `${keyword("expect")} ${printExpression(step.condition, known)}  ${wire("fails the flow when false")}`,
        children: [],
      };
    case "for":
    case "repeat":
      return loopNode(step, context, keyword);
    case "if": {
      const then: PlanNode = {
        line,
        text: keyword("then"),
        children: step.then.map((s) => stepNode(s, context)),
      };
      const branches = [then];
      if (step.else) {
        const elseLine = step.else[0]?.span.start.line ?? step.span.end.line;
        branches.push({
          line: elseLine,
          text: keyword("else"),
          children: step.else.map((s) => stepNode(s, context)),
        });
      }
      return { line, text: `${keyword("if")} ${printExpression(step.condition, known)}`, children: branches };
    }
  }
}

/**
 * A loop: once per item when the list is known (`split(total, guests)` with the params' values),
 * else its body once, as written.
 */
function loopNode(
  step: Extract<Step, { kind: "for" | "repeat" }>,
  context: PlanContext,
  keyword: (w: string) => string,
): PlanNode {
  const { c, known } = context;
  const line = step.span.start.line;
  const header =
    step.kind === "for"
      ? `${keyword("for")} ${step.variable.name} in ${printExpression(step.over, known)}`
      : `${keyword("repeat")} ${printExpression(step.count, known)} times`;
  const { typed, env, problems } = planEvaluate(step.kind === "for" ? step.over : step.count, context);
  const list = step.kind === "for" ? loopItems(step.over, typed, env) : repeatCount(step.count, typed, env);
  const items: Value[] | undefined = Array.isArray(list.value)
    ? [...list.value]
    : typeof list.value === "number"
      ? Array.from({ length: list.value }, (_, i) => i + 1)
      : undefined;
  if (problems.length > 0) {
    return {
      line,
      text: `${header}  ${c.red(`✗ with these params the run fails here: ${problems[0].message}`)}`,
      children: [],
    };
  }
  if (!items) {
    const body = step.steps.map((s) => stepNode(s, context));
    return {
      line,
      text: `${header}  ${c.dim("the number of times is known at run time; its steps once:")}`,
      children: body,
    };
  }
  const name = step.kind === "for" ? step.variable.name : undefined;
  const children = items.map((item, i): PlanNode => {
    const inner: PlanContext =
      name === undefined
        ? context
        : {
            ...context,
            values: new Map(context.values).set(name, item),
            known: new Map(known).set(name, textOf(item)),
          };
    const what = name === undefined ? "" : ` ${name} = ${textOf(item)}`;
    return { line, text: c.bold(`#${i + 1}${what}`), children: step.steps.map((s) => stepNode(s, inner)) };
  });
  const times = `${items.length} time${items.length === 1 ? "" : "s"}`;
  return { line, text: `${header}  ${c.dim(times)}`, children };
}

/**
 * A call: the called file, each param's value as the call computes it (or its default), and the
 * called flow's steps in place, planned with those values, inside the caller's session if any.
 */
function callNode(step: CallStep, context: PlanContext, keyword: (w: string) => string): PlanNode {
  const { c, known } = context;
  const line = step.span.start.line;
  const callee = calleeOf(step, context);
  const what = `${keyword("call")} ${printable(step.flow.value)}`;
  if (!callee) return { line, text: `${what}  ${c.dim("not loaded")}`, children: [] };
  // Bound as a run binds them (types, currencies, defaults), from what the plan knows of the values.
  const given: Record<string, ParamValue> = {};
  for (const arg of step.with) {
    const value = planEvaluate(arg.value, context).typed.value;
    if (value !== undefined) given[arg.name.name] = value as ParamValue;
  }
  const values = new Map(bindParams(callee.flow, given).values);
  const texts = new Map([...values].map(([name, value]) => [name, textOf(value)]));
  const shown = callee.flow.params.map((param) => {
    const name = param.name.name;
    const arg = step.with.find((a) => a.name.name === name);
    const value = values.get(name);
    const written = arg ? printExpression(arg.value, known) : undefined;
    if (isSecretName(name)) return `${name} = ${REDACTED}`;
    if (value === undefined) return `${name} = ${written ?? "no value"}`;
    const from = !arg ? " (default)" : written !== textOf(value) ? ` (${written})` : "";
    return `${name} = ${textOf(value)}${from}`;
  });
  const names = new Set<string>();
  walkSteps(callee.flow.steps, (s) => {
    if ("as" in s && s.as) names.add(s.as.name);
  });
  const captures = step.as ? `  ${c.green(`→ ${step.as.name}`)} ${c.dim(`{${[...names].join(", ")}}`)}` : "";
  const inner: PlanContext = {
    ...context,
    known: texts,
    values,
    analysis: analyseFlow(callee.flow),
    flow: callee.flow,
    callee: callee.file,
  };
  const title = callee.flow.name ? `${c.bold(printable(callee.flow.name.value))}` : "";
  const params = shown.length > 0 ? `  ${c.dim(`with ${shown.join(", ")}`)}` : "";
  return {
    line,
    text: `${what}${title ? ` ${title}` : ""}${params}${captures}`,
    children: callee.flow.steps.map((s) => stepNode(s, inner)),
  };
}

/** The tree as lines with `├─ │ └─` prefixes; top-level steps have none. */
function flatten(nodes: readonly PlanNode[]): { line: number; file?: string; prefix: string; text: string }[] {
  const out: { line: number; file?: string; prefix: string; text: string }[] = [];
  const visit = (node: PlanNode, prefix: string, childPrefix: string): void => {
    out.push({ line: node.line, ...(node.file ? { file: node.file } : {}), prefix, text: node.text });
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      visit(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
    });
  };
  for (const node of nodes) visit(node, "", "");
  return out;
}
