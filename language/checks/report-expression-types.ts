// Reports expressions whose operand types do not fit: `"a" == 1`, `<` on booleans, `not 3`,
// non-boolean conditions, whole records in text, and comparisons with values a field never has.
import { type Expression, type Flow, type Reference, walkSteps } from "../ast.js";
import { COMPARISON_OPERATORS } from "../ast.js";
import { didYouMean } from "../suggest.js";
import { bindingsByName, lookUpFields, type Binding, type ValueType } from "./bindings.js";
import type { Report } from "./report.js";
import { expressionsOfStep, referencesInTemplate, templatesOfStep } from "./walk.js";

interface Typed {
  type: ValueType;
  /** The closed set of values, for fields like `payment.result`. */
  values?: readonly string[];
}

const ORDERING = new Set(["<", "<=", ">", ">="]);
const EQUALITY = new Set(["==", "!="]);

export function reportExpressionTypes(flow: Flow, report: Report): void {
  const bindings = bindingsByName(flow);
  const typeOf = (ref: Reference): Typed => referenceType(ref, bindings);

  walkSteps(flow.steps, (step) => {
    for (const condition of expressionsOfStep(step)) {
      const { type } = infer(condition, typeOf, report);
      if (type !== "boolean" && type !== "unknown") {
        report.error(
          "condition-not-boolean",
          `\`${step.kind}\` needs a true/false condition, but ${describe(condition)} is ${article(type)}`,
          condition.span,
          {
            hint: "compare it with `==`, `!=`, `<`, `<=`, `>` or `>=` to get true or false",
          },
        );
      }
    }
    for (const template of templatesOfStep(step)) checkInterpolations(referencesInTemplate(template), typeOf, report);
  });
}

function referenceType(ref: Reference, bindings: Map<string, Binding[]>): Typed {
  const all = bindings.get(ref?.name?.name) ?? [];
  // A name captured with different types in different places cannot be typed statically.
  if (all.length === 0 || all.some((b) => b.type !== all[0].type)) return { type: "unknown" };
  const found = lookUpFields(all[0], ref.fields);
  return found.problem ? { type: "unknown" } : found;
}

function infer(e: Expression | undefined, typeOf: (ref: Reference) => Typed, report: Report): Typed {
  switch (e?.kind) {
    case "string-literal":
      checkInterpolations(referencesInTemplate(e.value), typeOf, report);
      return { type: "string" };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "reference":
      return typeOf(e);
    case "unary": {
      const operand = infer(e.operand, typeOf, report);
      const wanted: ValueType = e.operator === "not" ? "boolean" : "number";
      if (operand.type !== wanted && operand.type !== "unknown") {
        report.error(
          "type-mismatch",
          `\`${e.operator}\` needs ${article(wanted)}, but ${describe(e.operand)} is ${article(operand.type)}`,
          e.span,
        );
      }
      return { type: wanted };
    }
    case "binary":
      return inferBinary(e, typeOf, report);
    default:
      return { type: "unknown" };
  }
}

function inferBinary(
  e: Extract<Expression, { kind: "binary" }>,
  typeOf: (ref: Reference) => Typed,
  report: Report,
): Typed {
  const left = infer(e.left, typeOf, report);
  const right = infer(e.right, typeOf, report);
  const known = left.type !== "unknown" && right.type !== "unknown";
  const op = e.operator;
  if (op === "and" || op === "or") {
    for (const [side, typed] of [
      [e.left, left],
      [e.right, right],
    ] as const) {
      if (typed.type !== "boolean" && typed.type !== "unknown") {
        report.error(
          "type-mismatch",
          `\`${op}\` needs true/false on both sides, but ${describe(side)} is ${article(typed.type)}`,
          side?.span ?? e.span,
        );
      }
    }
  } else if (ORDERING.has(op)) {
    for (const [side, typed] of [
      [e.left, left],
      [e.right, right],
    ] as const) {
      if (typed.type !== "number" && typed.type !== "unknown") {
        report.error(
          "type-mismatch",
          `\`${op}\` compares numbers, but ${describe(side)} is ${article(typed.type)}`,
          side?.span ?? e.span,
          {
            hint: typed.type === "boolean" ? "compare booleans with `==` or `!=`" : undefined,
          },
        );
        break;
      }
    }
  } else if (EQUALITY.has(op)) {
    if (left.type === "record" || right.type === "record") {
      const side = left.type === "record" ? e.left : e.right;
      report.error(
        "type-mismatch",
        `cannot compare ${describe(side)} as a whole: it is a record`,
        side?.span ?? e.span,
        {
          hint: "compare one of its fields, such as `.result`",
        },
      );
    } else if (known && left.type !== right.type) {
      report.error("type-mismatch", `cannot compare ${article(left.type)} with ${article(right.type)}`, e.span, {
        hint: `${describe(e.left)} is ${article(left.type)} and ${describe(e.right)} is ${article(right.type)}: \`${op}\` is never true across types`,
      });
    } else {
      reportImpossibleValue(e.left, left, e.right, report);
      reportImpossibleValue(e.right, right, e.left, report);
    }
  }
  return {
    type:
      (COMPARISON_OPERATORS as readonly string[]).includes(op) || op === "and" || op === "or" ? "boolean" : "unknown",
  };
}

/** `payment.result == "aproved"`: a literal a closed-valued field never takes. */
function reportImpossibleValue(field: Expression, typed: Typed, other: Expression, report: Report): void {
  if (!typed.values || other?.kind !== "string-literal") return;
  const parts = other.value.parts;
  if (parts.some((p) => p.kind === "interpolation")) return;
  const value = other.value?.value;
  if (typeof value !== "string" || typed.values.includes(value)) return;
  const guess = didYouMean(value, typed.values);
  report.warning("impossible-value", `${describe(field)} is never \`${value}\``, other.span, {
    hint: guess ? `did you mean \`${guess}\`?` : `its values are ${typed.values.map((v) => `\`${v}\``).join(", ")}`,
  });
}

/** `${payment}`: a whole record cannot become text. */
function checkInterpolations(refs: Reference[], typeOf: (ref: Reference) => Typed, report: Report): void {
  for (const ref of refs) {
    if (typeOf(ref).type !== "record") continue;
    const name = ref.name.name;
    report.error("type-mismatch", `cannot insert \`${name}\` into text: it is a record`, ref.span, {
      hint: `insert one of its fields, such as \`\${${name}.result}\``,
    });
  }
}

/** How an operand is named in a message: its source form when short, else its role. */
function describe(e: Expression | undefined): string {
  switch (e?.kind) {
    case "reference":
      return `\`${[e.name?.name, ...e.fields.map((f) => f.name)].join(".")}\``;
    case "number":
      return `\`${e.text}\``;
    case "boolean":
      return `\`${e.value}\``;
    case "string-literal":
      return `\`${JSON.stringify(e.value?.value ?? "")}\``;
    default:
      return "this expression";
  }
}

function article(type: ValueType): string {
  return type === "unknown" ? "of unknown type" : `a ${type}`;
}
