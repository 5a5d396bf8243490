/**
 * Lloyd's algorithm, shared by the js and wasm backends: the iteration, convergence and empty-cluster logic follow
 * scikit-learn's `_kmeans_single_lloyd`; a backend supplies only the assignment step (`LloydEngine`).
 *
 * Per iteration: assign every row to its nearest centroid and sum rows per cluster (the engine), re-seed empty
 * clusters from the rows farthest from their centres, move each centroid to the weighted mean of its rows, then stop
 * when no label changed (strict convergence) or the total squared centre shift is ≤ tolAbs. Unless strictly
 * converged, a last assignment makes labels and inertia match the returned centroids.
 */
import type { LloydOptions, LloydProblem, LloydResult } from './backend.js';
import { throwIfAborted } from '../core/errors.js';
import { platform } from '../core/platform.js';

/** What one assignment step leaves behind (views may alias the engine's memory until the next step). */
export interface StepResult {
  /** Labels that differ from the previous step's (every row on a run's first step). */
  changed: number;
  /** Weighted sums of rows per cluster, k rows of `stride` float64 (the first `dims` used); only when updating. */
  sums: Float64Array;
  stride: number;
  /** Σ weights per cluster (k). */
  counts: Float64Array;
  /** Σ w · ‖x − c(x)‖² over all rows, for the centroids the step was given. */
  inertia: number;
  /** Row-to-centroid distances computed (n × k for Lloyd; fewer where bounds proved them useless). */
  computed?: number;
}

/** The backend-specific part of a Lloyd run on one problem. */
export interface LloydEngine {
  /** Forgets previous labels (the next step counts every row as changed). */
  reset(): void;
  /** Assigns rows to `centroids` (k × dims); with `update`, also fills the per-cluster sums and counts. */
  step(centroids: Float32Array, update: boolean, signal?: AbortSignal): Promise<StepResult>;
  /** Current labels (n). */
  labels(): Int32Array;
  /** Squared distance of each row to its centroid in the last step (n). */
  distances(): Float32Array | Float64Array;
}

/** Runs Lloyd's algorithm from `init` with `engine`. */
export async function runLloyd(
  engine: LloydEngine,
  problem: LloydProblem,
  init: Float32Array,
  options: LloydOptions,
): Promise<LloydResult> {
  const { signal, onIteration } = options;
  let centroids: Float32Array = Float32Array.from(init);
  engine.reset();
  let strict = false;
  let converged = false;
  let iterations = 0;
  let yielded = now();
  let lastInertia = 0;
  let stepCentroids = centroids;
  for (let i = 0; i < options.maxIter; i++) {
    throwIfAborted(signal);
    const s = await engine.step(centroids, true, signal);
    relocateEmptyClusters(problem, engine, s);
    lastInertia = s.inertia;
    stepCentroids = centroids;
    const { next, shift } = newCentroids(problem, centroids, s);
    iterations = i + 1;
    onIteration?.(
      iterations,
      s.inertia,
      shift,
      s.computed === undefined ? 0 : Math.max(0, problem.n * problem.k - s.computed),
    );
    centroids = next;
    if (s.changed === 0) {
      strict = converged = true;
      break;
    }
    if (shift <= options.tolAbs) {
      converged = true;
      break;
    }
    // Steps that run on the calling thread never hold the event loop for a whole run.
    if (now() - yielded > 15) {
      await platform().macrotask(); // lets timers, I/O and abort events run
      yielded = now();
    }
  }
  throwIfAborted(signal);
  // Strict convergence: the new centroids are the means of unchanged labels, normally exactly the centroids the last
  // step assigned to, so its labels and inertia stand (a re-seeding just before can make them differ). Otherwise,
  // one more assignment makes labels and inertia match the returned centroids.
  const inertia =
    strict && sameValues(stepCentroids, centroids)
      ? lastInertia
      : (await engine.step(centroids, false, signal)).inertia;
  return { centroids, labels: Int32Array.from(engine.labels().subarray(0, problem.n)), inertia, iterations, converged };
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * scikit-learn's `_relocate_empty_clusters_dense`: the i-th empty cluster takes the i-th row farthest from its
 * centre (ties: lower row first), which leaves its old cluster's sums. Nothing moves when every distance is 0.
 * Returns whether anything moved.
 */
export function relocateEmptyClusters(problem: LloydProblem, engine: LloydEngine, s: StepResult): boolean {
  const { k, dims, data, weights } = problem;
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (!(s.counts[c] > 0)) empty.push(c);
  if (empty.length === 0) return false;
  const dist = engine.distances();
  const far = farthestRows(dist, problem.n, empty.length);
  if (far.length === 0 || !(dist[far[0]] > 0)) return false;
  const labels = engine.labels();
  for (let i = 0; i < far.length; i++) {
    const row = far[i];
    const to = empty[i];
    const from = labels[row];
    const w = weights ? weights[row] : 1;
    for (let j = 0; j < dims; j++) {
      const x = data[row * dims + j] * w;
      s.sums[from * s.stride + j] -= x;
      s.sums[to * s.stride + j] = x;
    }
    s.counts[to] = w;
    s.counts[from] -= w;
  }
  return true;
}

/** Indices of the m largest distances among the first n, largest first, ties by lower index. */
export function farthestRows(d: Float32Array | Float64Array, n: number, m: number): number[] {
  m = Math.min(m, n);
  if (m > 64) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => d[b] - d[a] || a - b);
    return idx.slice(0, m);
  }
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = d[i];
    if (top.length === m && !(v > d[top[m - 1]])) continue;
    let pos = top.length === m ? m - 1 : top.length;
    while (pos > 0 && v > d[top[pos - 1]]) pos--;
    top.splice(pos, 0, i);
    if (top.length > m) top.pop();
  }
  return top;
}

/** Weighted means (float64, rounded to float32); a cluster without weight keeps its centre. Returns Σ‖Δc‖². */
export function newCentroids(
  problem: LloydProblem,
  old: Float32Array,
  s: StepResult,
): { next: Float32Array; shift: number } {
  const { k, dims } = problem;
  const next = new Float32Array(k * dims);
  let shift = 0;
  for (let c = 0; c < k; c++) {
    const w = s.counts[c];
    for (let j = 0; j < dims; j++) {
      const i = c * dims + j;
      next[i] = w > 0 ? s.sums[c * s.stride + j] / w : old[i];
      const d = next[i] - old[i];
      shift += d * d;
    }
  }
  return { next, shift };
}

export { throwIfAborted };

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
