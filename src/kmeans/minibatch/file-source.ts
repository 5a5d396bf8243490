/**
 * Matrix files as mini-batch sources: a path or `{ path }` (Node) or a Blob (browsers and Node), read in blocks of
 * rows by src/io's block readers. A file can be opened again for each pass.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { invalid } from '../../core/validate.js';
import { openByteSource, type FileInput } from '../../bytes/source.js';
import { readMatrixBlocks, type MatrixBlocks } from '../../io/matrix-blocks.js';

/** A .npy (float32 / float64, 2-D, C order) or CSV file: its path, `{ path }`, or a Blob / File. */
export type MatrixFileSource = string | FileInput | Blob;

/** Values per block when the caller sets no block size: 4 MiB of float64. */
const BLOCK_VALUES = 1 << 19;

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
  let bytes;
  try {
    bytes = await openByteSource(typeof source === 'string' ? { path: source } : source, signal);
  } catch (e) {
    // The byte layer names its argument `input`; here the caller's argument is `path`.
    if (e instanceof InvalidArgumentError && e.argument === 'input')
      throw new InvalidArgumentError(path, e.message.slice('input: '.length));
    throw e;
  }
  return readMatrixBlocks(bytes.chunks, {
    rowsPerBlock: rowsPerBlock ?? ((dims) => Math.max(minRows, Math.floor(BLOCK_VALUES / dims))),
    file: sourceName(source),
  });
}
