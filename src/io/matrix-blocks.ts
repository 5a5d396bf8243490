/**
 * Block readers for k-means input files too large to hold: a .npy or CSV byte stream turned into blocks of rows,
 * holding one block and one chunk of input at a time. The format is told by the first bytes (the .npy magic), so
 * paths, Blobs and byte streams are read the same way.
 */
import { readCsvBlocks } from './csv-blocks.js';
import { readNpyBlocks } from './npy-blocks.js';
import type { BlockOptions, MatrixBlocks } from './blocks.js';
import { isNpy } from './matrix.js';

export type { BlockOptions, MatrixBlock, MatrixBlocks } from './blocks.js';

/** Bytes of the .npy magic. */
const MAGIC_BYTES = 6;

/**
 * Reads `chunks` (the bytes of a .npy or CSV file) as blocks of rows; throws DataFormatError on malformed input.
 * A chunk may be a buffer the source reuses: it is read before the next one is asked for.
 */
export async function readMatrixBlocks(
  chunks: AsyncIterable<Uint8Array>,
  options: BlockOptions,
): Promise<MatrixBlocks> {
  const it = chunks[Symbol.asyncIterator]();
  // Enough bytes to tell the magic, however the input is chunked.
  let first: Uint8Array | undefined;
  while (!first || first.length < MAGIC_BYTES) {
    const r = await it.next();
    if (r.done) break;
    if (r.value.length === 0) continue;
    // A short first chunk is copied: the source may reuse its buffer for the next one.
    if (!first) first = r.value.length >= MAGIC_BYTES ? r.value : r.value.slice();
    else {
      const joined = new Uint8Array(first.length + r.value.length);
      joined.set(first);
      joined.set(r.value, first.length);
      first = joined;
    }
  }
  const rest = replay(first, it);
  return first !== undefined && isNpy(first) ? readNpyBlocks(rest, options) : readCsvBlocks(rest, options);
}

/** `first` followed by the rest of `it`, as one iterable; returning early returns `it` (which closes a file). */
async function* replay(first: Uint8Array | undefined, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    if (first) yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await it.return?.();
  }
}
