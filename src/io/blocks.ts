/** What the block readers of .npy and CSV files (matrix-blocks.ts) produce, and how big their blocks are. */

/** Consecutive rows of a matrix, row-major. */
export interface MatrixBlock {
  readonly values: Float32Array | Float64Array;
  /** Rows in this block. */
  readonly n: number;
  /** Index of the block's first row in the file. */
  readonly firstRow: number;
}

/** A matrix read front to back in blocks; `dims` (and `n` for .npy) are known before the first block. */
export interface MatrixBlocks {
  readonly dims: number;
  /** Rows in the file: from the .npy header; undefined for CSV (counted while reading). */
  readonly n: number | undefined;
  /** Column names from a CSV header row, if there was one. */
  readonly header: string[] | null;
  /**
   * The blocks, each of at most `rowsPerBlock` rows. Read once; leaving the loop early closes the input. Every block
   * reuses one buffer (memory stays at one block however long the input): a block's `values` are overwritten when
   * the next block is read, so copy what must outlive the loop body.
   */
  readonly blocks: AsyncIterable<MatrixBlock>;
  /** Closes the input (idempotent): for a caller that stops before or without looping over `blocks`. */
  close(): Promise<void>;
}

/** Runs `read`; if it throws, closes `input` first (a file stays open otherwise), then rethrows. */
export async function closingOnError<T>(input: AsyncIterator<unknown>, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    await input.return?.();
    throw e;
  }
}

export interface BlockOptions {
  /** Rows per block, or a function of the row width (so blocks can be sized in bytes). */
  rowsPerBlock: number | ((dims: number) => number);
  /** Name used in error messages ("file:line:column"). */
  file: string;
}

/** Resolves `rowsPerBlock` for rows `dims` wide (at least 1). */
export function blockRows(options: BlockOptions, dims: number): number {
  const rows = typeof options.rowsPerBlock === 'function' ? options.rowsPerBlock(dims) : options.rowsPerBlock;
  return Math.max(1, Math.floor(rows));
}
