/**
 * k-means with a scikit-learn-grade API: `kmeans(data, options)` and `predict(centroids, data, { dims })`.
 *
 * Input is validated once, centred and converted to float32; initialisation (k-means++, random or explicit) runs on
 * the CPU from one seeded generator; Lloyd iterations run on a backend: 'js' (the reference), 'wasm' (SIMD kernel on
 * shared-memory threads) or 'webgpu'. 'auto' picks WebGPU for large problems on a hardware GPU, else wasm.
 */
import type { BackendName, KMeansBackend, LloydProblem, LloydResult } from './backend.js';
import { JsBackend } from './js.js';
import { jsKppEngine, kmeansPlusPlus, randomInit, type KppEngine } from './init.js';
import { Prng } from '../core/random.js';
import { prepare, uncentre, columnMeans, centre, type Prepared } from './prepare.js';
import { readMatrix, readWeights, type KMeansData, type Matrix } from './validate.js';
import { throwIfAborted } from './lloyd.js';
import { ALGORITHMS, chooseAlgorithm, type AlgorithmName, type ExactAlgorithm } from './algorithm.js';
import {
  abortSignal,
  finiteNumber,
  func,
  intInRange,
  invalid,
  oneOf,
  optional,
  optionsObject,
  positiveInt,
} from '../core/validate.js';

export type { KMeansData } from './validate.js';
export type { BackendName } from './backend.js';
export type { AlgorithmName, ExactAlgorithm } from './algorithm.js';
export { chooseAlgorithm } from './algorithm.js';

/** Progress of a run, reported after every Lloyd iteration. */
export interface KMeansProgress {
  /** Which of the `nInit` runs (0-based). */
  run: number;
  /** Iterations done in this run (1-based). */
  iteration: number;
  /** Σ w·‖x − c‖² of this iteration's assignment (to the centroids it started from). */
  inertia: number;
  /** Total squared centre shift of this iteration. */
  shift: number;
  /** Row-to-centroid distance computations this iteration skipped, of Lloyd's n × k (0 for Lloyd). */
  skipped: number;
  /** The exact algorithm running (what 'auto' chose). */
  algorithm: ExactAlgorithm;
}

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n. */
  k: number;
  /** Features per row; required for Float32Array / Float64Array data, inferred from arrays of rows. */
  dims?: number;
  /** 'k-means++' (default; scikit-learn's greedy variant), 'random', or explicit k × dims centroids. */
  init?: 'k-means++' | 'random' | Float32Array | Float64Array | ArrayLike<number>[];
  /** Runs from different initialisations; the lowest inertia wins. Default 1 (10 for 'random'; 1 for explicit init). */
  nInit?: number;
  /** Lloyd iterations per run, default 300. */
  maxIter?: number;
  /** Relative tolerance (scikit-learn's): stop when Σ‖Δc‖² ≤ tol × mean per-feature variance. Default 1e-4. */
  tol?: number;
  /** Seed of the initialisation; the same seed gives the same result on every backend thread count. Default 0. */
  seed?: number;
  /** 'auto' (default), 'js', 'wasm' or 'webgpu'. */
  backend?: 'auto' | BackendName;
  /**
   * The exact algorithm: 'lloyd', or the triangle-inequality accelerations 'hamerly', 'elkan', 'yinyang', which
   * give Lloyd's labels and iterations from the same init while skipping distance computations; 'auto' (default)
   * picks one from n, k, dims and memory (see `chooseAlgorithm`). The webgpu backend runs Lloyd whatever this says.
   */
  algorithm?: AlgorithmName;
  /** Threads of the wasm backend; default: available parallelism (1 for small problems, and where shared memory is unavailable). */
  threads?: number;
  /** Per-row weights (n values ≥ 0), as scikit-learn's sample_weight. */
  sampleWeight?: Float32Array | Float64Array | ArrayLike<number>;
  /** Aborts the run: the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Called after each iteration of each run. */
  onProgress?: (progress: KMeansProgress) => void;
}

export interface KMeansResult {
  /** k × dims, row-major. */
  centroids: Float32Array;
  /** Cluster of each row. */
  labels: Int32Array;
  /** Σ w·‖x − c(x)‖² for the returned centroids and labels. */
  inertia: number;
  iterations: number;
  converged: boolean;
  backend: BackendName;
  /** Threads used (1 for js, 0 for webgpu). */
  threads: number;
  /** The exact algorithm that ran. */
  algorithm: ExactAlgorithm;
}

const KMEANS_KEYS = [
  'k',
  'dims',
  'init',
  'nInit',
  'maxIter',
  'tol',
  'seed',
  'backend',
  'algorithm',
  'threads',
  'sampleWeight',
  'signal',
  'onProgress',
] as const;
const PREDICT_KEYS = ['dims', 'backend', 'threads', 'signal'] as const;
const BACKENDS = ['auto', 'js', 'wasm', 'webgpu'] as const;
/** More threads than any machine poolkit runs on has cores: surely a mistake. */
const MAX_THREADS = 1024;

