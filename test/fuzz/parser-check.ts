/**
 * What a parser case must show: every failure is a diagnostic value. The whole front end runs on it
 * (check, fmt, convert for flows; loading for scenarios) and each way it can go wrong is a finding:
 * a throw, an `internal-error`, a span outside the file, a format that is not a fixpoint or changes
 * the flow, a conversion the other syntax refuses or reads differently.
 */
import type { Span } from "../../language/ast.js";
import type { Diagnostic } from "../../language/diagnostic.js";
import { loadFlow, parseFlow, printFlowText, printFlowYaml, type Syntax } from "../../language/index.js";
import { formatFlowText } from "../../language/text/format-text.js";
import { LineIndex } from "../../language/text/positions.js";
import { formatFlowYaml } from "../../language/yaml/format-yaml.js";
import { loadScenarioSource } from "../../qa/scenario/load.js";
import { shapeKey, spansIn } from "../support/fuzz.js";
import type { ParserCase } from "./parser-cases.js";

export interface Finding {
  /** What went wrong: `throw`, `internal-error`, `bad-span`, `fmt-...`, `convert-...`, `cli-...`. */
  kind: string;
  /** Where: `check`, `fmt`, `convert`, `scenario`, or a CLI command line. */
  stage: string;
  message: string;
}

/** Runs `work`; a throw becomes a finding (its first stack line says where). */
function guarded<T>(stage: string, findings: Finding[], work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    const e = error as Error;
    const where =
      e?.stack
        ?.split("\n")
        .find((l) => l.trim().startsWith("at "))
        ?.trim() ?? "";
    findings.push({ kind: "throw", stage, message: `${e?.name ?? "Error"}: ${e?.message ?? String(error)} ${where}` });
    return undefined;
  }
}

function internalErrors(stage: string, diagnostics: readonly Diagnostic[], findings: Finding[]): void {
  for (const d of diagnostics)
    if (d.code === "internal-error")
      findings.push({ kind: "internal-error", stage, message: `${d.message} ${d.hint ?? ""}` });
}

/** Every span of `value` naming `file` lies inside the source, with lines and columns that match its offsets. */
function checkSpans(stage: string, value: unknown, file: string, source: string, findings: Finding[]): void {
  let lines: LineIndex | undefined;
  for (const span of spansIn(value) as Span[]) {
    if (span?.file !== file) continue;
    const { start, end } = span;
    if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= source.length)) {
      findings.push({
        kind: "bad-span",
        stage,
        message: `span ${start.offset}..${end.offset} outside 0..${source.length}`,
      });
      return;
    }
    lines ??= new LineIndex(source, file);
    const s = lines.position(start.offset);
    const e = lines.position(end.offset);
    if (s.line !== start.line || s.column !== start.column || e.line !== end.line || e.column !== end.column) {
      findings.push({
        kind: "bad-span",
        stage,
        message:
          `span ${start.line}:${start.column}-${end.line}:${end.column} at offsets ` +
          `${start.offset}..${end.offset}, which are ${s.line}:${s.column}-${e.line}:${e.column}`,
      });
      return;
    }
  }
}

const other = (syntax: Syntax): Syntax => (syntax === "yaml" ? "flow" : "yaml");

/** A flow case: check, fmt, and convert both ways. */
function checkFlowCase(c: ParserCase, findings: Finding[]): void {
  const syntax: Syntax = c.syntax === "yaml" ? "yaml" : "flow";
  const loaded = guarded("check", findings, () => loadFlow(c.source, c.file, syntax));
  if (loaded) {
    internalErrors("check", loaded.diagnostics, findings);
    checkSpans("check", loaded, c.file, c.source, findings);
  }

  const format = syntax === "yaml" ? formatFlowYaml : formatFlowText;
  const formatted = guarded("fmt", findings, () => format(c.source, c.file));
  if (formatted) internalErrors("fmt", formatted.diagnostics, findings);
  if (formatted?.output !== undefined) {
    const output = formatted.output;
    const again = guarded("fmt", findings, () => format(output, c.file));
    if (again && again.output !== output)
      findings.push({ kind: "fmt-not-idempotent", stage: "fmt", message: "formatting the formatted text changes it" });
    const before = guarded("fmt", findings, () => parseFlow(c.source, c.file, syntax).flow);
    const after = guarded("fmt", findings, () => parseFlow(output, c.file, syntax).flow);
    if (before && shapeKey(before) !== shapeKey(after))
      findings.push({ kind: "fmt-changes-flow", stage: "fmt", message: "the formatted text parses to another flow" });
  }

  if (!loaded?.flow) return;
  const flow = loaded.flow;
  const to = other(syntax);
  const text = guarded("convert", findings, () => (to === "yaml" ? printFlowYaml(flow) : printFlowText(flow)));
  if (text === undefined) return;
  const file = to === "yaml" ? "converted.flow.yaml" : "converted.flow";
  const back = guarded("convert", findings, () => loadFlow(text, file, to));
  if (!back) return;
  const errors = back.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    findings.push({
      kind: "convert-refused",
      stage: "convert",
      message: `check refuses what convert wrote: ${errors[0].code}: ${errors[0].message}`,
    });
  else if (shapeKey(back.flow) !== shapeKey(flow))
    findings.push({ kind: "convert-changes-flow", stage: "convert", message: "the converted flow reads differently" });
}

/** A scenario case: loading it (with a `flow file` read from nowhere) gives diagnostics only. */
function checkScenarioCase(c: ParserCase, findings: Finding[]): void {
  const loaded = guarded("scenario", findings, () =>
    loadScenarioSource(c.source, c.file, { readFile: (p) => (/\.flow$/.test(p) ? 'display "x"\n' : undefined) }),
  );
  if (!loaded) return;
  internalErrors("scenario", [...loaded.diagnostics, ...loaded.invalid.flatMap((s) => s.diagnostics)], findings);
  checkSpans("scenario", loaded, c.file, c.source, findings);
}

/** The findings of one case; none means it behaved. */
export function checkParserCase(c: ParserCase): Finding[] {
  const findings: Finding[] = [];
  if (c.syntax === "text" || c.syntax === "yaml") checkFlowCase(c, findings);
  else checkScenarioCase(c, findings);
  return findings;
}
