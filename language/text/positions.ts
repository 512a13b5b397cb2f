/** Offsets to 1-based lines and columns for one source text, and half-open spans between offsets. */
import type { Position, Span } from "../ast.js";

/** Slots in the position cache: a few hundred covers the positions one statement's nodes share. */
const CACHE_SIZE = 512;

/**
 * Line starts of one source; `\r\n`, `\r` and `\n` each end a line, as in the lexer.
 *
 * Positions and spans it hands out are shared: a node and its first child start at the same
 * Position object, an identifier and the reference it makes up have the same Span object. Treat
 * them as values and never change one in place (replace a node's span instead).
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  // Sized to the source: the YAML form builds one index for each expression it parses.
  private readonly cacheSize: number;
  private readonly cachedOffsets: Int32Array;
  private readonly cachedPositions: Position[];
  private lastSpan: Span | undefined;
  private lastLine = 0;

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    this.cacheSize = Math.min(CACHE_SIZE, source.length + 1);
    this.cachedOffsets = new Int32Array(this.cacheSize).fill(-1);
    this.cachedPositions = new Array(this.cacheSize);
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (source.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) this.starts.push(i + 1);
    }
  }

  /** The position of an offset, clamped into the file so a span can never point outside it. */
  position(offset: number): Position {
    const at = Number.isFinite(offset) ? Math.max(0, Math.min(Math.trunc(offset), this.source.length)) : 0;
    const slot = at % this.cacheSize;
    if (this.cachedOffsets[slot] === at) return this.cachedPositions[slot];
    const low = this.lineOf(at);
    const position = { line: low + 1, column: at - this.starts[low] + 1, offset: at };
    this.cachedOffsets[slot] = at;
    this.cachedPositions[slot] = position;
    return position;
  }

  /**
   * The 0-based line of an offset. The parser asks in source order, so the line of the last answer
   * or the one after it is tried before a binary search over every line.
   */
  private lineOf(at: number): number {
    const starts = this.starts;
    const last = this.lastLine;
    if (starts[last] <= at) {
      if (last + 1 === starts.length || at < starts[last + 1]) return last;
      if (last + 2 === starts.length || (starts[last + 1] <= at && at < starts[last + 2])) {
        this.lastLine = last + 1;
        return last + 1;
      }
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return low;
  }

  /** The half-open span [start, end) in this file; `end` is never before `start`. */
  span(start: number, end: number): Span {
    const from = this.position(start);
    const to = this.position(Math.max(end, from.offset));
    const last = this.lastSpan;
    if (last !== undefined && last.start === from && last.end === to) return last;
    const span = { file: this.file, start: from, end: to };
    this.lastSpan = span;
    return span;
  }
}
