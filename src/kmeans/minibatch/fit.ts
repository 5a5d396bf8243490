/**
 * Mini-batch k-means with scikit-learn's `MiniBatchKMeans` meaning: k-means++ on `initSize` random rows, then steps
 * on `batchSize` rows drawn uniformly with replacement (in-memory data) or taken in order (streams), stopping after
 * maxIter × n / batchSize steps, when the smoothed batch inertia (an exponentially weighted average, α = 2·batch /
 * (n + 1)) has not improved for `maxNoImprovement` steps, or when the centre shift is below `tol`. `MiniBatchKMeans`
 * is the streaming form: `partialFit(block)` is one step on a block (the first one also initialises).
 */
import { Prng } from '../../core/random.js';
import { throwIfAborted } from '../../core/errors.js';
import { invalid } from '../../core/validate.js';
import { kmeansPlusPlus } from '../init.js';
import { readMatrix, type KMeansData } from '../validate.js';
import { checkMiniBatch, type CheckedMiniBatch, type MiniBatchOptions } from './options.js';
import { miniBatchStep, nearest, newState, type MiniBatchState } from './step.js';
import { StopRule, squaredShift } from './stop-rule.js';
import { isMatrixFileSource, type MatrixFileSource } from './file-source.js';
import { fitFile } from './file-fit.js';

export type { MiniBatchOptions } from './options.js';

/** A block of rows: row-major typed array (options.dims wide) or an array of rows. */
export type RowBlock = KMeansData;

/**
 * What `miniBatchKMeans` accepts: rows in memory, an async or sync iterable of row blocks (read once), or a .npy /
 * CSV file read in blocks (a path or `{ path }` in Node, a Blob anywhere).
 */
export type MiniBatchSource = KMeansData | AsyncIterable<RowBlock> | Iterable<RowBlock> | MatrixFileSource;

export interface MiniBatchResult {
  /** k × dims, row-major. */
  centroids: Float32Array;
  /** Labels of every row (in-memory sources only; null for streams and files: see options.onLabels). */
  labels: Int32Array | null;
  /** Σ‖x − c(x)‖² over every row (in-memory data, files), or over the rows of a stream's one pass. */
  inertia: number;
  /** Mini-batch steps taken. */
  steps: number;
  /** Stopped early by maxNoImprovement or tol. */
  converged: boolean;
}

/** Clusters `source` into `options.k` groups with mini-batch k-means. */
export async function miniBatchKMeans(source: MiniBatchSource, options: MiniBatchOptions): Promise<MiniBatchResult> {
  const o = checkMiniBatch(options);
  if (isMatrixFileSource(source)) {
    const r = await fitFile(source, o);
    return { centroids: r.centroids, labels: null, inertia: r.inertia, steps: r.steps, converged: r.converged };
  }
  const inMemory = source instanceof Float32Array || source instanceof Float64Array || Array.isArray(source);
  if (inMemory) {
    const r = await fitInMemory(source as KMeansData, o);
    await o.onLabels?.(r.labels!, 0);
    return r;
  }
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw invalid('source', 'rows (a typed array or an array of rows) or an iterable of row blocks', source);
  }
  const model = new MiniBatchKMeans(options);
  let inertia = 0;
  for await (const block of source as AsyncIterable<RowBlock>) {
    throwIfAborted(o.signal);
    inertia += await model.fitBlock(block);
  }
  if (!model.fitted) throw invalid('source', 'at least one row', source, 'the stream was empty');
  return { centroids: model.centroids!, labels: null, inertia, steps: model.steps, converged: false };
}

