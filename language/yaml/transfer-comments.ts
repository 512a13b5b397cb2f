/**
 * Moves the comments (and blank lines) of a source document onto the canonical document built from
 * its AST, node by node: map entries by key, list items by position. A comment whose node has no
 * counterpart (`on: [input, display, payment]` is dropped as the default) moves to the nearest
 * node that does, so no comment is ever lost.
 */
import { isCollection, isDocument, isMap, isPair, isSeq, type Document, type Node, type Pair } from "yaml";
import { keyName } from "./read-shape.js";
import { joinComments, moveTrailingCommentToTop } from "./trailing-comments.js";

/**
 * A comment's text as it can be printed back: yaml reads a lone CR (or U+2028, U+2029) as part of
 * the comment, but prints a `#` after it, so each `fmt` added one more (found by npm run fuzz).
 */
const printable = (comment: string | null | undefined) => comment?.replace(/\r(?!\n)|[\u2028\u2029]/g, " ");
const join = (a: string | null | undefined, b: string | null | undefined) => joinComments(printable(a), printable(b));

/** Copies every comment of `from` onto `to`. */
export function transferComments(from: Document, to: Document): void {
  to.commentBefore = join(to.commentBefore, from.commentBefore);
  to.comment = join(to.comment, from.comment);
  const source = from.contents as Node | null;
  const target = to.contents as Node | null;
  if (source && target) transferNode(source, target);
  else if (source) to.comment = join(to.comment, collect(source).join("\n"));
}

function transferNode(from: Node, to: Node): void {
  to.commentBefore = join(to.commentBefore, from.commentBefore);
  to.comment = join(to.comment, from.comment);
  // A one-line collection (`session: {...} # note`) built as a block: its line-end comment goes on top.
  if (isCollection(from) && from.flow && isCollection(to) && !to.flow) moveTrailingCommentToTop(to);
  if (from.spaceBefore) to.spaceBefore = true;
  if (isMap(from) && isMap(to)) {
    // Comments of an entry with no counterpart go before the next entry that has one.
    let pending: string[] = [];
    let previous: Pair | undefined;
    for (const pair of from.items) {
      const key = keyName(pair);
      const match = key === undefined ? undefined : to.items.find((p) => keyName(p) === key);
      if (!match) {
        pending.push(...collect(pair));
        continue;
      }
      const matchKey = match.key as Node;
      matchKey.commentBefore = join(pending.join("\n"), matchKey.commentBefore);
      pending = [];
      transferNode(pair.key as Node, matchKey);
      if (pair.value && match.value) transferNode(pair.value as Node, match.value as Node);
      else if (pair.value) attachAfter(match, collect(pair.value as Node));
      previous = match;
    }
    if (pending.length > 0) {
      if (previous) attachAfter(previous, pending);
      else to.comment = join(to.comment, pending.join("\n"));
    }
    return;
  }
  if (isSeq(from) && isSeq(to) && from.items.length === to.items.length) {
    from.items.forEach((item, i) => {
      if (item && to.items[i]) transferNode(item as Node, to.items[i] as Node);
    });
    return;
  }
  // Different forms of one value (`{text: Thanks}` became `Thanks`): keep what is inside.
  const inside = isCollection(from) ? from.items.flatMap((item) => collect(item as Node | Pair)) : [];
  if (inside.length > 0) to.comment = join(to.comment, inside.join("\n"));
}

/** A pair's trailing comment: on its value when it has one, else on its key. */
function attachAfter(pair: Pair, comments: string[]): void {
  if (comments.length === 0) return;
  const target = (pair.value ?? pair.key) as Node;
  target.comment = join(target.comment, comments.join("\n"));
}

/** Every comment in a subtree, in document order. */
function collect(node: Node | Pair | null | undefined): string[] {
  if (!node || isDocument(node)) return [];
  if (isPair(node)) return [...collect(node.key as Node), ...collect(node.value as Node)];
  const out: string[] = [];
  if (node.commentBefore) out.push(node.commentBefore);
  if (isCollection(node)) for (const item of node.items) out.push(...collect(item as Node | Pair));
  if (node.comment) out.push(node.comment);
  return out;
}
