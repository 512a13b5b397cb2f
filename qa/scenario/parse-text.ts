/**
 * The text form, `*.scenario`: scenario lines (`scenario`, `tags`, `flow file`, `given`, `then`,
 * `examples` and its `| ... |` rows) around a flow written in the flow language. Every other line
 * belongs to the flow; it is parsed in place (the scenario lines blanked out), so the flow's spans
 * are positions in the scenario file.
 *
 *   scenario "Split the bill shows a waiting screen"
 *   tags session, rule-1
 *   given shopper answers "Split the bill?" with yes
 *   then waiting 5000ms after input "Split the bill?"
 *
 *   session waiting 5000 < input confirm "Split the bill?" as split; display "Thanks" >
 *
 * A file may hold several scenarios: each `scenario` line starts the next one.
 */
import type { Diagnostic } from "../../language/index.js";
import { didYouMeanHint } from "../../language/index.js";
import type { ExampleRow } from "./model.js";
import { LineIndex } from "../../language/index.js";
import { verbatimSentence } from "./sentence-tokens.js";
import { parseExpectation, parseGiven } from "./sentences.js";
import { flowExcerpt, placeRowDraft, type ScenarioDraft } from "./draft.js";
import { excerpt, substitute, within } from "./substitute.js";

type LineKind = "scenario" | "tags" | "flow-file" | "given" | "then" | "examples" | "row" | "flow";

interface Line {
  kind: LineKind;
  /** Offsets of the line's content (without its newline) and of its first non-blank character. */
  start: number;
  end: number;
  content: number;
  /** Offset just after the line's keyword(s). */
  rest: number;
}

export const SCENARIO_KEYWORDS = ["scenario", "tags", "given", "then", "examples"];

/** One scenario block of the file and its examples table. */
interface Block {
  lines: Line[];
  start: number;
  end: number;
  header: string[];
  rows: ExampleRow[];
  /** Problems of this block's table: they make its scenario invalid. */
  diagnostics: Diagnostic[];
  tableRange?: readonly [number, number];
}

/** Reads every scenario of a `*.scenario` file: one draft per scenario and per examples row. */
export function readScenarioText(source: string, file: string): { drafts: ScenarioDraft[]; diagnostics: Diagnostic[] } {
  const index = new LineIndex(source, file);
  const diagnostics: Diagnostic[] = [];
  const blocks = splitBlocks(classify(source), index, diagnostics);
  if (blocks.length === 0) {
    diagnostics.push({
      code: "missing-scenario",
      severity: "error",
      message: "this file has no `scenario` line",
      span: index.span(0, 0),
      hint: 'start each scenario with `scenario "<what it shows>"`',
    });
  }
  const drafts: ScenarioDraft[] = [];
  for (const block of blocks) {
    if (block.rows.length === 0) {
      drafts.push(readBlock(source, file, block, index));
      continue;
    }
    for (const row of block.rows) {
      // The row's own scenario without its table, rewritten: never the whole file once per row.
      const own = excerpt(source, block.start, block.end, block.tableRange);
      const sub = within(own, substitute(own.text, row.values, 0, own.text.length));
      const rowIndex = new LineIndex(sub.text, file);
      const [rowBlock] = splitBlocks(classify(sub.text), rowIndex, []);
      if (!rowBlock) continue;
      const draft = placeRowDraft(
        readBlock(sub.text, file, { ...rowBlock, header: block.header, diagnostics: [] }, rowIndex),
        sub,
        index,
        row,
        block.diagnostics,
      );
      drafts.push(draft);
    }
  }
  return { drafts, diagnostics };
}

function classify(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= source.length) {
    const br = /\r\n|\r|\n/g;
    br.lastIndex = start;
    const m = br.exec(source);
    const end = m ? m.index : source.length;
    lines.push(classifyLine(source, start, end));
    if (!m) break;
    start = end + m[0].length;
  }
  return lines;
}

function classifyLine(source: string, start: number, end: number): Line {
  const text = source.slice(start, end);
  const trimmed = text.trimStart();
  const content = start + (text.length - trimmed.length);
  if (trimmed.startsWith("|")) return { kind: "row", start, end, content, rest: content };
  const flowFile = /^flow[ \t]+file\b/.exec(trimmed);
  if (flowFile) return { kind: "flow-file", start, end, content, rest: content + flowFile[0].length };
  const word = /^[A-Za-z_]+/.exec(trimmed)?.[0] ?? "";
  if (SCENARIO_KEYWORDS.includes(word) && isKeywordEnd(trimmed.slice(word.length))) {
    return { kind: word as LineKind, start, end, content, rest: content + word.length };
  }
  return { kind: "flow", start, end, content, rest: content };
}

