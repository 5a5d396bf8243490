/**
 * Mini-batch k-means over a matrix file read in blocks (bounded memory: one block and one chunk of input at a time).
 * Unlike scikit-learn, which draws each batch at random from data in memory, batches here are consecutive rows in
 * file order, and k-means++ runs on the first `initSize` rows: a file sorted by cluster should be shuffled first.
 * The file is read up to `maxIter` times, stopping early by the same rule as in memory (StopRule; the tolerance's
 * feature variance is estimated on the initialisation rows, and for CSV, whose row count is unknown until the first
 * pass ends, the smoothing uses the rows seen so far). A last pass assigns every row: inertia, and `onLabels`.
 */
import { Prng } from '../../core/random.js';
import { throwIfAborted } from '../../core/errors.js';
import { invalid } from '../../core/validate.js';
import { kmeansPlusPlus } from '../init.js';
import type { CheckedMiniBatch } from './options.js';
import { miniBatchStep, newState, type MiniBatchState } from './step.js';
import { StopRule, squaredShift } from './stop-rule.js';
import { openMatrixFile, sourceName, type MatrixFileSource } from './file-source.js';
import { assignFile } from './predict-file.js';

export interface FileFitResult {
  centroids: Float32Array;
  inertia: number;
  steps: number;
  converged: boolean;
  n: number;
  dims: number;
}

export async function fitFile(source: MatrixFileSource, o: CheckedMiniBatch): Promise<FileFitResult> {
  const rng = new Prng(o.seed);
  let state: MiniBatchState | null = null;
  let rule: StopRule | null = null;
  let dims = 0;
  let n: number | undefined;
  let seen = 0;
  let steps = 0;
  let converged = false;
  let before = new Float64Array(0);
  passes: for (let pass = 0; pass < o.maxIter; pass++) {
    const m = await openMatrixFile(source, 'source', o.blockRows, o.initSize, o.signal);
    try {
      if (pass === 0) {
        if (o.dims !== undefined && o.dims !== m.dims)
          throw invalid('options.dims', `the file's ${m.dims} columns`, o.dims, sourceName(source));
        dims = m.dims;
        n = m.n;
        if (n !== undefined && o.k > n) throw invalid('options.k', `at most the number of rows, ${n}`, o.k);
      }
      for await (const block of m.blocks) {
        throwIfAborted(o.signal);
        if (pass === 0) seen += block.n;
        if (!state) {
          const rows = Math.min(block.n, o.initSize);
          if (rows < o.k)
            throw invalid('options.k', `at most the ${rows} rows of the first block`, o.k, 'raise options.blockRows');
          const sample = Float32Array.from(block.values.subarray(0, rows * dims));
          const init = await kmeansPlusPlus(
            { data: sample, n: rows, dims, k: o.k, weights: null },
            rng,
            undefined,
            o.signal,
          );
          state = newState(init, o.k, dims, o.reassignmentRatio);
          rule = new StopRule(o.tol, o.tol * meanVariance(sample, rows, dims), o.maxNoImprovement);
          before = new Float64Array(state.centres.length);
        }
        for (let r0 = 0; r0 < block.n; r0 += o.batchSize) {
          const count = Math.min(o.batchSize, block.n - r0);
          before.set(state.centres);
          const inertia =
            miniBatchStep(state, block.values.subarray(r0 * dims, (r0 + count) * dims), count, rng) / count;
          steps++;
          if (rule!.stop(inertia, squaredShift(state.centres, before), count, n ?? seen)) {
            converged = true;
            break passes; // leaving the loop closes the file
          }
        }
      }
    } finally {
      await m.close();
    }
    n ??= seen;
  }
  if (!state) throw invalid('source', 'at least one row', sourceName(source));
  const last = await assignFile(source, 'source', state.centres, o.blockRows, o.signal, o.onLabels);
  return { centroids: Float32Array.from(state.centres), inertia: last.inertia, steps, converged, n: last.n, dims };
}

/** Mean over features of each feature's variance. */
function meanVariance(values: Float32Array, n: number, dims: number): number {
  const mean = new Float64Array(dims);
  for (let i = 0; i < n * dims; i++) mean[i % dims]! += values[i]! / n;
  let variance = 0;
  for (let i = 0; i < n * dims; i++) variance += (values[i]! - mean[i % dims]!) ** 2 / n;
  return variance / dims;
}
