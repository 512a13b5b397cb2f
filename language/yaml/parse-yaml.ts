/**
 * The YAML front end: `*.flow.yaml` source -> the one AST. YAML syntax errors come from the `yaml`
 * package (their offsets turned into lines and columns by YamlContext); shape and value errors from
 * the step definitions.
 * Never throws: an internal failure becomes one diagnostic.
 */
import { parseDocument, type Document, type YAMLError } from "yaml";
import type { Flow } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { YamlContext } from "./context.js";
import { MAX_NESTING, tooDeepAt } from "./nesting.js";
import { ReadingStopped, sourceTooLarge, tooManyErrorsMessage } from "../limits.js";
import { findDuplicateKeys, reportYamlErrors } from "./syntax-errors.js";
import { documentToFlow } from "./to-ast.js";

/** What parseFlowYaml returns: the AST whenever one could be built, and every problem found. */
export interface YamlParseResult {
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
}

/**
 * The options every reader of flow YAML uses (the formatter too), so all read a file alike.
 * Repeated keys are found by findDuplicateKeys: yaml's own check (`uniqueKeys`) is quadratic.
 */
export const YAML_PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true } as const;

/** parseFlowYaml plus the parsed document, for the formatter. */
export interface YamlParseResultWithDocument extends YamlParseResult {
  document: Document.Parsed | undefined;
}

/**
 * Parses the YAML form into the AST. On YAML syntax errors only those are reported and `flow` is
 * undefined: the document's structure is not reliable enough to check its shape.
 */
export function parseFlowYaml(source: string, file: string): YamlParseResult {
  const { flow, diagnostics } = parseFlowYamlWithDocument(source, file);
  return { flow, diagnostics };
}

/** Like parseFlowYaml, and also returns yaml's Document (comments included). */
export function parseFlowYamlWithDocument(source: string, file: string): YamlParseResultWithDocument {
  const text = typeof source === "string" ? source : String(source ?? "");
  const tooLarge = sourceTooLarge(text, file);
  if (tooLarge) return { flow: undefined, diagnostics: [tooLarge], document: undefined };
  const ctx = new YamlContext(text, file);
  try {
    const deep = tooDeepAt(text);
    if (deep !== undefined) {
      ctx.report(
        "too-deeply-nested",
        `the flow nests more than ${MAX_NESTING} levels deep`,
        ctx.span(deep, deep + 1),
        "split deeply nested steps into simpler ones",
      );
      return { flow: undefined, diagnostics: ctx.diagnostics, document: undefined };
    }
    const document = parseDocument(text, YAML_PARSE_OPTIONS);
    const duplicates = findDuplicateKeys(document);
    const errors = mergeByPosition(document.errors, duplicates.errors);
    reportYamlErrors(ctx, errors, "error", duplicates.at);
    reportYamlErrors(ctx, document.warnings, "warning");
    if (errors.length > 0) return { flow: undefined, diagnostics: sorted(ctx.diagnostics), document };
    const flow = documentToFlow(ctx, document.contents);
    return { flow, diagnostics: sorted(ctx.diagnostics), document };
  } catch (error) {
    if (error instanceof ReadingStopped) {
      const { message, hint } = tooManyErrorsMessage();
      const diagnostics = sorted(ctx.diagnostics);
      diagnostics.push({
        code: error.code,
        severity: "error",
        message,
        span: ctx.span(error.offset, error.offset),
        hint,
      });
      return { flow: undefined, diagnostics, document: undefined };
    }
    ctx.report(
      error instanceof RangeError ? "too-deeply-nested" : "internal-error",
      error instanceof RangeError
        ? "the flow is nested too deeply to read"
        : "termflow could not read this file (an internal error)",
      ctx.span(0, 0),
      error instanceof RangeError
        ? "split deeply nested steps into simpler ones"
        : `please report this with the file attached: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { flow: undefined, diagnostics: ctx.diagnostics, document: undefined };
  }
}

/**
 * yaml's errors in yaml's order (which is not always by position), with the repeated keys put
 * where yaml itself would have reported them: before the first of its errors that comes later.
 */
function mergeByPosition(yamlErrors: readonly YAMLError[], repeated: readonly YAMLError[]): YAMLError[] {
  if (repeated.length === 0) return [...yamlErrors];
  const out: YAMLError[] = [];
  let r = 0;
  for (const error of yamlErrors) {
    while (r < repeated.length && repeated[r].pos[0] < error.pos[0]) out.push(repeated[r++]);
    out.push(error);
  }
  while (r < repeated.length) out.push(repeated[r++]);
  return out;
}

function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
}
