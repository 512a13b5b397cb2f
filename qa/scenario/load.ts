/**
 * From a scenario file's text to runnable scenarios: pick the front end by file name, load each
 * scenario's flow (inline or from a file next to it) through the language pipeline, and check that
 * the scenario's vars fit the flow's params. Never throws; problems are Diagnostics.
 */
import { isAbsolute } from "node:path";
import type { Flow, Span } from "../../language/index.js";
import {
  hasErrors,
  type CalledFlows,
  type Diagnostic,
  type FlowFiles,
  loadFlow,
  resolveCallPath,
  syntaxOf,
  didYouMean,
  didYouMeanHint,
  readSource,
  type ReadResult,
} from "../../language/index.js";
import { paramValueOf, type Scenario, type Value } from "./model.js";
import { secretsOf } from "../../protocol/index.js";
import { bindParams } from "../../runtime/index.js";
import type { ScenarioDraft } from "./draft.js";
import { readScenarioText, SCENARIO_KEYWORDS } from "./parse-text.js";
import { readScenarioYaml } from "./parse-yaml.js";
import { LineIndex } from "../../language/index.js";
import { remapSpans } from "./substitute.js";
import { unknownVariable } from "./sentence-tokens.js";

/** `*.scenario` (text) and `*.scenario.yaml` / `*.scenario.yml` (YAML). */
export function scenarioSyntaxOf(file: string): "text" | "yaml" | undefined {
  if (/\.scenario$/i.test(file)) return "text";
  if (/\.scenario\.ya?ml$/i.test(file)) return "yaml";
  return undefined;
}

/** A scenario that cannot run: its file, name and what is wrong. */
export interface InvalidScenario {
  id: string;
  name: string;
  file: string;
  span: Span;
  tags: string[];
  diagnostics: Diagnostic[];
}

export interface LoadedScenarios {
  file: string;
  scenarios: Scenario[];
  invalid: InvalidScenario[];
  /** Problems that belong to no single scenario (a YAML syntax error, a stray table row). */
  diagnostics: Diagnostic[];
  /**
   * Values the file gives to secret-named params, vars and examples columns (protocol/redact.ts):
   * known before any scenario runs, so nothing printed about the file shows them.
   */
  secrets: string[];
}

export interface LoadOptions {
  /** Reads a flow file named by `flow file`; undefined when it cannot be read. Default: the disk. */
  readFile?: (path: string) => string | undefined;
  /** Relative paths are read from here (they stay relative in spans). Default: the process's cwd. */
  cwd?: string;
}

type Reader = (path: string) => ReadResult;

/** The disk, through language's one reader: the same rules (links, encodings) as every command's. */
function readerOf(options: LoadOptions): Reader {
  const injected = options.readFile;
  if (!injected) return (path) => readSource(path, options.cwd ?? process.cwd());
  return (path) => {
    const source = injected(path);
    return source === undefined ? { ok: false, reason: "no such file or directory" } : { ok: true, source };
  };
}

/** Parses one scenario file's text into its scenarios. `file` is used for spans and flow paths. */
export function loadScenarioSource(source: string, file: string, options: LoadOptions = {}): LoadedScenarios {
  const readFile = readerOf(options);
  const read = scenarioSyntaxOf(file) === "yaml" ? readScenarioYaml(source, file) : readScenarioText(source, file);
  const index = new LineIndex(source, file);
  const result: LoadedScenarios = { file, scenarios: [], invalid: [], diagnostics: read.diagnostics, secrets: [] };
  const flowFiles = new Map<string, LoadedFlow>();
  const seen = new Map<string, number>();
  for (const draft of read.drafts) {
    const name = rowName(draft, index);
    const base = `${file} > ${name}`;
    const repeat = seen.get(base) ?? 0;
    seen.set(base, repeat + 1);
    const id = repeat === 0 ? base : `${base} #${repeat + 1}`;
    const diagnostics = [...draft.diagnostics];
    const loaded = draft.flow ? loadDraftFlow(draft, file, index, readFile, flowFiles, diagnostics) : undefined;
    const flow = loaded?.flow;
    result.secrets.push(...secretsOfDraft(draft, flow, loaded?.called));
    if (flow) diagnostics.push(...checkVars(draft, flow));
    if (!flow || hasErrors(diagnostics)) {
      result.invalid.push({ id, name, file, span: draft.span, tags: draft.tags, diagnostics });
      continue;
    }
    result.scenarios.push({
      id,
      name,
      file,
      span: draft.span,
      tags: draft.tags,
      flow,
      calls: loaded?.called ?? { flows: {}, links: {} },
      flowOrigin:
        draft.flow?.kind === "file"
          ? { kind: "file", path: draft.flow.path, span: draft.flow.span }
          : { kind: "inline" },
      givens: draft.givens,
      expectations: draft.expectations,
      ...(draft.example ? { example: draft.example } : {}),
    });
  }
  return result;
}

