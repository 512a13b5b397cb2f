/**
 * The YAML form, `*.scenario.yaml`: one scenario per YAML document (`---` separates them).
 *
 *   scenario: Split the bill shows a waiting screen
 *   tags: [session, rule-1]
 *   flow: ../pay-at-table.flow         # a flow file; or `flow: |` with flow-language lines,
 *                                      # or a mapping in the YAML flow form (`steps: [...]`)
 *   vars: {table: "7"}
 *   given:
 *     - shopper answers "Split the bill?" with yes
 *   then:
 *     - waiting 5000ms after input "Split the bill?"
 *   examples:
 *     - {amount: "12.50", currency: EUR}
 *
 * `given` and `then` items are the same sentences as the text form's `given` / `then` lines.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar } from "yaml";
import type { Diagnostic } from "../../language/index.js";
import { didYouMeanHint, yamlSyntaxCode } from "../../language/index.js";
import type { ExampleRow, Given, Value } from "./model.js";
import { LineIndex } from "../../language/index.js";
import type { SentenceText } from "./sentence-tokens.js";
import { parseExpectation, parseGiven } from "./sentences.js";
import { flowExcerpt, placeRowDraft, type ScenarioDraft } from "./draft.js";
import { excerpt, substitute, within } from "./substitute.js";

export const SCENARIO_YAML_KEYS = [
  "scenario",
  "description",
  "tags",
  "flow",
  "vars",
  "given",
  "then",
  "examples",
] as const;

type AnyDoc = Document.Parsed;

/** Reads every scenario of a `*.scenario.yaml` file: one draft per document and per examples row. */
export function readScenarioYaml(source: string, file: string): { drafts: ScenarioDraft[]; diagnostics: Diagnostic[] } {
  const index = new LineIndex(source, file);
  const diagnostics: Diagnostic[] = [];
  const drafts: ScenarioDraft[] = [];
  const docs = parseAllDocuments(source) as unknown as AnyDoc[] | { errors: unknown[] };
  if (!Array.isArray(docs) || docs.length === 0) {
    diagnostics.push({
      code: "missing-scenario",
      severity: "error",
      message: "this file has no scenario",
      span: index.span(0, 0),
      hint: "start with `scenario: <what it shows>`",
    });
    return { drafts, diagnostics };
  }
  docs.forEach((doc) => {
    const errors = yamlErrors(doc, index);
    if (errors.length > 0) {
      diagnostics.push(...errors);
      return;
    }
    // A broken examples table makes its scenario invalid, like any other mistake in it.
    const tableProblems: Diagnostic[] = [];
    const rows = readExamples(doc, index, tableProblems);
    if (rows === undefined || rows.length === 0) {
      const draft = readDocument(doc, source, index);
      draft.diagnostics.push(...tableProblems);
      drafts.push(draft);
      return;
    }
    const examplesPair = pairOf(doc, "examples");
    const table = examplesPair ? pairRange(examplesPair) : undefined;
    const [docStart, , docEnd] = doc.range;
    for (const row of rows) {
      // The row's own document without its table, rewritten: never the whole file once per row.
      const own = excerpt(source, docStart, docEnd, table);
      const sub = within(own, substitute(own.text, row.values, 0, own.text.length));
      const rowIndex = new LineIndex(sub.text, file);
      const rowDoc = (parseAllDocuments(sub.text) as unknown as AnyDoc[])[0];
      if (!rowDoc) continue;
      const rowErrors = yamlErrors(rowDoc, rowIndex);
      const draft: ScenarioDraft =
        rowErrors.length > 0
          ? {
              name: "",
              span: index.span(docStart, docStart),
              tags: [],
              givens: [],
              expectations: [],
              diagnostics: rowErrors,
            }
          : readDocument(rowDoc, sub.text, rowIndex);
      placeRowDraft(draft, sub, index, row, tableProblems);
      drafts.push(draft);
    }
  });
  return { drafts, diagnostics };
}

function yamlErrors(doc: AnyDoc, index: LineIndex): Diagnostic[] {
  return doc.errors.map((e) => ({
    code: yamlSyntaxCode(e.code),
    severity: "error" as const,
    message: e.message
      .split("\n")[0]
      .replace(/ at line \d+, column \d+:?$/, "")
      .replace(/\.$/, "")
      .replace(/^./, (c) => c.toLowerCase()),
    span: index.span(e.pos[0], e.pos[1]),
  }));
}

