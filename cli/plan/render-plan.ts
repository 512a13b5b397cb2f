/**
 * `termflow plan`: the checked step tree as the runtime will see it. Every value is shown resolved,
 * the way it goes on the wire: amounts in minor units and wire decimals, durations in ms (and the
 * seconds nexo wants), the waiting screen each request gets, what each capture will hold.
 */
import pc from "picocolors";
import {
  captureSpecOf,
  formatMinorUnits,
  printExpression,
  printTemplate,
  toWireAmount,
  type Duration,
  type Flow,
  type InputKind,
  type KnownValues,
  type RequestType,
  type SessionStep,
  type Step,
} from "../../language/index.js";
import { isSecretName, printable, REDACTED } from "../../protocol/index.js";

export interface PlanOptions {
  color?: boolean;
  /** Param values given on the command line (`--var name=value`), used in place of defaults. */
  vars?: ReadonlyMap<string, string>;
}

/** One line of the tree: the source line it comes from, its text, and its children. */
interface PlanNode {
  line: number;
  text: string;
  children: PlanNode[];
}

type Colors = ReturnType<typeof pc.createColors>;

/** The nexo request type of each waiting-screen Operation (protocol.md). */
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
      const shown = (text: string): string => (isSecretName(p.name.name) ? REDACTED : text);
      const value =
        given !== undefined
          ? `${shown(JSON.stringify(given))} (from --var)`
          : p.default
            ? `${shown(printExpression(p.default))} (default)`
            : c.yellow(`required: give it with --var ${p.name.name}=...`);
      out.push(`  ${name}  ${value}`);
    }
  }
  out.push(`${c.bold("requests")} ${requestSummary(flow.steps)}`);
  out.push(c.bold("steps"));
  const nodes = flow.steps.map((s) => stepNode(s, undefined, known, c));
  const lines = flatten(nodes);
  const gutter = Math.max(1, ...lines.map((l) => String(l.line).length));
  for (const l of lines) out.push(`${c.dim(String(l.line).padStart(gutter + 2))}  ${c.dim(l.prefix)}${l.text}`);
  return `${out.join("\n")}\n`;
}

/** Params with a value (given or default), as the text they interpolate to. */
function knownValues(flow: Flow, vars: ReadonlyMap<string, string>): KnownValues {
  const known = new Map<string, string>();
  for (const p of flow.params) {
    const given = vars.get(p.name.name);
    if (given !== undefined) known.set(p.name.name, given);
    else if (p.default) {
      const d = p.default;
      known.set(
        p.name.name,
        d.kind === "string-literal" ? d.value.value : d.kind === "number" ? d.text : String(d.value),
      );
    }
  }
  return known;
}

/** `1 session (Admin Begin + End), 2 inputs, 1 display, 1 payment; 1 local wait`. */
function requestSummary(steps: readonly Step[]): string {
  const counts = { session: 0, input: 0, display: 0, pay: 0, wait: 0, expect: 0, if: 0 };
  const visit = (list: readonly Step[]): void => {
    for (const s of list) {
      counts[s.kind]++;
      if (s.kind === "session") visit(s.steps);
      if (s.kind === "if") {
        visit(s.then);
        if (s.else) visit(s.else);
      }
    }
  };
  visit(steps);
  const n = (count: number, word: string, plural = `${word}s`): string =>
    count === 0 ? "" : `${count} ${count === 1 ? word : plural}`;
  const requests = [
    counts.session ? `${n(counts.session, "session")} (Admin Begin + End)` : "",
    n(counts.input, "input"),
    n(counts.display, "display"),
    n(counts.pay, "payment"),
  ].filter(Boolean);
  const branches = counts.if > 0 ? ", counting every branch of each if" : "";
  return (
    (requests.length > 0 ? requests.join(", ") + branches : "none") +
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

function stepNode(step: Step, session: SessionStep | undefined, known: KnownValues, c: Colors): PlanNode {
  const line = step.span.start.line;
  const keyword = (word: string): string => c.bold(c.cyan(word));
  const wire = (text: string): string => c.dim(text);
  const capture = (): string => {
    if ((step.kind !== "input" && step.kind !== "pay") || !step.as) return "";
    const spec = captureSpecOf(step);
    const fields =
      spec && Object.keys(spec.fields).length > 0 ? `{${Object.keys(spec.fields).join(", ")}}` : (spec?.type ?? "");
    return `  ${c.green(`→ ${step.as.name}`)} ${c.dim(fields)}`;
  };
  const waiting = (request: RequestType, when: string): string => {
    const screen = session?.waiting.find((w) => w.request === request);
    return screen ? `  ${c.magenta(`then waiting screen ${ms(screen.timeout)} ${when}`)}` : "";
  };

  switch (step.kind) {
    case "session": {
      const id = step.id ? `Session.Id ${JSON.stringify(step.id.value)}` : "Session.Id generated at run time";
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
      const inner = step.steps.map((s) => stepNode(s, step, known, c));
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
      const code = step.currency.code;
      const money = (minor: number | null): string =>
        minor === null ? "?" : `${toWireAmount(minor, code)} (${minor} minor units)`;
      const tip = step.tip ? ` tip ${step.tip.text}` : "";
      const wireTip = step.tip ? `, TipAmount ${money(step.tip.minor)}` : "";
      const ref = step.ref ? `TransactionID ${printTemplate(step.ref, known)}` : "TransactionID generated at run time";
      const canonical = step.amount.minor !== null ? formatMinorUnits(step.amount.minor, code) : step.amount.text;
      const text = `${keyword("pay")} ${canonical} ${code}${tip}  ${wire(`PaymentRequest Currency ${code}, RequestedAmount ${money(step.amount.minor)}${wireTip}, ${ref}`)}`;
      return { line, text: text + capture() + waiting("payment", "after it completes"), children: [] };
    }
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
    case "if": {
      const then: PlanNode = {
        line,
        text: keyword("then"),
        children: step.then.map((s) => stepNode(s, session, known, c)),
      };
      const branches = [then];
      if (step.else) {
        const elseLine = step.else[0]?.span.start.line ?? step.span.end.line;
        branches.push({
          line: elseLine,
          text: keyword("else"),
          children: step.else.map((s) => stepNode(s, session, known, c)),
        });
      }
      return { line, text: `${keyword("if")} ${printExpression(step.condition, known)}`, children: branches };
    }
  }
}

/** The tree as lines with `├─ │ └─` prefixes; top-level steps have none. */
function flatten(nodes: readonly PlanNode[]): { line: number; prefix: string; text: string }[] {
  const out: { line: number; prefix: string; text: string }[] = [];
  const visit = (node: PlanNode, prefix: string, childPrefix: string): void => {
    out.push({ line: node.line, prefix, text: node.text });
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      visit(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
    });
  };
  for (const node of nodes) visit(node, "", "");
  return out;
}
