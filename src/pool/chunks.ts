/** Cutting inputs into chunks: the unit of work of map / imap (one task per chunk). */

/** Python's rule: chunksize = ceil(len / (4 × workers)). */
export function autoChunksize(length: number, workers: number): number {
  return Math.max(1, Math.ceil(length / (4 * workers)));
}

/**
 * Chunk boundaries [start, end) of a list of `length` items: every `size` items, or, with no size, guided
 * self-scheduling for workers that cannot split a running chunk (no shared memory with them): each chunk is
 * 1 / (2 × workers) of what is left, at least 1 / (64 × workers) of the whole, so the end of a map comes in small
 * chunks that even out uneven items and uneven workers, in about 2 × workers × ln(32) + 2 × workers messages.
 */
export function* chunkRanges(length: number, size: number | undefined, workers: number): Generator<[number, number]> {
  const least = Math.max(1, Math.ceil(length / (64 * workers)));
  for (let start = 0; start < length; ) {
    const n = size ?? Math.max(least, Math.ceil((length - start) / (2 * workers)));
    const end = Math.min(length, start + n);
    yield [start, end];
    start = end;
  }
}

/** Chunks of a sync iterable, lazily. */
export function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** Chunks of an async (or sync) iterable, lazily. */
export async function* chunksOfAsync<T>(items: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

export function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return v != null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

export function isIterable(v: unknown): v is Iterable<unknown> {
  return v != null && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * A chunk of plain numbers travels as a Float64Array (transferred, no per-element cloning); anything else as is.
 * Indexing and `length` behave the same on both, so task code sees the same numbers.
 */
export function packNumbers(items: ArrayLike<unknown>): unknown[] | Float64Array {
  const n = items.length;
  if (n < 16) return items as unknown[];
  for (let i = 0; i < n; i++) if (typeof items[i] !== 'number') return items as unknown[];
  return Float64Array.from(items as ArrayLike<number>);
}