/** Clusters the rows of `data` into `options.k` groups with Lloyd's algorithm. */
export async function kmeans(data: KMeansData, options: KMeansOptions): Promise<KMeansResult> {
  const o = optionsObject(options, 'options', KMEANS_KEYS, true);
  const matrix = readMatrix(data, o.dims);
  const { n, dims } = matrix;
  if (o.k === undefined) throw invalid('options.k', 'a positive integer', o.k, 'k is required');
  const k = positiveInt(o.k, 'options.k');
  if (k > n) throw invalid('options.k', `at most the number of rows, ${n}`, k, `data has only ${n} rows`);
  const maxIter = optional(o.maxIter, 'options.maxIter', positiveInt) ?? 300;
  const tol = o.tol === undefined ? 1e-4 : finiteNumber(o.tol, 'options.tol', 0);
  const seed = optional(o.seed, 'options.seed', finiteNumber) ?? 0;
  const threads = o.threads === undefined ? undefined : intInRange(o.threads, 'options.threads', 1, MAX_THREADS);
  const backendName = o.backend === undefined ? 'auto' : oneOf(o.backend, 'options.backend', BACKENDS);
  const algorithmName = o.algorithm === undefined ? 'auto' : oneOf(o.algorithm, 'options.algorithm', ALGORITHMS);
  const weights = o.sampleWeight === undefined ? null : readWeights(o.sampleWeight, n);
  const signal = optional(o.signal, 'options.signal', abortSignal);
  const onProgress = optional(o.onProgress, 'options.onProgress', func<(p: KMeansProgress) => void>);

  const init = o.init ?? 'k-means++';
  let explicit: Float32Array | null = null;
  if (init !== 'k-means++' && init !== 'random') {
    if (typeof init !== 'object' || init === null)
      throw invalid('options.init', "'k-means++', 'random' or k × dims centroids", init);
    const m = readMatrix(init, dims, 'options.init', 'options.dims');
    if (m.n !== k || m.dims !== dims)
      throw invalid('options.init', `k × dims = ${k} × ${dims} values`, init, `it has ${m.n} × ${m.dims}`);
    explicit = Float32Array.from(m.values);
  }
  const nInit = optional(o.nInit, 'options.nInit', positiveInt) ?? (init === 'random' ? 10 : 1);

  throwIfAborted(signal);
  const backend = await selectBackend(backendName, { n, dims, k }, threads ?? defaultThreads(n, dims, k), signal);
  try {
    const { problem, mean, meanVariance } = prepareFor(backend, matrix, k, weights);
    const tolAbs = tol * meanVariance;
    const algorithm =
      backend.name === 'webgpu'
        ? 'lloyd'
        : algorithmName === 'auto'
          ? chooseAlgorithm(n, k, dims, boundsBudget(backend.name, n, dims))
          : algorithmName;
    const centredInit = explicit ? centre(explicit, k, dims, mean) : null;
    const rng = new Prng(seed);
    let best: LloydResult | null = null;
    const runs = explicit ? 1 : nInit;
    for (let run = 0; run < runs; run++) {
      throwIfAborted(signal);
      const start =
        centredInit ??
        (init === 'random'
          ? randomInit(problem, rng)
          : await kmeansPlusPlus(problem, rng, kppEngineFor(backend, problem), signal));
      const result = await backend.lloyd(problem, start, {
        maxIter,
        tolAbs,
        algorithm,
        signal,
        onIteration: onProgress
          ? (iteration, inertia, shift, skipped) => onProgress({ run, iteration, inertia, shift, skipped, algorithm })
          : undefined,
      });
      if (!best || result.inertia < best.inertia) best = result;
    }
    const r = best!;
    return {
      centroids: uncentre(r.centroids, dims, mean),
      labels: r.labels,
      inertia: r.inertia,
      iterations: r.iterations,
      converged: r.converged,
      backend: backend.name,
      threads: backend.threads,
      algorithm,
    };
  } finally {
    backend.dispose();
  }
}

/** Options of `predict`. */
export interface PredictOptions {
  /** Features per row; required when centroids or data are typed arrays. */
  dims?: number;
  backend?: 'auto' | BackendName;
  threads?: number;
  signal?: AbortSignal;
}

/** The nearest centroid of each row of `data` (first index among equal distances). */
export async function predict(
  centroids: KMeansData,
  data: KMeansData,
  options: PredictOptions = {},
): Promise<Int32Array> {
  const o = optionsObject(options, 'options', PREDICT_KEYS);
  const c = readMatrix(centroids, o.dims, 'centroids');
  // Typed-array data without options.dims has the centroids' row length.
  const typed = data instanceof Float32Array || data instanceof Float64Array;
  const m = readMatrix(
    data,
    o.dims ?? (typed ? c.dims : undefined),
    'data',
    o.dims === undefined ? "the centroids' dims" : 'options.dims',
  );
  if (m.dims !== c.dims)
    throw invalid('data', `rows of ${c.dims} values, as the centroids have`, data, `its rows have ${m.dims}`);
  const backendName = o.backend === undefined ? 'auto' : oneOf(o.backend, 'options.backend', BACKENDS);
  const threads = o.threads === undefined ? undefined : intInRange(o.threads, 'options.threads', 1, MAX_THREADS);
  const signal = optional(o.signal, 'options.signal', abortSignal);
  // Both sides shifted by the centroids' mean: same distances, better float32 accuracy.
  const mean = columnMeans(c.values, c.n, c.dims);
  const problem: LloydProblem = {
    data: centre(m.values, m.n, m.dims, mean),
    n: m.n,
    dims: m.dims,
    k: c.n,
    weights: null,
  };
  const backend = await selectBackend(
    backendName,
    problem,
    threads ?? defaultThreads(problem.n, problem.dims, problem.k),
    signal,
  );
  try {
    return (await backend.assign(problem, centre(c.values, c.n, c.dims, mean), signal)).labels;
  } finally {
    backend.dispose();
  }
}

