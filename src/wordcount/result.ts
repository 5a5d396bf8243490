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

/** Where a result's counts are kept: a Map, or a form that makes one on demand (blob-counts.ts). */
export interface CountStore {
  /** Distinct words. */
  readonly size: number;
  /** Every count, as a Map (built on first use where the store is not one). */
  map(): Map<string, number>;
  /** The `k` most frequent words in `compareCounts` order (1 <= k < size), if found without the whole map. */
  top?(k: number): Array<[string, number]> | undefined;
}

export class WordCountResult implements WordCounts {
  private readonly store: CountStore;

  constructor(
    counts: Map<string, number> | CountStore,
    readonly total: number,
    readonly bytes: number,
    readonly backend: 'js' | 'wasm',
    readonly threads: number,
  ) {
    this.store = counts instanceof Map ? { size: counts.size, map: () => counts } : counts;
  }

  get unique(): number {
    return this.store.size;
  }

  get(word: string): number {
    return this.store.map().get(word) ?? 0;
  }

  top(n = Infinity): Array<[string, number]> {
    const size = this.store.size;
    const k = Math.max(0, Math.min(Math.floor(n), size));
    if (k === 0) return [];
    // A few words of many: the store may find them without making every string.
    const few = k < size / 4 ? this.store.top?.(k) : undefined;
    if (few) return few;
    const counts = this.store.map();
    let picked: Array<[string, number]>;
    if (k >= size / 4) picked = [...counts];
    else {
      // Only words at least as frequent as the k-th count can be in the top k.
      const threshold = kthLargest([new Float64Array(counts.values())], k);
      picked = [];
      for (const e of counts) if (e[1] >= threshold) picked.push(e);
    }
    picked.sort(compareCounts);
    return picked.length > k ? picked.slice(0, k) : picked;
  }

  entries(): IterableIterator<[string, number]> {
    return this.store.map().entries();
  }
}

/** The k-th largest of all values (k >= 1, at most their number), with a min-heap of the k largest seen. */
export function kthLargest(arrays: Float64Array[], k: number): number {
  const heap = new Float64Array(k);
  let n = 0;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (n < k) {
        // Sift up.
        let c = n++;
        while (c > 0) {
          const parent = (c - 1) >> 1;
          if (heap[parent]! <= v) break;
          heap[c] = heap[parent]!;
          c = parent;
        }
        heap[c] = v;
      } else if (v > heap[0]!) {
        // Replace the minimum and sift down.
        let c = 0;
        for (;;) {
          let child = 2 * c + 1;
          if (child >= k) break;
          if (child + 1 < k && heap[child + 1]! < heap[child]!) child++;
          if (heap[child]! >= v) break;
          heap[c] = heap[child]!;
          c = child;
        }
        heap[c] = v;
      }
    }
  }
  return heap[0]!;
}
