/**
 * The host side of the GPU update step: new centroids from the k × (dims + 1) totals the GPU reads back
 * (centred sums Σw(x − c_old) and weights Σw per cluster), in float64, and scikit-learn's re-seeding of empty
 * clusters from the points farthest from their centres.
 */
import type { LloydProblem } from '../backend.js';
import { farthestRows } from '../lloyd.js';

/** Sums and weights per cluster, in float64, as read from the GPU's totals. */
export interface ClusterSums {
  /** k × dims centred sums Σw(x − c_old). */
  readonly sums: Float64Array;
  /** k weights Σw. */
  readonly weights: Float64Array;
}

export function splitTotals(totals: Float32Array, k: number, dims: number): ClusterSums {
  const sums = new Float64Array(k * dims);
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const base = c * (dims + 1);
    for (let j = 0; j < dims; j++) sums[c * dims + j] = totals[base + j];
    weights[c] = totals[base + dims];
  }
  return { sums, weights };
}

/** Clusters with no weight. */
export function emptyClusters(s: ClusterSums): number[] {
  const out: number[] = [];
  for (let c = 0; c < s.weights.length; c++) if (!(s.weights[c] > 0)) out.push(c);
  return out;
}

/**
 * Re-seeds each empty cluster with one of the points farthest from their centres (scikit-learn's
 * `_relocate_empty_clusters`): the i-th empty cluster gets the i-th farthest point (ties: lower index first), which
 * leaves its old cluster. Nothing moves when every distance is 0 (as the js reference). Mutates `s`; returns, per
 * re-seeded cluster, the row that now is its centre.
 */
export function relocateEmpty(
  problem: LloydProblem,
  old: Float32Array,
  s: ClusterSums,
  empty: readonly number[],
  labels: Int32Array,
  distances: Float32Array,
): Map<number, number> {
  const { dims, n } = problem;
  const far = farthestRows(distances, n, empty.length);
  const seeds = new Map<number, number>();
  if (far.length === 0 || !(distances[far[0]] > 0)) return seeds;
  for (let i = 0; i < far.length; i++) {
    const c = empty[i];
    const row = far[i];
    const from = labels[row];
    const w = problem.weights ? problem.weights[row] : 1;
    for (let j = 0; j < dims; j++) s.sums[from * dims + j] -= w * (problem.data[row * dims + j] - old[from * dims + j]);
    s.weights[from] -= w;
    s.weights[c] = w;
    seeds.set(c, row);
  }
  return seeds;
}

/**
 * New centroids c_old + Σw(x − c_old) / Σw (a re-seeded cluster takes its row exactly; a cluster still without weight
 * keeps its centre) and the total squared shift Σ‖c_new − c_old‖² of the float32 centroids.
 */
export function newCentroids(
  problem: LloydProblem,
  old: Float32Array,
  s: ClusterSums,
  seeds: Map<number, number>,
): { centroids: Float32Array; shift: number } {
  const { k, dims, data } = problem;
  const out = new Float32Array(k * dims);
  let shift = 0;
  for (let c = 0; c < k; c++) {
    const seed = seeds.get(c);
    const w = s.weights[c];
    for (let j = 0; j < dims; j++) {
      const i = c * dims + j;
      if (seed !== undefined) out[i] = data[seed * dims + j];
      else out[i] = w > 0 ? old[i] + s.sums[i] / w : old[i];
      const d = out[i] - old[i];
      shift += d * d;
    }
  }
  return { centroids: out, shift };
}
