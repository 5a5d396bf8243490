/**
 * Matrix files as mini-batch sources: a path or `{ path }` (Node) or a Blob (browsers and Node), read in blocks of
 * rows by src/io's block readers. A file can be opened again for each pass.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { invalid } from '../../core/validate.js';
import { platform, type OpenedFile } from '../../core/platform.js';
import { openByteSource, type FileInput } from '../../bytes/source.js';
import { readMatrixBlocks, type MatrixBlocks } from '../../io/matrix-blocks.js';

/** A .npy (float32 / float64, 2-D, C order) or CSV file: its path, `{ path }`, or a Blob / File. */
export type MatrixFileSource = string | FileInput | Blob;

/** Values per block when the caller sets no block size: 4 MiB of float64. */
const BLOCK_VALUES = 1 << 19;

/** Bytes per read of a file. */
const CHUNK_BYTES = 1 << 20;

/**
 * A file's bytes as chunks that all reuse one buffer, so reading a file of any size allocates nothing per chunk (the
 * block readers copy a chunk before asking for the next); closes the file at the end or when left early.
 */
async function* reusedChunks(file: OpenedFile): AsyncGenerator<Uint8Array> {
  try {
    const buf = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(1, file.size)));
    for (let position = 0; ; ) {
      const n = await file.read(buf, position);
      if (n === 0) return;
      position += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    await file.close();
  }
}

export function isMatrixFileSource(x: unknown): x is MatrixFileSource {
  if (typeof x === 'string') return true;
  if (typeof Blob !== 'undefined' && x instanceof Blob) return true;
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    !ArrayBuffer.isView(x) &&
    !(Symbol.iterator in x) &&
    !(Symbol.asyncIterator in x) &&
    typeof (x as FileInput).path === 'string'
  );
}

/** The name errors give the source: its path, a File's name, or "blob". */
export function sourceName(source: MatrixFileSource): string {
  if (typeof source === 'string') return source;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return (source as { name?: string }).name || 'blob';
  return (source as FileInput).path;
}

/**
 * Opens `source` for one pass. `rowsPerBlock` (when set) fixes the block size, else blocks hold about 4 MiB of
 * values and at least `minRows` rows. Errors name the argument `path` (as the caller wrote it).
 */
export async function openMatrixFile(
  source: MatrixFileSource,
  path: string,
  rowsPerBlock: number | undefined,
  minRows: number,
  signal: AbortSignal | undefined,
): Promise<MatrixBlocks> {
  if (typeof source === 'string' && source === '') throw invalid(path, 'a file path', source);
  let chunks: AsyncIterable<Uint8Array>;
  try {
    const input = typeof source === 'string' ? { path: source } : source;
    const p = platform();
    const path = input instanceof Blob ? undefined : input.path;
    chunks =
      path !== undefined && p.openFile
        ? reusedChunks(await p.openFile(path, { signal }))
        : (await openByteSource(input, signal)).chunks;
  } catch (e) {
    // The byte layer names its argument `input`; here the caller's argument is `path`.
    if (e instanceof InvalidArgumentError && e.argument === 'input')
      throw new InvalidArgumentError(path, e.message.slice('input: '.length));
    throw e;
  }
  return readMatrixBlocks(chunks, {
    rowsPerBlock: rowsPerBlock ?? ((dims) => Math.max(minRows, Math.floor(BLOCK_VALUES / dims))),
    file: sourceName(source),
  });
}