async function fitInMemory(data: KMeansData, o: CheckedMiniBatch): Promise<MiniBatchResult> {
  const { values, n, dims } = readMatrix(data, o.dims);
  if (o.k > n) throw invalid('options.k', `at most the number of rows, ${n}`, o.k);
  const rng = new Prng(o.seed);
  const state = await initialise(values, n, dims, o, rng);
  let variance = 0;
  {
    const mean = new Float64Array(dims);
    for (let i = 0; i < n * dims; i++) mean[i % dims] += values[i] / n;
    for (let i = 0; i < n * dims; i++) variance += (values[i] - mean[i % dims]) ** 2 / n;
    variance /= dims;
  }
  const tolAbs = o.tol * variance;
  const b = Math.min(o.batchSize, n);
  const batch = new Float64Array(b * dims);
  const totalSteps = Math.max(1, Math.floor((o.maxIter * n) / b));
  const rule = new StopRule(o.tol, tolAbs, o.maxNoImprovement);
  let steps = 0;
  let converged = false;
  const before = new Float64Array(state.centres.length);
  for (let step = 0; step < totalSteps; step++) {
    if ((step & 63) === 0) throwIfAborted(o.signal);
    for (let r = 0; r < b; r++) {
      const row = rng.int(n);
      for (let j = 0; j < dims; j++) batch[r * dims + j] = values[row * dims + j];
    }
    before.set(state.centres);
    const batchInertia = miniBatchStep(state, batch, b, rng) / b;
    steps++;
    if (rule.stop(batchInertia, squaredShift(state.centres, before), b, n)) {
      converged = true;
      break;
    }
  }
  const labels = new Int32Array(n);
  let inertia = 0;
  for (let r = 0; r < n; r++) {
    const { label, d2 } = nearest(state.centres, o.k, dims, values, r);
    labels[r] = label;
    inertia += d2;
  }
  return { centroids: Float32Array.from(state.centres), labels, inertia, steps, converged };
}

/** k-means++ on `initSize` distinct random rows (all rows when there are fewer). */
async function initialise(
  values: ArrayLike<number>,
  n: number,
  dims: number,
  o: CheckedMiniBatch,
  rng: Prng,
): Promise<MiniBatchState> {
  const m = Math.min(n, o.initSize);
  const sample = new Float32Array(m * dims);
  const rows = m === n ? Array.from({ length: n }, (_, i) => i) : sampleRows(n, m, rng);
  rows.forEach((row, i) => {
    for (let j = 0; j < dims; j++) sample[i * dims + j] = values[row * dims + j];
  });
  const init = await kmeansPlusPlus({ data: sample, n: m, dims, k: o.k, weights: null }, rng, undefined, o.signal);
  return newState(init, o.k, dims, o.reassignmentRatio);
}

function sampleRows(n: number, m: number, rng: Prng): number[] {
  const picked = new Set<number>();
  while (picked.size < m) picked.add(rng.int(n));
  return [...picked].sort((a, b) => a - b);
}

/** The streaming form: feed blocks of rows with `partialFit`; the first block initialises (k-means++ on it). */
export class MiniBatchKMeans {
  private readonly o: CheckedMiniBatch;
  private readonly rng: Prng;
  private state: MiniBatchState | null = null;
  private dims: number | undefined;
  /** Steps taken (one per batch of at most batchSize rows). */
  steps = 0;

  constructor(options: MiniBatchOptions) {
    this.o = checkMiniBatch(options);
    this.rng = new Prng(this.o.seed);
    this.dims = this.o.dims;
  }

  get fitted(): boolean {
    return this.state !== null;
  }

  /** k × dims centres (float32), or null before the first block. */
  get centroids(): Float32Array | null {
    return this.state ? Float32Array.from(this.state.centres) : null;
  }

  /** One or more steps on `block` (split into batches of batchSize rows). Returns this. */
  async partialFit(block: RowBlock): Promise<this> {
    await this.fitBlock(block);
    return this;
  }

  /** partialFit's work; returns the block's Σ‖x − c(x)‖² before each batch's update. */
  async fitBlock(block: RowBlock): Promise<number> {
    const { values, n, dims } = readMatrix(block, this.dims, 'block');
    this.dims = dims;
    if (!this.state) {
      if (n < this.o.k)
        throw invalid('block', `at least k = ${this.o.k} rows in the first block`, block, `it has ${n}`);
      const data = Float32Array.from(values);
      const init = await kmeansPlusPlus(
        { data, n, dims, k: this.o.k, weights: null },
        this.rng,
        undefined,
        this.o.signal,
      );
      this.state = newState(init, this.o.k, dims, this.o.reassignmentRatio);
    }
    let inertia = 0;
    const b = this.o.batchSize;
    for (let r0 = 0; r0 < n; r0 += b) {
      const count = Math.min(b, n - r0);
      inertia += miniBatchStep(this.state, values.subarray(r0 * dims, (r0 + count) * dims), count, this.rng);
      this.steps++;
    }
    return inertia;
  }

  /** Nearest centre of each row of `data`. */
  predict(data: KMeansData): Int32Array {
    if (!this.state) throw invalid('this', 'a fitted model (call partialFit first)', null);
    const { values, n } = readMatrix(data, this.dims, 'data');
    const out = new Int32Array(n);
    for (let r = 0; r < n; r++) out[r] = nearest(this.state.centres, this.o.k, this.dims!, values, r).label;
    return out;
  }
}
