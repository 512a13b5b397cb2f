/**
 * The last layout decision of the YAML form: a map or list built as a one-line flow collection
 * (`{amount: "12.50", currency: EUR}`, `[Good, Bad]`) stays one when its line fits in LINE_WIDTH
 * columns and no comment sits inside it or between its key and it; otherwise it becomes a block
 * collection. Its line-end comment is fine either way (it goes on top of the block).
 */
import {
  type Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { LINE_WIDTH, newFlowDocument, YAML_STRINGIFY_OPTIONS } from "./build-document.js";
import { moveTrailingCommentToTop } from "./trailing-comments.js";

/** Applies the rule to every flow collection of the document, outside in. */
export function fitLayout(doc: Document): void {
  const root = doc.contents;
  if (isMap(root)) fitMap(doc, root, 0);
  else if (isSeq(root)) fitSeq(doc, root, 0);
}

/** A block map whose keys start at `column`. */
function fitMap(doc: Document, map: YAMLMap, column: number): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    fitValue(doc, pair.value as Node | null, column, column + key.length + 2);
  }
}

/** A block list whose `- ` marks sit at `column`. */
function fitSeq(doc: Document, seq: YAMLSeq, column: number): void {
  for (const item of seq.items) fitValue(doc, item as Node | null, column + 2, column + 2);
}

/** A value whose block form would start at `blockColumn` and whose flow form would start at `inlineColumn`. */
function fitValue(doc: Document, node: Node | null, blockColumn: number, inlineColumn: number): void {
  if (!isCollection(node)) return;
  if (node.flow) {
    const inline = render(node);
    // A comment before a value under a key would print alone between `key:` and `{...}`; the reader
    // gives a comment on top of a block map's fields to the map the same way, so only the block form
    // comes back as it was printed.
    const commentAbove = blockColumn !== inlineColumn && Boolean(node.commentBefore);
    const fits = inlineColumn + inline.length <= LINE_WIDTH && !inline.includes("\n");
    if (fits && !commentAbove && !hasInnerComments(node)) return;
    node.flow = false;
    // Its line-end comment goes on top, like a comment after `key:`, whatever follows: printed below the
    // block it would have to move whenever a comment comes next (trailing-comments.ts).
    moveTrailingCommentToTop(node);
  }
  // A block value under a key is indented by 2; a map inside a list item starts right after `- `.
  const column = blockColumn === inlineColumn ? blockColumn : blockColumn + 2;
  if (isMap(node)) fitMap(doc, node, column);
  else fitSeq(doc, node as YAMLSeq, blockColumn === inlineColumn ? blockColumn : blockColumn + 2);
}

/** One document to render collections on their own (making a Document per call is slow). */
const scratch = newFlowDocument();

/** The collection's one-line text, without its own comments (they go around it, not inside). */
function render(node: Node): string {
  const { comment, commentBefore, spaceBefore } = node;
  Object.assign(node, { comment: null, commentBefore: null, spaceBefore: false });
  scratch.contents = node;
  try {
    return scratch.toString(YAML_STRINGIFY_OPTIONS).trimEnd();
  } finally {
    scratch.contents = null;
    Object.assign(node, { comment, commentBefore, spaceBefore });
  }
}

function hasInnerComments(node: Node): boolean {
  if (!isCollection(node)) return false;
  for (const item of node.items) {
    const parts = isPair(item) ? [item.key, item.value] : [item];
    for (const part of parts) {
      if (!part || typeof part !== "object") continue;
      const n = part as Node;
      if (n.commentBefore || n.comment || n.spaceBefore || hasInnerComments(n)) return true;
    }
  }
  return false;
}