function pairOf(doc: AnyDoc, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(doc.contents)) return undefined;
  return (doc.contents.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === key);
}

function pairRange(pair: Pair<Node, Node | null>): readonly [number, number] {
  const start = pair.key?.range?.[0] ?? 0;
  return [start, pair.value?.range?.[2] ?? pair.key?.range?.[2] ?? start];
}

function nodeSpan(index: LineIndex, node: Node | null | undefined, fallback = 0) {
  const range = node?.range;
  return range ? index.span(range[0], range[1]) : index.span(fallback, fallback);
}

/** The examples table, or undefined when the document has none. */
function readExamples(doc: AnyDoc, index: LineIndex, diagnostics: Diagnostic[]): ExampleRow[] | undefined {
  const pair = pairOf(doc, "examples");
  if (!pair) return undefined;
  const rows: ExampleRow[] = [];
  if (!isSeq(pair.value)) {
    diagnostics.push({
      code: "expected-list",
      severity: "error",
      message: "`examples` must be a list of rows",
      span: nodeSpan(index, pair.value ?? pair.key),
      hint: 'e.g. `- {amount: "12.50", currency: EUR}`',
    });
    return rows;
  }
  for (const item of pair.value.items as Node[]) {
    if (!isMap(item)) {
      diagnostics.push({
        code: "expected-mapping",
        severity: "error",
        message: "an examples row must be a mapping of column to value",
        span: nodeSpan(index, item),
        hint: 'e.g. `- {amount: "12.50", currency: EUR}`',
      });
      continue;
    }
    const values: Record<string, string> = {};
    for (const p of item.items as Pair<Node, Node | null>[]) {
      const name = isScalar(p.key) ? String(p.key.value) : "";
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        diagnostics.push({
          code: "bad-column",
          severity: "error",
          message: `\`${name}\` is not a column name`,
          span: nodeSpan(index, p.key),
          hint: "column names are letters, digits and `_`, used as `${name}`",
        });
        continue;
      }
      if (!isScalar(p.value)) {
        diagnostics.push({
          code: "expected-scalar",
          severity: "error",
          message: `the value of \`${name}\` must be a single value`,
          span: nodeSpan(index, p.value ?? p.key),
        });
        continue;
      }
      values[name] = scalarText(p.value, index.source);
    }
    rows.push({ index: rows.length + 1, values, span: nodeSpan(index, item) });
  }
  return rows;
}

/** A scalar as written: `12.50` stays `12.50` (never through a float); quoted ones unquoted. */
function scalarText(node: Scalar, text: string): string {
  if (node.type === "PLAIN" && node.range) return text.slice(node.range[0], node.range[1]);
  return node.value === null || node.value === undefined ? "" : String(node.value);
}

