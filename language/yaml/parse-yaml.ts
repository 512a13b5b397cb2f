/**
 * The YAML front end: `*.flow.yaml` source -> the one AST. YAML syntax errors come from the `yaml`
 * package (their offsets turned into lines and columns by YamlContext); shape and value errors from
 * the step definitions.
 * Never throws: an internal failure becomes one diagnostic.
 */
import { parseDocument, type Document } from "yaml";
import type { Flow } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { YamlContext } from "./context.js";
import { MAX_NESTING, tooDeepAt } from "./nesting.js";
import { reportYamlErrors } from "./syntax-errors.js";
import { documentToFlow } from "./to-ast.js";

/** What parseFlowYaml returns: the AST whenever one could be built, and every problem found. */
export interface YamlParseResult {
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
}

/** The options every reader of flow YAML uses (the formatter too), so all read a file alike. */
export const YAML_PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

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
    reportYamlErrors(ctx, document.errors, "error", document);
    reportYamlErrors(ctx, document.warnings, "warning");
    if (document.errors.length > 0) return { flow: undefined, diagnostics: sorted(ctx.diagnostics), document };
    const flow = documentToFlow(ctx, document.contents);
    return { flow, diagnostics: sorted(ctx.diagnostics), document };
  } catch (error) {
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

function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
}
