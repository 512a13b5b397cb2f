/**
 * Where a collection's trailing comment goes in the formatted YAML form, so that reading the output
 * back puts every comment where it was printed (what makes `fmt` idempotent).
 *
 * The yaml package prints a block collection's trailing comment as lines after its last entry, and
 * reads every comment line that directly follows a block collection (blank lines included, up to the
 * next entry, if one of them is indented at least as deep as the collection) back into that trailing
 * comment. A block collection's trailing comment printed just before other comment lines (the next
 * step's, an enclosing collection's, the document's last ones) would swallow them on the next read,
 * moving the next step's comment into this step. Such a trailing comment goes to the top of its own
 * collection instead, which reads back as it is.
 */
import { type Document, isCollection, isPair, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";

/** Two comment texts as consecutive lines; null when both are empty. */
export function joinComments(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b || null;
  if (!b) return a;
  return `${a}\n${b}`;
}

/**
 * Moves a collection's trailing comment to its top. For a one-line collection that becomes a block,
 * its line-end comment (`pay: {...} # note`) lands where a comment after `pay:` goes (`pay:` then
 * `# note` above the first field) and reads back there.
 */
export function moveTrailingCommentToTop(node: Node): void {
  if (!node.comment) return;
  node.commentBefore = joinComments(node.commentBefore, node.comment);
  node.comment = null;
}

/** Moves every block collection's trailing comment that would be followed by comment lines to its top. */
export function separateTrailingComments(doc: Document): void {
  const root = doc.contents as Node | null;
  if (!isCollection(root) || root.flow) return;
  // The top of the root is the top of the file: its trailing comment joins the document's last lines.
  if (root.comment && doc.comment) {
    doc.comment = joinComments(root.comment, doc.comment);
    root.comment = null;
  }
  settleEntries(root, Boolean(doc.comment));
}

/** `followed`: comment lines are printed right after `node`. */
function settleNode(node: unknown, followed: boolean): void {
  if (!isCollection(node) || node.flow) return;
  if (followed) moveTrailingCommentToTop(node);
  settleEntries(node, followed);
}

/** Last entry first: an entry that gets a comment on top changes what its previous entry is followed by. */
function settleEntries(node: YAMLMap | YAMLSeq, followed: boolean): void {
  let next = Boolean(node.comment) || followed;
  for (let i = node.items.length - 1; i >= 0; i--) {
    const item = node.items[i] as Pair | Node | null;
    settleNode(isPair(item) ? item.value : item, next);
    next = startsWithComment(item);
  }
}

/** Whether an entry's first printed line is a comment (a comment on the `- ` line itself is not). */
function startsWithComment(item: Pair | Node | null): boolean {
  if (isPair(item)) return Boolean((item.key as Node | null)?.commentBefore);
  return Boolean(item?.commentBefore);
}