/** `given` must be a word on its own: `givenX` is not the keyword. */
function isKeywordEnd(after: string): boolean {
  return after === "" || /^[ \t#"]/.test(after);
}

function isBlankOrComment(source: string, line: Line): boolean {
  const text = source.slice(line.content, line.end);
  return text === "" || text.startsWith("#");
}

function splitBlocks(lines: Line[], index: LineIndex, diagnostics: Diagnostic[]): Block[] {
  const source = index.source;
  const blocks: Block[] = [];
  let current: Block | undefined;
  let inTable = false;
  for (const line of lines) {
    if (line.kind === "scenario") {
      if (current) current.end = line.start;
      current = { lines: [], start: line.start, end: source.length, header: [], rows: [], diagnostics: [] };
      blocks.push(current);
      inTable = false;
    }
    if (!current) {
      if (!isBlankOrComment(source, line)) {
        const word = /^[A-Za-z_]+/.exec(source.slice(line.content, line.end))?.[0] ?? "";
        diagnostics.push({
          code: "missing-scenario",
          severity: "error",
          message: 'expected `scenario "<name>"` before anything else',
          span: index.span(line.content, line.end),
          hint: didYouMeanHint(word, ["scenario"]) ?? 'start each scenario with `scenario "<what it shows>"`',
        });
      }
      continue;
    }
    if (line.kind === "examples") inTable = true;
    else if (line.kind === "row") {
      if (!inTable) {
        current.diagnostics.push({
          code: "row-outside-examples",
          severity: "error",
          message: "a table row outside an `examples` table",
          span: index.span(line.content, line.end),
          hint: "put the rows under an `examples` line",
        });
        continue;
      }
      readRow(source, line, current, index, current.diagnostics);
    } else if (inTable && !isBlankOrComment(source, line)) inTable = false;
    current.lines.push(line);
  }
  return blocks;
}

function readRow(source: string, line: Line, block: Block, index: LineIndex, diagnostics: Diagnostic[]): void {
  const text = source
    .slice(line.content, line.end)
    .replace(/\s+#.*$/, "")
    .trim();
  const cells = text
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
  block.tableRange = [block.tableRange?.[0] ?? line.start, line.end];
  if (block.header.length === 0) {
    block.header = cells;
    cells.forEach((name) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        diagnostics.push({
          code: "bad-column",
          severity: "error",
          message: `\`${name}\` is not a column name`,
          span: index.span(line.content, line.end),
          hint: "column names are letters, digits and `_`, used as `${name}`",
        });
      }
    });
    return;
  }
  if (cells.length !== block.header.length) {
    diagnostics.push({
      code: "row-width",
      severity: "error",
      message: `this row has ${cells.length} cells, the header has ${block.header.length}`,
      span: index.span(line.content, line.end),
    });
    return;
  }
  const values: Record<string, string> = {};
  for (const [i, name] of block.header.entries()) values[name] = cells[i];
  block.rows.push({ index: block.rows.length + 1, values, span: index.span(line.content, line.end) });
}

/** One scenario block (of the source or of one row's rewritten source) into a draft. */
function readBlock(source: string, _file: string, block: Block, index: LineIndex): ScenarioDraft {
  const draft: ScenarioDraft = {
    name: "",
    span: index.span(block.start, block.start),
    tags: [],
    givens: [],
    expectations: [],
    diagnostics: [...block.diagnostics],
  };
  const flowLines: Array<readonly [number, number]> = [];
  let flowFile: ScenarioDraft["flow"] | undefined;
  let hasBody = false;
  for (const line of block.lines) {
    const sentence = { ...verbatimSentence(index, line.rest, line.end), columns: block.header };
    switch (line.kind) {
      case "scenario": {
        const m = /^[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*(#.*)?$/.exec(sentence.text);
        draft.span = index.span(line.content, line.end - (m?.[2]?.length ?? 0));
        if (!m) {
          draft.diagnostics.push({
            code: "expected-string",
            severity: "error",
            message: "expected the scenario's name in double quotes",
            span: index.span(line.content, line.end),
            hint: 'e.g. `scenario "Split the bill shows a waiting screen"`',
          });
        } else draft.name = m[1].replace(/\\(.)/g, "$1");
        break;
      }
      case "tags":
        draft.tags.push(
          ...sentence.text
            .replace(/(^|\s)#.*$/, "")
            .split(/[,\s]+/)
            .filter((t) => t !== ""),
        );
        break;
      case "flow-file": {
        const m = /^[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*(#.*)?$/.exec(sentence.text);
        if (!m) {
          draft.diagnostics.push({
            code: "expected-string",
            severity: "error",
            message: "expected the flow file's path in double quotes",
            span: index.span(line.content, line.end),
            hint: 'e.g. `flow file "../pay-at-table.flow"` (relative to this scenario)',
          });
        } else flowFile = { kind: "file", path: m[1], span: index.span(line.content, line.end - (m[2]?.length ?? 0)) };
        break;
      }
      case "given": {
        const r = parseGiven(sentence, line.content);
        draft.diagnostics.push(...r.diagnostics);
        if (r.value) draft.givens.push(r.value);
        break;
      }
      case "then": {
        const r = parseExpectation(sentence, line.content);
        draft.diagnostics.push(...r.diagnostics);
        if (r.value) draft.expectations.push(r.value);
        break;
      }
      case "examples":
      case "row":
        break;
      default:
        flowLines.push([line.start, line.end]);
        if (!isBlankOrComment(source, line)) hasBody = true;
    }
  }
  if (flowFile && hasBody) {
    draft.diagnostics.push({
      code: "flow-twice",
      severity: "error",
      message: "this scenario has both a `flow file` and an inline flow",
      span: flowFile.kind === "file" ? flowFile.span : draft.span,
      hint: "keep one: the file, or the flow lines",
    });
  } else if (flowFile) draft.flow = flowFile;
  else if (hasBody) draft.flow = flowExcerpt(source, flowLines);
  else {
    draft.diagnostics.push({
      code: "missing-flow",
      severity: "error",
      message: "this scenario has no flow",
      span: draft.span,
      hint: 'write the flow\'s steps below the scenario lines, or `flow file "<path>"`',
    });
  }
  return draft;
}
