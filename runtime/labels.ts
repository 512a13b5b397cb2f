/** One-line descriptions of steps for people (`pay 12.50 EUR`, `input confirm "Split?"`). */
import type { Expression, Step, Template } from "../language/index.js";
import { printExpression } from "../language/index.js";
import { renderTemplate, type Scope } from "./values.js";

/** A step as one line, with templates filled in where their values are known. */
export function stepLabel(step: Step, scope: Scope): string {
  switch (step.kind) {
    case "session": {
      const waiting = step.waiting.map((w) => `${w.request} ${w.timeout.ms}ms`).join(", ");
      return `session${step.id ? ` ${JSON.stringify(step.id.value)}` : ""} (waiting screen: ${waiting || "none"})`;
    }
    case "input":
      return `input ${step.input} ${quoted(step.prompt, scope)}${step.as ? ` as ${step.as.name}` : ""}`;
    case "display":
      return step.content.kind === "idle" ? "display idle" : `display ${quoted(step.content.text, scope)}`;
    case "pay":
      return `pay ${step.amount.text} ${step.currency.code}${step.tip ? ` tip ${step.tip.text}` : ""}${step.as ? ` as ${step.as.name}` : ""}`;
    case "wait":
      return `wait ${step.duration.text}`;
    case "expect":
      return `expect ${expressionText(step.condition)}`;
    case "if":
      return `if ${expressionText(step.condition)}`;
  }
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
