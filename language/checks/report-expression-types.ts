// Reports expressions whose operand types do not fit (`"a" == 1`, `<` on booleans, `not 3`,
// `pay 12.50`), non-boolean conditions, whole records in text, and comparisons with values a field
// never has. The rules themselves are values/rules.ts, shared with the runtime.
import type { DiagnosticCode } from "../diagnostic.js";
import type { Expression, Flow, Reference } from "../ast.js";
import { didYouMean } from "../suggest.js";
import { describeOperand } from "../values/rules.js";
import { describeType, type Typed } from "../values/types.js";
import type { FlowAnalysis } from "./analysis.js";
import { reportProblems, type Report, type StepVisitor } from "./report.js";
import { conditionsOfStep, expressionsOfStep, forEachReferenceInTemplate, templatesOfStep } from "./walk.js";

const CODES = new Set<DiagnosticCode>(["type-mismatch"]);

export function reportExpressionTypes(_flow: Flow, report: Report, analysis: FlowAnalysis): StepVisitor {
  reportProblems(analysis, report, CODES);
  const interpolated = (ref: Reference): void => checkInterpolation(ref, analysis, report);
  return {
    step: (step) => {
      for (const condition of conditionsOfStep(step)) {
        const type = analysis.typed(condition)?.type;
        if (type && type.kind !== "boolean" && type.kind !== "unknown") {
          report.error(
            "condition-not-boolean",
            `\`${step.kind}\` needs a true/false condition, but ${describeOperand(condition)} is ${describeType(type)}`,
            condition.span,
            { hint: "compare it with `==`, `!=`, `<`, `<=`, `>` or `>=` to get true or false" },
          );
        }
        visitComparisons(condition, analysis, report);
      }
      for (const template of templatesOfStep(step)) forEachReferenceInTemplate(template, interpolated);
      for (const e of expressionsOfStep(step)) forEachStringRef(e, interpolated);
    },
  };
}

/** `payment.result == "aproved"`: a literal a closed-valued field never takes. */
function visitComparisons(e: Expression | undefined, analysis: FlowAnalysis, report: Report): void {
  if (!e) return;
  if (e.kind === "unary") visitComparisons(e.operand, analysis, report);
  else if (e.kind === "call") for (const arg of e.args) visitComparisons(arg, analysis, report);
  else if (e.kind === "binary") {
    visitComparisons(e.left, analysis, report);
    visitComparisons(e.right, analysis, report);
    if (e.operator === "==" || e.operator === "!=") {
      reportImpossibleValue(e.left, analysis.typed(e.left), e.right, report);
      reportImpossibleValue(e.right, analysis.typed(e.right), e.left, report);
    }
  }
}

function reportImpossibleValue(field: Expression, typed: Typed | undefined, other: Expression, report: Report): void {
  if (!typed?.values || other?.kind !== "string-literal") return;
  const parts = other.value.parts;
  if (parts.some((p) => p.kind === "interpolation")) return;
  const value = other.value?.value;
  if (typeof value !== "string" || typed.values.includes(value)) return;
  const guess = didYouMean(value, typed.values);
  report.warning("impossible-value", `${describeOperand(field)} is never \`${value}\``, other.span, {
    hint: guess ? `did you mean \`${guess}\`?` : `its values are ${typed.values.map((v) => `\`${v}\``).join(", ")}`,
  });
}

/** The `${...}` references inside the string literals of an expression. */
/** The `${...}` references in the strings of an expression. */
function forEachStringRef(e: Expression | undefined, visit: (ref: Reference) => void): void {
  if (!e) return;
  if (e.kind === "string-literal") forEachReferenceInTemplate(e.value, visit);
  else if (e.kind === "unary") forEachStringRef(e.operand, visit);
  else if (e.kind === "binary") {
    forEachStringRef(e.left, visit);
    forEachStringRef(e.right, visit);
  } else if (e.kind === "call") for (const arg of e.args) forEachStringRef(arg, visit);
}

/** `${payment}`: a whole record cannot become text. */
function checkInterpolation(ref: Reference, analysis: FlowAnalysis, report: Report): void {
  if (ref.fields.length > 0) {
    // A field of a record: its own type decides (fields are scalars or amounts).
    return;
  }
  const name = ref?.name?.name;
  if (typeof name !== "string" || analysis.typeOfName(name).kind !== "record") return;
  report.error("type-mismatch", `cannot insert \`${name}\` into text: it is a record`, ref.span, {
    hint: `insert one of its fields, such as \`\${${name}.result}\``,
  });
}