function readDocument(doc: AnyDoc, text: string, index: LineIndex): ScenarioDraft {
  const start = doc.contents?.range?.[0] ?? doc.range[0];
  const firstKey = isMap(doc.contents)
    ? (doc.contents.items[0] as Pair<Node, Node | null> | undefined)?.key
    : undefined;
  // Until the name is read, the scenario is "the document's first key": where a missing name points.
  const draft: ScenarioDraft = {
    name: "",
    span: firstKey ? nodeSpan(index, firstKey) : index.span(start, start),
    tags: [],
    givens: [],
    expectations: [],
    diagnostics: [],
  };
  const report = (d: Diagnostic): void => void draft.diagnostics.push(d);
  if (!isMap(doc.contents)) {
    report({
      code: "expected-mapping",
      severity: "error",
      message: "a scenario must be a mapping with `scenario`, `flow`, `given` and `then`",
      span: nodeSpan(index, doc.contents, start),
    });
    return draft;
  }
  let hasName = false;
  for (const pair of doc.contents.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value;
    switch (key) {
      case "scenario":
        if (isScalar(value) && value.value !== null && typeof value.value !== "object") {
          draft.name = String(value.value);
          draft.span = nodeSpan(index, value);
          hasName = true;
        } else
          report({
            code: "expected-string",
            severity: "error",
            message: "`scenario` must be the scenario's name",
            span: nodeSpan(index, value ?? pair.key),
          });
        break;
      case "description":
      case "examples":
        break;
      case "tags":
        if (isSeq(value)) draft.tags.push(...(value.items as Node[]).filter(isScalar).map((t) => String(t.value)));
        else if (isScalar(value))
          draft.tags.push(
            ...String(value.value ?? "")
              .split(/[,\s]+/)
              .filter((t) => t !== ""),
          );
        else
          report({
            code: "expected-list",
            severity: "error",
            message: "`tags` must be a list of words",
            span: nodeSpan(index, value ?? pair.key),
            hint: "e.g. `tags: [session, smoke]`",
          });
        break;
      case "flow":
        readFlow(pair, text, index, draft);
        break;
      case "vars":
        readVars(value, text, index, draft);
        break;
      case "given":
      case "then":
        readSentences(key, value ?? pair.key, index, draft, columnsOf(doc));
        break;
      default:
        report({
          code: "unknown-key",
          severity: "error",
          message: `unknown key \`${key}\` in a scenario`,
          span: nodeSpan(index, pair.key),
          hint:
            didYouMeanHint(key, SCENARIO_YAML_KEYS) ??
            `the keys are ${SCENARIO_YAML_KEYS.map((k) => `\`${k}\``).join(", ")}`,
        });
    }
  }
  if (!hasName)
    report({
      code: "missing-name",
      severity: "error",
      message: "this scenario has no `scenario:` name",
      span: draft.span,
      hint: "add `scenario: <what it shows>`",
    });
  if (!pairOf(doc, "flow"))
    report({
      code: "missing-flow",
      severity: "error",
      message: "this scenario has no flow",
      span: draft.span,
      hint: "add `flow: <path of a flow file>`, or `flow: |` followed by flow lines",
    });
  return draft;
}

function readFlow(pair: Pair<Node, Node | null>, text: string, index: LineIndex, draft: ScenarioDraft): void {
  const node = pair.value;
  if (isScalar(node) && node.range) {
    const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
    if (block || String(node.value).includes("\n")) {
      // Keep the block's content lines where they are; the header (`|`) line is blanked.
      const contentStart = block ? text.indexOf("\n", node.range[0]) + 1 : node.range[0];
      draft.flow = flowExcerpt(text, [[contentStart, node.range[1]]]);
      return;
    }
    draft.flow = { kind: "file", path: String(node.value), span: nodeSpan(index, node) };
    return;
  }
  if (isMap(node) && node.range) {
    draft.flow = { ...flowExcerpt(text, [[node.range[0], node.range[1]]]), syntax: "yaml" };
    return;
  }
  draft.diagnostics.push({
    code: "expected-flow",
    severity: "error",
    message: "`flow` must be a flow file's path, flow lines after `|`, or a YAML flow with `steps`",
    span: nodeSpan(index, node ?? pair.key),
    hint: "e.g. `flow: ../pay-at-table.flow`",
  });
}

function readVars(node: Node | null, text: string, index: LineIndex, draft: ScenarioDraft): void {
  if (!isMap(node)) {
    draft.diagnostics.push({
      code: "expected-mapping",
      severity: "error",
      message: "`vars` must map param names to values",
      span: nodeSpan(index, node),
      hint: 'e.g. `vars: {table: "7"}`',
    });
    return;
  }
  for (const p of node.items as Pair<Node, Node | null>[]) {
    if (!isScalar(p.key) || !isScalar(p.value)) {
      draft.diagnostics.push({
        code: "expected-scalar",
        severity: "error",
        message: "each var is a name and one value",
        span: nodeSpan(index, p.value ?? p.key),
      });
      continue;
    }
    const written = scalarText(p.value, text);
    const value: Value =
      p.value.type !== "PLAIN"
        ? { kind: "string", value: written }
        : /^(yes|true|no|false)$/i.test(written)
          ? { kind: "boolean", value: /^(yes|true)$/i.test(written), text: written }
          : /^[0-9]/.test(written)
            ? { kind: "number", text: written }
            : { kind: "word", value: written };
    const given: Given = {
      kind: "var",
      name: String(p.key.value),
      value,
      span: index.span(p.key.range?.[0] ?? 0, p.value.range?.[1] ?? 0),
    };
    draft.givens.push(given);
  }
}

/** The examples columns of a document (every key of every row). */
function columnsOf(doc: AnyDoc): string[] {
  const rows = pairOf(doc, "examples")?.value;
  if (!isSeq(rows)) return [];
  const names = new Set<string>();
  for (const row of rows.items as Node[])
    if (isMap(row))
      for (const p of row.items as Pair<Node, Node | null>[]) if (isScalar(p.key)) names.add(String(p.key.value));
  return [...names];
}

export function readSentences(
  key: "given" | "then",
  node: Node,
  index: LineIndex,
  draft: ScenarioDraft,
  columns: readonly string[],
): void {
  const items = isSeq(node) ? (node.items as Node[]) : isScalar(node) && node.value !== null ? [node] : undefined;
  if (!items) {
    draft.diagnostics.push({
      code: "expected-list",
      severity: "error",
      message: `\`${key}\` must be a list of sentences`,
      span: nodeSpan(index, node),
      hint: key === "given" ? 'e.g. `- shopper answers "Split the bill?" with yes`' : "e.g. `- sent admin end once`",
    });
    return;
  }
  for (const item of items) {
    const read = isScalar(item) && item.range ? scalarSentence(item, index) : colonSentence(item, index);
    const sentence = read && { ...read, columns };
    if (!sentence) {
      draft.diagnostics.push({
        code: "expected-sentence",
        severity: "error",
        message: `each \`${key}\` item is one sentence`,
        span: nodeSpan(index, item),
        hint: "write the sentence on one line, or put it in single quotes",
      });
      continue;
    }
    const first = sentence.text.search(/\S/);
    const start = sentence.offsetAt(Math.max(first, 0));
    const result = key === "given" ? parseGiven(sentence, start) : parseExpectation(sentence, start);
    draft.diagnostics.push(...result.diagnostics);
    if (result.value) {
      if (key === "given") draft.givens.push(result.value as Given);
      else draft.expectations.push(result.value as ScenarioDraft["expectations"][number]);
    }
  }
}

