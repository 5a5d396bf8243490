/** Options of `miniBatchKMeans` and `MiniBatchKMeans`, checked once (paths name them as the caller wrote them). */
import {
  finiteNumber,
  intInRange,
  invalid,
  optional,
  optionsObject,
  positiveInt,
  abortSignal,
} from '../../core/validate.js';

export interface MiniBatchOptions {
  /** Number of clusters. */
  k: number;
  /** Features per row; required for typed arrays and streamed blocks of typed arrays. */
  dims?: number;
  /** Rows per mini-batch, default 1024 (scikit-learn's). */
  batchSize?: number;
  /** Passes over the data (in-memory sources; a stream is read once), default 100. */
  maxIter?: number;
  /** Stop after this many steps without a better smoothed batch inertia, default 10; 0 disables it. */
  maxNoImprovement?: number;
  /** Centres with less than this fraction of the largest centre's weight are re-seeded, default 0.01. */
  reassignmentRatio?: number;
  /** Stop when the squared centre shift of a step is ≤ tol × mean feature variance; default 0 (off), as scikit-learn. */
  tol?: number;
  /** Rows k-means++ initialises on, default 3 × batchSize (at least k). */
  initSize?: number;
  /** Seed of the sampling and the initialisation, default 0. */
  seed?: number;
  /** Rows read per block from a file or Blob (default: about 4 MiB of float64 values, at least initSize). */
  blockRows?: number;
  /**
   * Receives the final label of every row: for a file or Blob a block at a time as the last pass reads it
   * (`firstRow` is the block's first row; such results carry no labels array), for data in memory all at once.
   * Not called for iterables of blocks.
   */
  onLabels?: (labels: Int32Array, firstRow: number) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface CheckedMiniBatch {
  k: number;
  dims: number | undefined;
  batchSize: number;
  maxIter: number;
  maxNoImprovement: number;
  reassignmentRatio: number;
  tol: number;
  initSize: number;
  seed: number;
  blockRows: number | undefined;
  onLabels: ((labels: Int32Array, firstRow: number) => void | Promise<void>) | undefined;
  signal: AbortSignal | undefined;
}

const KEYS = [
  'k',
  'dims',
  'batchSize',
  'maxIter',
  'maxNoImprovement',
  'reassignmentRatio',
  'tol',
  'initSize',
  'seed',
  'blockRows',
  'onLabels',
  'signal',
] as const;

export function checkMiniBatch(options: unknown): CheckedMiniBatch {
  const o = optionsObject(options, 'options', KEYS, true);
  if (o.k === undefined) throw invalid('options.k', 'a positive integer', o.k, 'k is required');
  const k = positiveInt(o.k, 'options.k');
  const batchSize = optional(o.batchSize, 'options.batchSize', positiveInt) ?? 1024;
  return {
    k,
    dims: optional(o.dims, 'options.dims', positiveInt),
    batchSize,
    maxIter: optional(o.maxIter, 'options.maxIter', positiveInt) ?? 100,
    maxNoImprovement: optional(o.maxNoImprovement, 'options.maxNoImprovement', (v, p) => intInRange(v, p, 0)) ?? 10,
    reassignmentRatio:
      o.reassignmentRatio === undefined ? 0.01 : finiteNumber(o.reassignmentRatio, 'options.reassignmentRatio', 0),
    tol: o.tol === undefined ? 0 : finiteNumber(o.tol, 'options.tol', 0),
    initSize: Math.max(k, optional(o.initSize, 'options.initSize', positiveInt) ?? 3 * batchSize),
    seed: optional(o.seed, 'options.seed', finiteNumber) ?? 0,
    blockRows: optional(o.blockRows, 'options.blockRows', positiveInt),
    onLabels: optional(o.onLabels, 'options.onLabels', labelsCallback),
    signal: optional(o.signal, 'options.signal', abortSignal),
  };
}

function labelsCallback(v: unknown, path: string): CheckedMiniBatch['onLabels'] {
  if (typeof v !== 'function') throw invalid(path, 'a function (labels, firstRow)', v);
  return v as CheckedMiniBatch['onLabels'];
}
