/** The YAML printer: AST -> the YAML form in its canonical layout (see build-document.ts). */
import type { Flow } from "../ast.js";
import { documentText, flowToDocument } from "./build-document.js";
import { fitLayout } from "./fit-layout.js";

/** A flow as canonical YAML; parseFlowYaml(printFlowYaml(flow)) gives the same AST (spans aside). */
export function printFlowYaml(flow: Flow): string {
  const doc = flowToDocument(flow);
  fitLayout(doc);
  return documentText(doc);
}
