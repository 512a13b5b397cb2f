// Warns about a param no step, expression or other param's default uses: the caller's value for it
// would be thrown away, which is usually a misspelt name.
import type { Flow, Reference } from "../ast.js";
import type { Report, StepVisitor } from "./report.js";
import { forEachReferenceOfStep, referencesInTemplate } from "./walk.js";

export function reportUnusedParam(flow: Flow, report: Report): StepVisitor | undefined {
  const unused = new Set<string>();
  for (const param of flow.params) if (typeof param?.name?.name === "string") unused.add(param.name.name);
  const note = (ref: Reference): void => {
    if (typeof ref?.name?.name === "string") unused.delete(ref.name.name);
  };
  for (const param of flow.params) {
    if (param.default?.kind === "string-literal") referencesInTemplate(param.default.value).forEach(note);
  }
  if (unused.size === 0) return undefined;
  return {
    // Once every param is used there is nothing left to look for.
    step: (step) => {
      if (unused.size > 0) forEachReferenceOfStep(step, note);
    },
    end: () => {
      for (const param of flow.params) {
        const name = param?.name?.name;
        if (typeof name !== "string" || name === "" || !unused.has(name)) continue;
        report.warning("unused-param", `param \`${name}\` is never used`, param.name.span, {
          hint: `use it in a step (\`\${${name}}\` in a text, or in an expression), or remove it`,
        });
      }
    },
  };
}