/** wasm32 addresses at most 4 GiB. */
const WASM32_BYTES = 2 ** 32;
/** What the js backend's bounds may take (they are float64 arrays on the JS heap). */
const JS_BOUNDS_BYTES = 2 ** 31;

/**
 * Bytes the per-row bounds may use: on wasm, what 4 GiB leaves after the rows (padded to 4 floats), labels,
 * distances and a tenth for partial sums and scratch; on js, a fixed 2 GiB (bounds are float64 there: half as many).
 */
function boundsBudget(backend: BackendName, n: number, dims: number): number {
  if (backend === 'js') return JS_BOUNDS_BYTES / 2;
  const fixed = n * (Math.ceil(dims / 4) * 4 + 2) * 4;
  return Math.max(0, WASM32_BYTES * 0.9 - fixed);
}

type ProblemSize = Pick<LloydProblem, 'n' | 'dims' | 'k'>;

/**
 * Below this many multiply-adds per assignment step (about 0.2 ms on one core), messages to workers cost more than
 * they save: the default is then one thread. An explicit `threads` is always honoured.
 */
const SMALL_STEP_MULTIPLY_ADDS = 2 ** 22;

function defaultThreads(n: number, dims: number, k: number): number | undefined {
  return n * dims * k < SMALL_STEP_MULTIPLY_ADDS ? 1 : undefined;
}

/** Centred float32 problem: on the wasm kernel when the backend can (no host-side copies), else on the host. */
function prepareFor(backend: KMeansBackend, matrix: Matrix, k: number, weights: Float64Array | null): Prepared {
  const b = backend as KMeansBackend & { prepare?: (m: Matrix, k: number, w: Float64Array | null) => Prepared | null };
  return (typeof b.prepare === 'function' ? b.prepare(matrix, k, weights) : null) ?? prepare(matrix, k, weights);
}

/** The backend's own k-means++ engine when it has one (wasm), else the js one. */
function kppEngineFor(backend: KMeansBackend, problem: LloydProblem): KppEngine {
  const b = backend as KMeansBackend & { kppEngine?: (p: LloydProblem) => KppEngine };
  return typeof b.kppEngine === 'function' ? b.kppEngine(problem) : jsKppEngine(problem);
}

/**
 * The backend for a problem. 'auto': WebGPU when the problem is large enough to win and a hardware adapter exists
 * (the webgpu module is imported lazily, so Node without the `webgpu` package never loads it), else wasm, else js.
 */
async function selectBackend(
  name: 'auto' | BackendName,
  problem: ProblemSize,
  threads: number | undefined,
  signal?: AbortSignal,
): Promise<KMeansBackend> {
  if (name === 'js') return new JsBackend();
  if (name === 'webgpu') return (await import('./webgpu/backend.js')).createWebGpuBackend({ signal });
  if (name === 'wasm') return (await import('./wasm/backend.js')).createWasmBackend({ threads });
  const gpu = await tryWebGpu(problem, signal);
  if (gpu) return gpu;
  if (typeof WebAssembly === 'undefined') return new JsBackend();
  try {
    return await (await import('./wasm/backend.js')).createWasmBackend({ threads });
  } catch {
    // No usable WebAssembly here (a kernel that cannot be fetched or instantiated): the reference still works.
    return new JsBackend();
  }
}

async function tryWebGpu(problem: ProblemSize, signal?: AbortSignal): Promise<KMeansBackend | null> {
  try {
    const gpu = await import('./webgpu/backend.js');
    if (!gpu.webGpuWorthIt(problem.n, problem.dims, problem.k)) return null;
    if (!(await gpu.webGpuAvailable()) || !gpu.webGpuWorthIt(problem.n, problem.dims, problem.k)) return null;
    return await gpu.createWebGpuBackend({ signal });
  } catch {
    return null;
  }
}

export { miniBatchKMeans, MiniBatchKMeans } from './minibatch/fit.js';
export type { MiniBatchOptions, MiniBatchResult, MiniBatchSource, RowBlock } from './minibatch/fit.js';
export { predictFile } from './minibatch/predict-file.js';
export type { PredictFileOptions, PredictFileResult } from './minibatch/predict-file.js';
export type { MatrixFileSource } from './minibatch/file-source.js';
