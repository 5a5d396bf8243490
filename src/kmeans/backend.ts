/**
 * The one small interface every k-means backend (js, wasm, webgpu) implements. The public `kmeans()` validates input
 * once, converts data to row-major Float32Array, runs the initialisation (k-means++ / random / explicit) on the CPU,
 * then hands Lloyd iterations to a backend, and returns one result shape whatever the backend.
 */

/** A validated problem: row-major float32 data, n rows of `dims` features. */
export interface LloydProblem {
  readonly data: Float32Array;
  readonly n: number;
  readonly dims: number;
  readonly k: number;
  /** Per-row weights (scikit-learn's sample_weight), or null for all ones. */
  readonly weights: Float32Array | null;
}

/** The exact algorithms: from the same init they all give Lloyd's labels and iteration count (ties aside). */
export type ExactAlgorithm = 'lloyd' | 'hamerly' | 'elkan' | 'yinyang';

export interface LloydOptions {
  readonly maxIter: number;
  /** Default 'lloyd'. A backend without bounds for an algorithm runs it as Lloyd (same result, no skipped work). */
  readonly algorithm?: ExactAlgorithm;
  /** Absolute tolerance on the total squared centre shift (tol × mean feature variance, as scikit-learn). */
  readonly tolAbs: number;
  readonly signal?: AbortSignal;
  /** Called after each iteration (between iterations: a backend never blocks the event loop for a whole run). */
  readonly onIteration?: (iteration: number, inertia: number, shift: number, skipped: number) => void;
}

/** What a backend returns for one run of Lloyd's algorithm from one initialisation. */
export interface LloydResult {
  centroids: Float32Array; // k × dims
  labels: Int32Array; // n
  inertia: number; // Σ w·‖x − c(x)‖² for the returned centroids and labels
  iterations: number;
  converged: boolean;
}

export type BackendName = 'js' | 'wasm' | 'webgpu';

export interface KMeansBackend {
  readonly name: BackendName;
  /** Threads (wasm), 1 (js), or 0 for a GPU backend. */
  readonly threads: number;
  /** Lloyd iterations from `init` (k × dims). Empty clusters are re-seeded from the farthest points, as scikit-learn. */
  lloyd(problem: LloydProblem, init: Float32Array, options: LloydOptions): Promise<LloydResult>;
  /** Labels and inertia for fixed centroids (used by `predict` and for the final assignment). */
  assign(
    problem: LloydProblem,
    centroids: Float32Array,
    signal?: AbortSignal,
  ): Promise<{ labels: Int32Array; inertia: number }>;
  /** Frees memory / device buffers held for a problem. */
  dispose(): void;
}