/** Reads a scenario file from disk and loads it; an unreadable file is one diagnostic. */
export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadedScenarios & { source?: string } {
  const read = readerOf(options)(file);
  if (!read.ok) {
    const span = new LineIndex("", file).span(0, 0);
    return {
      file,
      scenarios: [],
      invalid: [],
      diagnostics: [
        { code: "file-not-found", severity: "error", message: `cannot read ${file}: ${read.reason}`, span },
      ],
      secrets: [],
    };
  }
  return { ...loadScenarioSource(read.source, file, options), source: read.source };
}

/** The values of a scenario's secret-named vars, examples columns and param defaults (the called flows' too). */
function secretsOfDraft(draft: ScenarioDraft, flow: Flow | undefined, called: CalledFlows | undefined): string[] {
  const text = (v: Value): string =>
    v.kind === "boolean" || v.kind === "number" || v.kind === "money" ? v.text : v.value;
  const vars = draft.givens.flatMap((g) => (g.kind === "var" ? [[g.name, text(g.value)]] : []));
  const flows = flow ? [flow, ...Object.values(called?.flows ?? {})] : [];
  const defaults = flows.map((f) => Object.fromEntries(bindParams(f).values));
  return secretsOf([Object.fromEntries(vars), draft.example?.values ?? {}, ...defaults]);
}

/** A scenario's flow and the flows it calls, or only its diagnostics. */
interface LoadedFlow {
  flow?: Flow;
  called?: CalledFlows;
  diagnostics: Diagnostic[];
}

/** Called flows are read as flow files are: through the scenario loader's reader, relative to the calling file. */
function filesOf(readFile: Reader): FlowFiles {
  return { resolve: resolveCallPath, read: readFile };
}

/** The name of a row's scenario: as written, plus its values unless the name already uses them. */
function rowName(draft: ScenarioDraft, index: LineIndex): string {
  if (!draft.example) return draft.name;
  const written = index.source.slice(draft.span.start.offset, draft.span.end.offset);
  if (written.includes("${")) return draft.name;
  const values = Object.entries(draft.example.values).map(([k, v]) => `${k}=${v}`);
  return `${draft.name} [${values.join(", ")}]`;
}

/**
 * `gvien var x = 1` in a scenario is read as a flow step: the flow parser only knows flow steps,
 * so when it has no did-you-mean of its own, offer the scenario keyword the word is close to.
 */
function scenarioKeywordHint(d: Diagnostic): Diagnostic {
  const word = d.code === "unknown-step" ? /^unknown step `([^`]+)`/.exec(d.message)?.[1] : undefined;
  if (word === undefined || d.hint?.includes("did you mean")) return d;
  const keyword = didYouMean(word, [...SCENARIO_KEYWORDS, "flow"]);
  return keyword === undefined ? d : { ...d, hint: `did you mean \`${keyword}\`?` };
}

