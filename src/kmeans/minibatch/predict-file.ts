/** Nearest centre of every row of a matrix file, computed block by block as the file is read. */
import { throwIfAborted } from '../../core/errors.js';
import { abortSignal, invalid, optional, optionsObject } from '../../core/validate.js';
import { isMatrixFileSource, openMatrixFile, type MatrixFileSource } from './file-source.js';
import { nearest } from './step.js';
import type { KMeansBackend } from '../backend.js';
import { centre, columnMeans } from '../prepare.js';

export interface PredictFileOptions {
  /** Receives the labels of each block as it is read (`firstRow`: the block's first row). */
  onLabels?: (labels: Int32Array, firstRow: number) => void | Promise<void>;
  /** Receives the labels as text, one per line (e.g. `Writable.toWeb(createWriteStream(path))`); closed at the end. */
  out?: WritableStream<Uint8Array>;
  /** Rows per block read (default: about 4 MiB of values). */
  blockRows?: number;
  signal?: AbortSignal;
}

export interface PredictFileResult {
  /** Rows read. */
  n: number;
  /** Features per row (from the file). */
  dims: number;
  /** Σ‖x − c(x)‖² over every row. */
  inertia: number;
  /** Rows given to each centre. */
  counts: Int32Array;
}

/** Labels each row of `source` with its nearest centre of `centroids` (k × dims, row-major; dims from the file). */
export async function predictFile(
  source: MatrixFileSource,
  centroids: Float32Array | Float64Array,
  options: PredictFileOptions = {},
): Promise<PredictFileResult> {
  if (!isMatrixFileSource(source)) throw invalid('source', 'a file path, { path } or a Blob (.npy or CSV)', source);
  if (!(centroids instanceof Float32Array || centroids instanceof Float64Array) || centroids.length === 0)
    throw invalid('centroids', 'a non-empty Float32Array or Float64Array (k × dims, row-major)', centroids);
  const o = optionsObject(options, 'options', ['onLabels', 'out', 'blockRows', 'signal'] as const, true);
  const onLabels = optional(o.onLabels, 'options.onLabels', (v, p) => {
    if (typeof v !== 'function') throw invalid(p, 'a function (labels, firstRow)', v);
    return v as NonNullable<PredictFileOptions['onLabels']>;
  });
  const out = optional(o.out, 'options.out', (v, p) => {
    if (typeof WritableStream === 'undefined' || !(v instanceof WritableStream))
      throw invalid(p, 'a WritableStream', v);
    return v;
  });
  const blockRows = optional(o.blockRows, 'options.blockRows', (v, p) => {
    if (!Number.isInteger(v) || (v as number) < 1) throw invalid(p, 'a positive integer', v);
    return v as number;
  });
  const signal = optional(o.signal, 'options.signal', abortSignal);
  const writer = out?.getWriter();
  const encoder = new TextEncoder();
  try {
    const r = await assignFile(source, 'source', centroids, blockRows, signal, async (labels, firstRow) => {
      await onLabels?.(labels, firstRow);
      if (writer) await writer.write(encoder.encode(`${labels.join('\n')}\n`));
    });
    await writer?.close();
    return r;
  } catch (e) {
    await writer?.abort(e).catch(() => {});
    throw e;
  }
}

/** One pass over `source` assigning every row; shared by predictFile and the file fit's last pass. */
export async function assignFile(
  source: MatrixFileSource,
  path: string,
  centroids: ArrayLike<number>,
  blockRows: number | undefined,
  signal: AbortSignal | undefined,
  onLabels: ((labels: Int32Array, firstRow: number) => void | Promise<void>) | undefined,
): Promise<PredictFileResult> {
  const m = await openMatrixFile(source, path, blockRows, 1, signal);
  try {
    const { dims } = m;
    if (centroids.length % dims !== 0)
      throw invalid(
        'centroids',
        `a length that is a multiple of the file's ${dims} columns`,
        centroids,
        `length ${centroids.length}`,
      );
    const k = centroids.length / dims;
    const centres = Float64Array.from(centroids);
    const counts = new Int32Array(k);
    let inertia = 0;
    let n = 0;
    const kernel = await openKernel(centres, k, dims);
    try {
      for await (const block of m.blocks) {
        throwIfAborted(signal);
        let labels: Int32Array;
        if (kernel) {
          const r = await kernel.assign(block.values, block.n, signal);
          labels = r.labels;
          inertia += r.inertia;
        } else {
          labels = new Int32Array(block.n);
          for (let r = 0; r < block.n; r++) {
            const { label, d2 } = nearest(centres, k, dims, block.values, r);
            labels[r] = label;
            inertia += d2;
          }
        }
        for (let r = 0; r < block.n; r++) counts[labels[r]!]!++;
        n += block.n;
        await onLabels?.(labels, block.firstRow);
      }
    } finally {
      kernel?.dispose();
    }
    return { n, dims, inertia, counts };
  } finally {
    await m.close();
  }
}

/** The wasm kernel's assignment for fixed centroids, one block at a time. */
interface BlockKernel {
  assign(
    values: ArrayLike<number>,
    n: number,
    signal: AbortSignal | undefined,
  ): Promise<{ labels: Int32Array; inertia: number }>;
  dispose(): void;
}

/**
 * The wasm backend (threads) set up for `centres`, or null where it cannot load: the pass then runs on this thread.
 * As `predict` does, rows and centres are both shifted by the centres' mean (same distances, better float32 accuracy).
 */
async function openKernel(centres: Float64Array, k: number, dims: number): Promise<BlockKernel | null> {
  if (typeof WebAssembly === 'undefined') return null;
  let backend: KMeansBackend;
  try {
    backend = await (await import('../wasm/backend.js')).createWasmBackend({});
  } catch {
    return null;
  }
  const mean = columnMeans(centres, k, dims);
  const shifted = centre(centres, k, dims, mean);
  // One buffer for every block's shifted rows (the kernel copies them into its memory): no garbage per block.
  let rows = new Float32Array(0);
  return {
    assign(values, n, signal) {
      if (rows.length < n * dims) rows = new Float32Array(n * dims);
      for (let r = 0; r < n; r++) for (let j = 0; j < dims; j++) rows[r * dims + j] = values[r * dims + j]! - mean[j]!;
      return backend.assign({ data: rows.subarray(0, n * dims), n, dims, k, weights: null }, shifted, signal);
    },
    dispose: () => backend.dispose(),
  };
}
