/**
 * `termflow fmt` for the YAML form: the canonical layout of printFlowYaml, keeping the source's
 * comments and blank lines. Refuses (no output) when the file has errors: a broken file is never
 * rewritten.
 */
import { hasErrors, type Diagnostic } from "../diagnostic.js";
import { documentText, flowToDocument } from "./build-document.js";
import { fitLayout } from "./fit-layout.js";
import { parseFlowYamlWithDocument } from "./parse-yaml.js";
import { transferComments } from "./transfer-comments.js";
import { separateTrailingComments } from "./trailing-comments.js";

export interface YamlFormatResult {
  /** The formatted source; absent when the file has errors. */
  output?: string;
  diagnostics: Diagnostic[];
}

/** Formats YAML flow source. Idempotent: formatting the output again changes nothing. */
export function formatFlowYaml(source: string, file: string): YamlFormatResult {
  const parsed = parseFlowYamlWithDocument(source, file);
  if (hasErrors(parsed.diagnostics) || !parsed.flow || !parsed.document) return { diagnostics: parsed.diagnostics };
  try {
    const doc = flowToDocument(parsed.flow);
    transferComments(parsed.document, doc);
    fitLayout(doc);
    separateTrailingComments(doc);
    return { output: documentText(doc), diagnostics: parsed.diagnostics };
  } catch (error) {
    const diagnostic: Diagnostic = {
      code: "internal-error",
      severity: "error",
      message: "termflow could not format this file (an internal error)",
      span: { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      hint: `please report this with the file attached: ${error instanceof Error ? error.message : String(error)}`,
    };
    return { diagnostics: [...parsed.diagnostics, diagnostic] };
  }
}
