/**
 * Block readers for k-means input files too large to hold: a .npy or CSV byte stream turned into blocks of rows,
 * holding one block and one chunk of input at a time. The format is told by the first bytes (the .npy magic), so
 * paths, Blobs and byte streams are read the same way.
 */
import { readCsvBlocks } from './csv-blocks.js';
import { readNpyBlocks } from './npy-blocks.js';
import type { BlockOptions, MatrixBlocks } from './blocks.js';

export type { BlockOptions, MatrixBlock, MatrixBlocks } from './blocks.js';

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Reads `chunks` (the bytes of a .npy or CSV file) as blocks of rows; throws DataFormatError on malformed input. */
export async function readMatrixBlocks(
  chunks: AsyncIterable<Uint8Array>,
  options: BlockOptions,
): Promise<MatrixBlocks> {
  const it = chunks[Symbol.asyncIterator]();
  // Enough bytes to tell the magic, however the input is chunked.
  let first: Uint8Array | undefined;
  while (!first || first.length < NPY_MAGIC.length) {
    const r = await it.next();
    if (r.done) break;
    if (r.value.length === 0) continue;
    if (!first) first = r.value;
    else {
      const joined = new Uint8Array(first.length + r.value.length);
      joined.set(first);
      joined.set(r.value, first.length);
      first = joined;
    }
  }
  const rest = replay(first, it);
  const isNpy = first !== undefined && first.length >= NPY_MAGIC.length && NPY_MAGIC.every((b, i) => first![i] === b);
  return isNpy ? readNpyBlocks(rest, options) : readCsvBlocks(rest, options);
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
