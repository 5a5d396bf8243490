/**
 * One mini-batch step with scikit-learn's `MiniBatchKMeans` meaning (`_mini_batch_step`): assign the batch to the
 * nearest centres, move each centre to the running weighted mean of every row it has been given (a per-centre
 * learning rate of count / total count), then, every 10 × k rows or as soon as a centre has no weight, re-seed the
 * centres whose weight is below `reassignmentRatio` × the largest from random rows of the batch. Float64 state.
 */
import type { Prng } from '../../core/random.js';

export interface MiniBatchState {
  readonly k: number;
  readonly dims: number;
  /** k × dims centres. */
  readonly centres: Float64Array;
  /** Weight (row count) each centre has absorbed. */
  readonly weightSums: Float64Array;
  readonly reassignmentRatio: number;
  /** Rows seen since the last reassignment check that fired. */
  sinceReassign: number;
}

export function newState(init: ArrayLike<number>, k: number, dims: number, reassignmentRatio: number): MiniBatchState {
  return {
    k,
    dims,
    centres: Float64Array.from(init),
    weightSums: new Float64Array(k),
    reassignmentRatio,
    sinceReassign: 0,
  };
}

/** Nearest centre of row r of `rows` (first index among equal distances) and its squared distance. */
export function nearest(
  centres: Float64Array,
  k: number,
  dims: number,
  rows: ArrayLike<number>,
  r: number,
): { label: number; d2: number } {
  let label = 0;
  let best = Infinity;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const d = rows[r * dims + j] - centres[c * dims + j];
      s += d * d;
    }
    if (s < best) {
      best = s;
      label = c;
    }
  }
  return { label, d2: best };
}

/** One step on `count` rows of `batch` (row-major); returns the batch's Σ‖x − c(x)‖² before the update. */
export function miniBatchStep(s: MiniBatchState, batch: ArrayLike<number>, count: number, rng: Prng): number {
  const { k, dims, centres, weightSums } = s;
  const sums = new Float64Array(k * dims);
  const hits = new Float64Array(k);
  let inertia = 0;
  for (let r = 0; r < count; r++) {
    const { label, d2 } = nearest(centres, k, dims, batch, r);
    inertia += d2;
    hits[label]++;
    for (let j = 0; j < dims; j++) sums[label * dims + j] += batch[r * dims + j];
  }
  for (let c = 0; c < k; c++) {
    if (hits[c] === 0) continue;
    const total = weightSums[c] + hits[c];
    for (let j = 0; j < dims; j++)
      centres[c * dims + j] = (centres[c * dims + j] * weightSums[c] + sums[c * dims + j]) / total;
    weightSums[c] = total;
  }
  s.sinceReassign += count;
  let anyEmpty = false;
  for (let c = 0; c < k; c++) if (weightSums[c] === 0) anyEmpty = true;
  if (s.reassignmentRatio > 0 && (anyEmpty || s.sinceReassign >= 10 * k)) {
    s.sinceReassign = 0;
    reassign(s, batch, count, rng);
  }
  return inertia;
}

/** scikit-learn's random reassignment of low-weight centres to distinct random rows of the batch. */
function reassign(s: MiniBatchState, batch: ArrayLike<number>, count: number, rng: Prng): void {
  const { k, dims, centres, weightSums } = s;
  let maxW = 0;
  for (let c = 0; c < k; c++) maxW = Math.max(maxW, weightSums[c]);
  let low: number[] = [];
  for (let c = 0; c < k; c++) if (weightSums[c] < s.reassignmentRatio * maxW) low.push(c);
  // Never more than half the batch: the lightest centres go first.
  const limit = Math.floor(0.5 * count);
  if (low.length > limit)
    low = low
      .sort((a, b) => weightSums[a] - weightSums[b] || a - b)
      .slice(0, limit)
      .sort((a, b) => a - b);
  if (low.length === 0) return;
  const keep = new Set(low);
  let minKept = Infinity;
  for (let c = 0; c < k; c++) if (!keep.has(c)) minKept = Math.min(minKept, weightSums[c]);
  const picked = new Set<number>();
  for (const c of low) {
    let r: number;
    do r = rng.int(count);
    while (picked.has(r));
    picked.add(r);
    for (let j = 0; j < dims; j++) centres[c * dims + j] = batch[r * dims + j];
    weightSums[c] = Number.isFinite(minKept) ? minKept : 0;
  }
}
