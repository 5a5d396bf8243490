/** The result of a word count: counts per lower-cased word, with the most frequent words first on demand. */

/** Word counts, whatever the backend. */
export interface WordCounts {
  /** Words counted (every occurrence). */
  readonly total: number;
  /** Distinct words. */
  readonly unique: number;
  /** Input bytes read. */
  readonly bytes: number;
  /** The backend that counted: 'js' or 'wasm'. */
  readonly backend: 'js' | 'wasm';
  /** Threads used. */
  readonly threads: number;
  /** The count of `word` (as stored: lower-cased); 0 when absent. */
  get(word: string): number;
  /**
   * The `n` most frequent words (all of them when `n` is omitted or Infinity), sorted by count descending, then
   * by word ascending in UTF-16 code unit order.
   */
  top(n?: number): Array<[string, number]>;
  /** Every [word, count], in no particular order. */
  entries(): IterableIterator<[string, number]>;
}

/** Compares [word, count] pairs: count descending, then word ascending by UTF-16 code units. */
export function compareCounts(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

export class WordCountResult implements WordCounts {
  constructor(
    private readonly counts: Map<string, number>,
    readonly total: number,
    readonly bytes: number,
    readonly backend: 'js' | 'wasm',
    readonly threads: number,
  ) {}

  get unique(): number {
    return this.counts.size;
  }

  get(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  top(n = Infinity): Array<[string, number]> {
    const size = this.counts.size;
    const k = Math.max(0, Math.min(Math.floor(n), size));
    if (k === 0) return [];
    let picked: Array<[string, number]>;
    if (k >= size / 4) picked = [...this.counts];
    else {
      // Only words at least as frequent as the k-th count can be in the top k.
      const values = new Float64Array(this.counts.values()).sort();
      const threshold = values[size - k]!;
      picked = [];
      for (const e of this.counts) if (e[1] >= threshold) picked.push(e);
    }
    picked.sort(compareCounts);
    return picked.length > k ? picked.slice(0, k) : picked;
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  /** The underlying map (not a copy). */
  toMap(): Map<string, number> {
    return this.counts;
  }
}
