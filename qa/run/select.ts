/** Which scenarios a run takes: `--grep`, `--tag` and `--shard i/n`. */

export interface Selectable {
  id: string;
  name: string;
  tags: readonly string[];
}

export interface Selection {
  /** A regular expression (case-insensitive) the scenario's name must match. */
  grep?: string;
  /** `smoke` keeps scenarios tagged smoke (any of several); `!slow` drops those tagged slow. */
  tags?: readonly string[];
  /** 1-based shard index and shard count. */
  shard?: { index: number; count: number };
}

/** `2/3` -> {index: 2, count: 3}; undefined when malformed. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index <= count ? { index, count } : undefined;
}

/** A RegExp from `--grep`; a string that is not a valid pattern matches literally. */
export function grepPattern(text: string): RegExp {
  try {
    return new RegExp(text, "i");
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  }
}

/**
 * The selected items, in their order. Sharding deals the (grep- and tag-filtered) scenarios out in
 * turn by position in the sorted id list, so every scenario lands in exactly one shard and shards
 * stay balanced whatever the file sizes.
 */
export function select<T extends Selectable>(items: readonly T[], selection: Selection): T[] {
  const grep = selection.grep !== undefined ? grepPattern(selection.grep) : undefined;
  const include = (selection.tags ?? []).filter((t) => !t.startsWith("!"));
  const exclude = (selection.tags ?? []).filter((t) => t.startsWith("!")).map((t) => t.slice(1));
  const kept = items.filter(
    (item) =>
      (!grep || grep.test(item.name)) &&
      (include.length === 0 || include.some((t) => item.tags.includes(t))) &&
      !exclude.some((t) => item.tags.includes(t)),
  );
  const shard = selection.shard;
  if (!shard) return kept;
  const order = [...kept].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const mine = new Set(order.filter((_, i) => i % shard.count === shard.index - 1));
  return kept.filter((item) => mine.has(item));
}