/**
 * A one-line sentence YAML read as a mapping because it has `: ` in it
 * (`- waiting after display "Total: 5"`): a sentence is never a mapping, so the line as written is it.
 */
function colonSentence(item: Node, index: LineIndex): SentenceText | undefined {
  if (!isMap(item) || item.items.length !== 1 || !item.range) return undefined;
  const pair = item.items[0] as Pair<Node, Node | null>;
  if (
    !isScalar(pair.key) ||
    pair.key.type !== "PLAIN" ||
    (pair.value && (!isScalar(pair.value) || pair.value.type !== "PLAIN"))
  )
    return undefined;
  const from = item.range[0];
  const text = index.source.slice(from, item.range[1]).trimEnd();
  if (text.includes("\n")) return undefined;
  return { text, offsetAt: (i) => from + i, source: index };
}

/** The scalar's text with each character's source offset, undoing YAML quoting. */
function scalarSentence(node: Scalar, index: LineIndex): SentenceText {
  const [from, to] = node.range!;
  const raw = index.source;
  const chars: string[] = [];
  const offsets: number[] = [];
  if (node.type === "QUOTE_SINGLE" || node.type === "QUOTE_DOUBLE") {
    const quote = raw[from];
    let i = from + 1;
    const end = to - 1;
    while (i < end) {
      if (quote === "'" && raw[i] === "'" && raw[i + 1] === "'") {
        chars.push("'");
        offsets.push(i);
        i += 2;
      } else if (quote === '"' && raw[i] === "\\") {
        const esc = raw[i + 1] ?? "";
        chars.push(esc === "n" ? "\n" : esc === "t" ? "\t" : esc);
        offsets.push(i);
        i += 2;
      } else {
        chars.push(raw[i]);
        offsets.push(i);
        i++;
      }
    }
  } else {
    const start = node.type === "PLAIN" ? from : raw.indexOf("\n", from) + 1;
    for (let i = start; i < to; i++) {
      chars.push(raw[i]);
      offsets.push(i);
    }
  }
  const end = offsets.length > 0 ? offsets[offsets.length - 1] + 1 : from;
  return { text: chars.join(""), offsetAt: (i) => (i < offsets.length ? offsets[i] : end), source: index };
}