function loadDraftFlow(
  draft: ScenarioDraft,
  file: string,
  index: LineIndex,
  readFile: Reader,
  cache: Map<string, LoadedFlow>,
  diagnostics: Diagnostic[],
): LoadedFlow | undefined {
  const source = draft.flow!;
  if (source.kind === "inline") {
    const leftovers =
      draft.example && source.syntax === "flow"
        ? placeholdersOutsideStrings(source.text, file, Object.keys(draft.example.values))
        : [];
    if (leftovers.length > 0) {
      // `pay ${amout} EUR`: the flow would only say `$` is unexpected; name the real mistake.
      if (source.toOriginal) remapSpans(leftovers, file, source.toOriginal, index);
      diagnostics.push(...leftovers);
      return undefined;
    }
    // An inline flow calls files relative to the scenario file.
    const loaded = loadFlow(source.text, file, { syntax: source.syntax, files: filesOf(readFile) });
    if (source.toOriginal) remapSpans(loaded, file, source.toOriginal, index);
    diagnostics.push(...(source.syntax === "flow" ? loaded.diagnostics.map(scenarioKeywordHint) : loaded.diagnostics));
    return loaded;
  }
  // The same rule as a flow's `call`: relative to the scenario file, an absolute path as written.
  const path = resolveCallPath(file, source.path);
  let loaded = cache.get(path);
  if (!loaded) {
    // A name that is not a flow's is never read: its lines would only end up in a diagnostic.
    if (syntaxOf(path) === undefined) {
      diagnostics.push({
        code: "not-a-flow",
        severity: "error",
        message: `${source.path} is not a flow file`,
        span: source.span,
        hint: "flow files end in `.flow` or `.flow.yaml`",
      });
      return undefined;
    }
    const read = readFile(path);
    if (!read.ok) {
      loaded = { diagnostics: [] };
      diagnostics.push({
        code: "flow-not-found",
        severity: "error",
        message: `cannot read the flow file ${path}: ${read.reason}`,
        span: source.span,
        ...(isAbsolute(source.path) ? {} : { hint: "the path is relative to the scenario file" }),
      });
      return undefined;
    }
    loaded = loadFlow(read.source, path, { files: filesOf(readFile) });
    cache.set(path, loaded);
  }
  diagnostics.push(...loaded.diagnostics);
  return loaded;
}

/**
 * `${name}`s left in flow lines outside strings after the examples were substituted. Inside a
 * string `${name}` is the flow's own interpolation; outside one it can only be a mistyped column.
 */
function placeholdersOutsideStrings(text: string, file: string, columns: readonly string[]): Diagnostic[] {
  const index = new LineIndex(text, file);
  const out: Diagnostic[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"' || ch === "\n") inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "#") while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    else if (ch === "$" && text[i + 1] === "{") {
      const close = text.indexOf("}", i);
      const end = close < 0 ? i + 2 : close + 1;
      out.push(unknownVariable(text.slice(i, end), index.span(i, end), columns));
      i = end - 1;
    }
  }
  return out;
}

/**
 * Every `given var` names a param of the flow and fits its type (as `termflow run --var` reads it:
 * a scenario whose values cannot run is invalid, not a failed run); every param without a default
 * gets a value.
 */
function checkVars(draft: ScenarioDraft, flow: Flow): Diagnostic[] {
  const out: Diagnostic[] = [];
  const params = flow.params.map((p) => p.name.name);
  const given = new Set<string>();
  const doesNotFit = (name: string, value: string | boolean, span: Span): void => {
    const problem = bindParams(flow, { [name]: value }).diagnostics.find((d) => d.code === "invalid-var");
    // The run's words, with the hint in the scenario's own terms.
    if (problem) out.push({ ...problem, span, hint: problem.hint?.replace(/--var (\w+)=/, "given var $1 = ") });
  };
  for (const [name, value] of Object.entries(draft.example?.values ?? {}))
    if (params.includes(name) && !draft.givens.some((g) => g.kind === "var" && g.name === name))
      doesNotFit(name, value, draft.example!.span);
  for (const g of draft.givens) {
    if (g.kind !== "var") continue;
    given.add(g.name);
    if (params.includes(g.name)) doesNotFit(g.name, paramValueOf(g.value), g.span);
    else {
      out.push({
        code: "unknown-param",
        severity: "error",
        message: `the flow has no param \`${g.name}\``,
        span: g.span,
        hint:
          didYouMeanHint(g.name, params) ??
          (params.length
            ? `its params are ${params.map((p) => `\`${p}\``).join(", ")}`
            : "the flow declares no params"),
      });
    }
  }
  for (const p of flow.params) {
    const fromRow = draft.example && Object.hasOwn(draft.example.values, p.name.name);
    if (!p.default && !given.has(p.name.name) && !fromRow) {
      out.push({
        code: "missing-var",
        severity: "error",
        message: `the flow's param \`${p.name.name}\` needs a value`,
        span: draft.span,
        hint: `add \`given var ${p.name.name} = <value>\` (or an examples column \`${p.name.name}\`)`,
      });
    }
  }
  return out;
}
