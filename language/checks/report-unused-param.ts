// Warns about a param no step, expression or other param's default uses: the caller's value for it
// would be thrown away, which is usually a misspelt name.
import { type Flow, type Reference, walkSteps } from "../ast.js";
import type { Report } from "./report.js";
import { referencesInTemplate, referencesOfStep } from "./walk.js";

export function reportUnusedParam(flow: Flow, report: Report): void {
  const used = new Set<string>();
  const note = (refs: Reference[]): void => {
    for (const ref of refs) if (typeof ref?.name?.name === "string") used.add(ref.name.name);
  };
  for (const param of flow.params) {
    if (param.default?.kind === "string-literal") note(referencesInTemplate(param.default.value));
  }
  walkSteps(flow.steps, (step) => note(referencesOfStep(step)));
  for (const param of flow.params) {
    const name = param?.name?.name;
    if (typeof name !== "string" || name === "" || used.has(name)) continue;
    report.warning("unused-param", `param \`${name}\` is never used`, param.name.span, {
      hint: `use it in a step (\`\${${name}}\` in a text, or in an expression), or remove it`,
    });
  }
}
