/** One-line descriptions of steps for people (`pay 12.50 EUR`, `input confirm "Split?"`). */
import type { Expression, Step, Template } from "../language/index.js";
import { formatMoney, isMoney, printExpression } from "../language/index.js";
import { isSecretName, REDACTED } from "../protocol/index.js";
import { evaluate, renderTemplate, type Scope } from "./values.js";

/** A step as one line, with templates and amounts filled in where their values are known. */
export function stepLabel(step: Step, scope: Scope): string {
  switch (step.kind) {
    case "session": {
      const waiting = step.waiting.map((w) => `${w.request} ${w.timeout.ms}ms`).join(", ");
      return `session${step.id ? ` ${quoted(step.id, scope)}` : ""} (waiting screen: ${waiting || "none"})`;
    }
    case "input":
      return `input ${step.input} ${quoted(step.prompt, scope)}${step.as ? ` as ${step.as.name}` : ""}`;
    case "display":
      return step.content.kind === "idle" ? "display idle" : `display ${quoted(step.content.text, scope)}`;
    case "pay":
      return (
        `pay ${amountText(step.amount, scope)}${step.tip ? ` tip ${amountText(step.tip, scope)}` : ""}` +
        `${step.with ? ` with ${step.with.name.name}` : ""}${step.within ? ` within ${step.within.text}` : ""}${as(step.as)}`
      );
    case "refund": {
      const amount = step.amount ? ` ${amountText(step.amount, scope)}` : "";
      return `refund${step.payment ? ` ${step.payment.name.name}` : ""}${amount}${as(step.as)}`;
    }
    case "print":
      return step.content.kind === "receipt"
        ? `print receipt ${step.content.payment.name.name}${step.content.copy === "cashier" ? " cashier" : ""}${as(step.as)}`
        : `print ${step.content.lines.map((l) => quoted(l, scope)).join(" ")}${as(step.as)}`;
    case "acquire":
      return `acquire card${step.within ? ` within ${step.within.text}` : ""}${as(step.as)}`;
    case "status":
      return `status ${step.payment.name.name}${as(step.as)}`;
    case "call": {
      // A secret-named param's value is hidden wherever it is shown, from the label on.
      const args = step.with
        .map((a) => `${a.name.name} = ${isSecretName(a.name.name) ? REDACTED : amountText(a.value, scope)}`)
        .join(", ");
      return `call ${JSON.stringify(step.flow.value)}${args ? ` with ${args}` : ""}${as(step.as)}`;
    }
    case "wait":
      return `wait ${step.duration.text}`;
    case "expect":
      return `expect ${expressionText(step.condition)}`;
    case "if":
      return `if ${expressionText(step.condition)}`;
    case "for":
      return `for ${step.variable.name} in ${expressionText(step.over)}`;
    case "repeat":
      return `repeat ${expressionText(step.count)} times`;
  }
}

function as(name: { name: string } | undefined): string {
  return name ? ` as ${name.name}` : "";
}

/** An amount as it will be charged (`33.34 EUR`), or as written while it cannot be computed yet. */
function amountText(e: Expression, scope: Scope): string {
  try {
    const value = evaluate(e, scope);
    if (isMoney(value)) return formatMoney(value);
  } catch {
    // The step itself reports why; the label shows what was written.
  }
  return expressionText(e);
}

/** The template's text, or its source form (`${name}`) while a name has no value yet. */
function quoted(template: Template, scope: Scope): string {
  let text: string;
  try {
    text = renderTemplate(template, scope);
  } catch {
    text = template.parts
      .map((p) =>
        p.kind === "text" ? p.value : `\${${[p.ref.name.name, ...p.ref.fields.map((f) => f.name)].join(".")}}`,
      )
      .join("");
  }
  return JSON.stringify(text);
}

/** An expression as the formatter writes it: the flow's own text, with the fewest parentheses. */
export const expressionText: (e: Expression) => string = printExpression;
