/**
 * `termflow sim --script givens.yaml`: the scenario language's `given` sentences, grouped by POIID,
 * turned into plain simulator scripts. The file is a YAML mapping from POIID to a list of givens:
 *
 *   V400m-324688179:
 *     - shopper answers "Split the bill?" with yes
 *     - payment declined Refusal "210 Not enough balance"
 *     - fault drop on 2nd payment
 *
 * The simulator never sees a Given: qa reads the sentences (with file:line:col diagnostics) and hands
 * over `TerminalScript`s, the calls `terminal.shopper/payments/faults` would make.
 */
import { isMap, isScalar, parseDocument, type Node, type Pair } from "yaml";
import type { Diagnostic } from "../../language/index.js";
import type { Fault as SimFault, FaultOptions, TerminalScript } from "../../simulator/index.js";
import { shopperValue, paymentOutcome, simFault } from "../run/script-terminal.js";
import type { Given, RequestName } from "./model.js";
import { readSentences } from "./parse-yaml.js";
import type { ScenarioDraft } from "./draft.js";
import { LineIndex, yamlSyntaxCode } from "../../language/index.js";

export interface LoadedSimulatorScripts {
  /** Per POIID, in file order; undefined when the file has errors. */
  scripts?: Record<string, TerminalScript>;
  diagnostics: Diagnostic[];
}

const FAULT_TARGET: Record<RequestName, Pick<FaultOptions, "category" | "session">> = {
  begin: { category: "AdminRequest", session: "Begin" },
  end: { category: "AdminRequest", session: "End" },
  admin: { category: "AdminRequest" },
  input: { category: "InputRequest" },
  display: { category: "DisplayRequest" },
  payment: { category: "PaymentRequest" },
  status: { category: "TransactionStatusRequest" },
  abort: { category: "AbortRequest" },
  reversal: { category: "ReversalRequest" },
  print: { category: "PrintRequest" },
  acquisition: { category: "CardAcquisitionRequest" },
  release: { category: "EnableServiceRequest" },
  request: {},
};

/** An exact prompt, as scenarios match it: the whole text of one of the screen's lines. */
const exactly = (prompt: string): RegExp => new RegExp(`^${prompt.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

function toScript(givens: Given[], diagnostics: Diagnostic[]): TerminalScript {
  const script: Required<Omit<TerminalScript, "thinkMs">> & { thinkMs?: number } = {
    answers: [],
    when: [],
    payments: [],
    faults: [],
  };
  for (const g of givens) {
    switch (g.kind) {
      case "answer": {
        const values = g.values.map(shopperValue);
        if (g.prompt !== undefined)
          script.when.push({
            prompt: exactly(g.prompt),
            answer: { value: values.length === 1 ? values[0] : (values as Array<string | number>) },
          });
        // `shopper answers yes, no` answers two screens in order.
        else for (const v of values) script.answers.push({ value: v });
        break;
      }
      case "no-answer":
      case "cancel": {
        const answer = g.kind === "cancel" ? "cancel" : "noAnswer";
        if (g.prompt !== undefined) script.when.push({ prompt: exactly(g.prompt), answer });
        else script.answers.push(answer);
        break;
      }
      case "think":
        script.thinkMs = g.ms;
        break;
      case "payment":
        script.payments.push(paymentOutcome(g.outcome));
        break;
      case "fault": {
        const fault: SimFault = simFault(g.fault);
        const options: FaultOptions = {
          ...FAULT_TARGET[g.on.request],
          ...(g.on.occurrence === "every"
            ? { times: Number.POSITIVE_INFINITY }
            : { times: 1, skip: g.on.occurrence - 1 }),
        };
        script.faults.push({ fault, options });
        break;
      }
      default:
        diagnostics.push({
          code: "not-a-simulator-given",
          severity: "error",
          message:
            g.kind === "var"
              ? "`var` sets a flow's param: a simulator script has no flow"
              : "`run cancelled after` cancels a flow run: a simulator script has no flow",
          span: g.span,
          hint: "a simulator script takes `shopper ...`, `payment ...` and `fault ...` sentences",
        });
    }
  }
  return script;
}

/** Reads a givens file's text; `file` names it in diagnostics. Never throws. */
export function readSimulatorScripts(source: string, file: string): LoadedSimulatorScripts {
  const index = new LineIndex(source, file);
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(source);
  for (const e of doc.errors)
    diagnostics.push({
      code: yamlSyntaxCode(e.code),
      severity: "error",
      message: e.message.split("\n")[0],
      span: index.span(e.pos[0], e.pos[1]),
    });
  if (diagnostics.length > 0) return { diagnostics };
  if (!isMap(doc.contents)) {
    diagnostics.push({
      code: "expected-mapping",
      severity: "error",
      message: "a simulator script is a mapping from POIID to a list of given sentences",
      span: index.span(0, 0),
      hint: 'e.g. `V400m-324688179:` then `  - shopper answers "Split the bill?" with yes`',
    });
    return { diagnostics };
  }
  const scripts: Record<string, TerminalScript> = {};
  for (const pair of doc.contents.items as Pair<Node, Node | null>[]) {
    const range = pair.key?.range ?? [0, 0];
    const poiid = isScalar(pair.key) ? String(pair.key.value ?? "") : "";
    if (!/^[A-Za-z0-9]+-[A-Za-z0-9]+$/.test(poiid)) {
      diagnostics.push({
        code: "bad-poiid",
        severity: "error",
        message: `\`${poiid}\` is not a POIID`,
        span: index.span(range[0], range[1]),
        hint: "a POIID is [model]-[serial], e.g. V400m-324688179",
      });
      continue;
    }
    const draft: ScenarioDraft = {
      name: poiid,
      span: index.span(range[0], range[1]),
      tags: [],
      givens: [],
      expectations: [],
      diagnostics: [],
    };
    if (pair.value) readSentences("given", pair.value, index, draft, []);
    else
      draft.diagnostics.push({
        code: "expected-list",
        severity: "error",
        message: `\`${poiid}\` has no givens`,
        span: index.span(range[0], range[1]),
        hint: 'e.g. `  - shopper answers "Split the bill?" with yes`',
      });
    diagnostics.push(...draft.diagnostics);
    scripts[poiid] = toScript(draft.givens, diagnostics);
  }
  return diagnostics.some((d) => d.severity === "error") ? { diagnostics } : { scripts, diagnostics };
}
