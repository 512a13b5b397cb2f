// Reports what a `call` gives the called flow that does not fit its params, the way a run binds
// them: a param it does not have, one given twice, one it needs and does not get, and a value of
// another type (an amount where it wants a number, EUR where its default fixes USD).
import { type CallArgument, type CallStep, type Param, walkSteps } from "../ast.js";
import { didYouMeanHint } from "../suggest.js";
import { describeType, type Type } from "../values/types.js";
import type { FlowAnalysis } from "./analysis.js";
import { paramType } from "./bindings.js";
import type { CalledFlow } from "./capture-fields.js";
import type { Report } from "./report.js";
import type { Flow } from "../ast.js";

export function reportCallArguments(flow: Flow, report: Report, analysis: FlowAnalysis): void {
  walkSteps(flow.steps, (step) => {
    if (step.kind !== "call") return;
    const called = analysis.calledFlow(step);
    if (called) checkCall(step, called, report, analysis);
  });
}

function checkCall(step: CallStep, called: CalledFlow, report: Report, analysis: FlowAnalysis): void {
  const params = new Map(called.flow.params.map((p) => [p.name.name, p]));
  const given = new Map<string, CallArgument>();
  for (const arg of step.with) {
    const name = arg.name.name;
    const param = params.get(name);
    if (!param) {
      const names = [...params.keys()];
      report.error("unknown-param", `${called.file} has no param \`${name}\``, arg.name.span, {
        hint:
          didYouMeanHint(name, names) ??
          (names.length > 0
            ? `its params are ${names.map((n) => `\`${n}\``).join(", ")}`
            : "it declares no params: call it without `with`"),
      });
      continue;
    }
    const earlier = given.get(name);
    if (earlier) {
      report.error("duplicate-param", `param \`${name}\` is given twice`, arg.name.span, {
        hint: "give each param of the called flow one value",
        related: [{ message: "first given here", span: earlier.name.span }],
      });
      continue;
    }
    given.set(name, arg);
    checkType(arg, param, called, report, analysis);
  }
  const missing = called.flow.params.filter((p) => !p.default && !given.has(p.name.name));
  for (const param of missing) {
    const name = param.name.name;
    report.error("missing-param", `${called.file} needs a value for param \`${name}\``, step.flow.span, {
      hint: `give it one: \`with ${name} = ...\`${step.with.length > 0 ? ", after the others" : ""}`,
      related: [{ message: `\`${name}\` is declared here, without a default`, span: param.span }],
    });
  }
}

/** A value the param cannot take: its type is the param's declared or default type, as for `--var`. */
function checkType(arg: CallArgument, param: Param, called: CalledFlow, report: Report, analysis: FlowAnalysis): void {
  const actual = analysis.typed(arg.value)?.type;
  if (!actual || actual.kind === "unknown") return;
  const expected = paramType(param);
  const name = param.name.name;
  const declared = { message: `\`${name}\` is declared here`, span: param.span };
  if (actual.kind === "record" || actual.kind === "list") {
    report.error(
      "param-type-mismatch",
      `param \`${name}\` of ${called.file} takes one value, but this is ${describeType(actual)}`,
      arg.value.span,
      { hint: "give it an amount, a number, a text or true/false: a field like `p.amount`", related: [declared] },
    );
    return;
  }
  if (fits(actual, expected)) return;
  report.error(
    "param-type-mismatch",
    `param \`${name}\` of ${called.file} is ${describeType(expected)}, but this is ${describeType(actual)}`,
    arg.value.span,
    { hint: hintFor(expected, actual), related: [declared] },
  );
}

function fits(actual: Type, expected: Type): boolean {
  if (expected.kind === "unknown") return true;
  if (actual.kind !== expected.kind) return false;
  if (actual.kind === "money" && expected.kind === "money")
    return actual.currency === undefined || expected.currency === undefined || actual.currency === expected.currency;
  return true;
}

function hintFor(expected: Type, actual: Type): string {
  if (expected.kind === "money" && actual.kind === "money")
    return `the called flow's default fixes the currency: give it an amount in ${expected.currency}`;
  if (expected.kind === "string") return "`string(...)` makes a text of a value";
  if (expected.kind === "number" && actual.kind === "string") return "`number(...)` reads a text as a number";
  if (expected.kind === "money") return "give it an amount with its currency, like `12.50 EUR`";
  return `give it ${describeType(expected)}`;
}
