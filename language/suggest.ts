import { distance } from "fastest-levenshtein";

/**
 * The closest candidate to a misspelt word, for did-you-mean hints (`dispaly` -> `display`,
 * `ERU` -> `EUR`). Case-insensitive; a candidate qualifies within a third of the word's length
 * (at least 1, at most 3 edits), or when the two are anagrams of each other (`ERU`, `UER`).
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === w) return candidate;
    const d = sameLetters(w, c) ? 1 : distance(w, c);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean \`display\`?` or undefined. */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string | undefined {
  const match = didYouMean(word, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

function sameLetters(a: string, b: string): boolean {
  return a.length === b.length && a.length > 1 && [...a].sort().join("") === [...b].sort().join("");
}
