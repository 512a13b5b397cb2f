/**
 * YAML syntax errors and warnings (from the `yaml` package) as Diagnostics: code `yaml-` plus the
 * package's error code in kebab case (`yaml-tab-as-indent`), positioned through the LineCounter.
 */
import { isMap, isPair, isScalar, isSeq, YAMLParseError, type Document, type Pair, type YAMLError } from "yaml";
import { yamlSyntaxCode } from "../diagnostic-codes.js";
import type { Severity } from "../diagnostic.js";
import type { YamlContext } from "./context.js";

/** What to do about the YAML errors people meet most. */
const HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: "indent with spaces; YAML does not allow tabs for indentation",
  BAD_INDENT: "line up items of one list or map at the same indentation, with spaces",
  DUPLICATE_KEY: "each key may appear once in a map; remove or rename one of them",
  MULTIPLE_DOCS: "a flow file holds one YAML document; remove the extra `---`",
  MISSING_CHAR: "close the quote or bracket that was opened",
  BLOCK_AS_IMPLICIT_KEY: "check the indentation of this line and the one before it",
  MULTILINE_IMPLICIT_KEY: "check the indentation of this line and the one before it",
  BAD_DQ_ESCAPE: "in double quotes write `\\\\` for a backslash, or use single quotes",
};

/**
 * Adds one Diagnostic per YAML error or warning, and at most one per line: one indentation slip
 * makes yaml report two or three errors at once, and the first says it best.
 */
export function reportYamlErrors(
  ctx: YamlContext,
  errors: readonly YAMLError[],
  severity: Severity,
  duplicates: ReadonlyMap<number, DuplicateKey> = new Map(),
): void {
  const lines = new Set<number>();
  for (const error of errors) {
    const [start, end] = error.pos;
    const line = ctx.position(start).line;
    if (lines.has(line)) continue;
    lines.add(line);
    const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
    const opened = quote === undefined ? undefined : openingQuote(ctx.source, start, quote);
    if (quote !== undefined && opened !== undefined) {
      const lineEnd = ctx.source.slice(opened).search(/[\r\n]|$/) + opened;
      ctx.report(
        yamlSyntaxCode(error.code),
        `this text has no closing \`${quote}\``,
        ctx.span(opened, lineEnd),
        `close the text with \`${quote}\`; a quoted text runs on over line breaks until its closing quote`,
        severity,
      );
      continue;
    }
    const duplicate = error.code === "DUPLICATE_KEY" ? duplicates.get(start) : undefined;
    if (duplicate) {
      // yaml points one character into the second key: underline the whole key, and show the first.
      ctx.report(
        yamlSyntaxCode(error.code),
        `duplicate key \`${duplicate.name}\`: map keys must be unique`,
        ctx.span(duplicate.second[0], duplicate.second[1]),
        HINTS[error.code],
        severity,
      );
      const reported = ctx.diagnostics[ctx.diagnostics.length - 1];
      reported.related = [
        { message: `\`${duplicate.name}\` first appears here`, span: ctx.span(duplicate.first[0], duplicate.first[1]) },
      ];
      continue;
    }
    ctx.report(
      yamlSyntaxCode(error.code),
      messageOf(error),
      ctx.span(start, Math.max(end, start)),
      HINTS[error.code],
      severity,
    );
  }
}

/** A key repeated in a map: its name, and the ranges of its first and repeated occurrence. */
export interface DuplicateKey {
  name: string;
  first: [number, number];
  second: [number, number];
}

/**
 * The keys repeated in the document's maps, as yaml's errors (DUPLICATE_KEY at the repeated key,
 * in document order) and by where each is. yaml finds them itself with `uniqueKeys`, but compares
 * each key with every key before it: a map of 40,000 keys took over a minute. This is one pass with
 * the same rule (scalar keys with equal values), so the front end turns `uniqueKeys` off.
 */
export function findDuplicateKeys(document: Document): { errors: YAMLParseError[]; at: Map<number, DuplicateKey> } {
  const found = { errors: [] as YAMLParseError[], at: new Map<number, DuplicateKey>() };
  // A walk of our own rather than yaml's `visit`, which freezes a copy of the path at every node.
  // Maps first, then their keys and values, in document order as `visit` goes.
  walkForDuplicates(document.contents, found);
  return found;
}

function walkForDuplicates(node: unknown, found: { errors: YAMLParseError[]; at: Map<number, DuplicateKey> }): void {
  if (isMap(node)) {
    const items = node.items as Pair[];
    if (items.length > 1) duplicatesIn(items, found);
    for (const pair of items) {
      walkForDuplicates(pair.key, found);
      walkForDuplicates(pair.value, found);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkForDuplicates(item, found);
  } else if (isPair(node)) {
    walkForDuplicates(node.key, found);
    walkForDuplicates(node.value, found);
  }
}

/** Maps at most this long compare each key with those before it: cheaper than a Set per map. */
const SMALL_MAP = 8;

function duplicatesIn(items: Pair[], found: { errors: YAMLParseError[]; at: Map<number, DuplicateKey> }): void {
  if (items.length <= SMALL_MAP) {
    let any = false;
    for (let i = 1; i < items.length && !any; i++) {
      const key = items[i].key;
      if (!isScalar(key) || !key.range) continue;
      for (let j = 0; j < i; j++) {
        const earlier = items[j].key;
        // Set semantics (SameValueZero), as the general path below.
        if (isScalar(earlier) && earlier.range && sameValueZero(earlier.value, key.value)) {
          any = true;
          break;
        }
      }
    }
    if (!any) return;
  }
  const values = new Set<unknown>();
  const names = new Map<string, [number, number]>();
  for (const pair of items) {
    const key = pair.key;
    if (!isScalar(key) || !key.range) continue;
    const start = key.range[0];
    const name = String(key.source ?? key.value);
    const range: [number, number] = [start, key.range[1]];
    if (values.has(key.value)) {
      found.errors.push(new YAMLParseError([start, start + 1], "DUPLICATE_KEY", "Map keys must be unique"));
      // The message names the key when an earlier one is written the same way (`1` and `1.0` are not).
      const first = names.get(name);
      if (first) found.at.set(start, { name, first, second: range });
    }
    values.add(key.value);
    if (!names.has(name)) names.set(name, range);
  }
}

function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Where the unclosed quoted text that ends at `end` starts: the last quote before it that is not
 * escaped (`\"` in double quotes, `''` in single quotes), since an unclosed text holds no other.
 */
function openingQuote(source: string, end: number, quote: string): number | undefined {
  for (let i = Math.min(end, source.length) - 1; i >= 0; i--) {
    if (source[i] !== quote) continue;
    if (quote === '"') {
      let backslashes = 0;
      for (let j = i - 1; j >= 0 && source[j] === "\\"; j--) backslashes++;
      if (backslashes % 2 === 0) return i;
    } else if (source[i - 1] === "'") i--;
    else return i;
  }
  return undefined;
}

/** yaml's message as one lower-case line without a trailing period or the "at line" suffix. */
function messageOf(error: YAMLError): string {
  const first = error.message
    .split("\n")[0]
    .replace(/ at line \d+, column \d+:?$/, "")
    .replace(/\.$/, "");
  const message = first.replace(/; please use YAML\.parseAllDocuments\(\)/, "");
  return message.charAt(0).toLowerCase() + message.slice(1);
}
