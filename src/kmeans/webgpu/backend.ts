/**
 * The WebGPU k-means backend. Initialisation stays on the CPU (the caller's); each Lloyd iteration is one GPU
 * submission (fused assignment + argmin, per-block sums, fixed-order reduction, inertia partials) that reads back only
 * k × (dims + 1) totals, a changed flag and a few inertia partials. New centroids and the centre shift are computed
 * on the host in float64 (k × dims work); per-row distances are read back only when a cluster empties. Labels are
 * read back once, at the end.
 *
 * Why the centroid update is on the host: the host needs the per-cluster weights every iteration anyway (empty
 * clusters, convergence), so a GPU update would save only the k × dims sums of the read-back (135 KB at k = 1,024,
 * d = 32, microseconds over PCIe, against tens of milliseconds of assignment), and float64 on the host keeps the
 * centres as accurate as the js reference's. The trade-off is an estimate until bench/kmeans-gpu.mjs runs on a hardware
 * adapter (bench/README.md keeps the status).
 */
import type { KMeansBackend, LloydOptions, LloydProblem, LloydResult } from '../backend.js';
import { throwIfAborted } from '../lloyd.js';
import { acquireGpu, peekGpu, type GpuContext } from '../../gpu/device.js';
import { GpuKMeansProblem } from './problem.js';
import type { LayoutCaps } from './layout.js';
import { emptyClusters, newCentroids, relocateEmpty, splitTotals } from './centroids.js';

export { WebGpuUnavailableError, WebGpuDeviceLostError, WebGpuLimitError } from '../../gpu/errors.js';

/** Options of `createWebGpuBackend`. */
export interface WebGpuBackendOptions {
  signal?: AbortSignal;
  /** Caps below the device's limits (tests use them to exercise binding and dispatch splitting on small data). */
  layout?: LayoutCaps;
}

/**
 * Multiply-adds per iteration (n · k · dims) above which WebGPU is expected to beat wasm threads on a hardware GPU.
 *
 * An estimate, not a measured crossover (bench/README.md keeps the status of hardware runs): wasm threads on 2 cores reach
 * 30–70 GFLOP/s on this kernel, so 2^27 ≈ 1.3e8 multiply-adds (≈ 4e8 flops with the subtraction) take 6–13 ms per
 * iteration there, while a GPU's fixed costs per iteration (one submission and one small map-read round trip, ≈ 0.1–1 ms)
 * plus the one-time upload of n · dims floats are then clearly amortised. Software adapters (SwiftShader, lavapipe)
 * run WGSL on the same CPU cores, slower than wasm SIMD: they are never worth it.
 */
export const WEBGPU_WORTH_IT_MULTIPLY_ADDS = 2 ** 27;
/** Below this many rows the per-iteration round trip dominates whatever k and dims are. */
export const WEBGPU_WORTH_IT_MIN_ROWS = 4096;

/** Whether a WebGPU adapter and device can be obtained here (acquires and keeps the shared device when it can). */
export async function webGpuAvailable(): Promise<boolean> {
  try {
    await acquireGpu();
    return true;
  } catch {
    return false;
  }
}

/**
 * The 'auto' backend's threshold: true when an n × dims problem with k clusters is large enough for a GPU to win
 * (see `WEBGPU_WORTH_IT_MULTIPLY_ADDS`). False when the device already acquired is a software implementation.
 */
export function webGpuWorthIt(n: number, dims: number, k: number): boolean {
  if (peekGpu()?.software) return false;
  return n >= WEBGPU_WORTH_IT_MIN_ROWS && n * k * dims >= WEBGPU_WORTH_IT_MULTIPLY_ADDS;
}

/**
 * Creates the WebGPU backend. Throws `WebGpuUnavailableError` when no adapter can be had (no `navigator.gpu`; in
 * Node, no `webgpu` package or no Vulkan driver).
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<KMeansBackend> {
  await acquireGpu(options.signal);
  return new WebGpuBackend(options.layout ?? {});
}

class WebGpuBackend implements KMeansBackend {
  readonly name = 'webgpu' as const;
  readonly threads = 0;
  /** The last problem uploaded, reused while the same data is run again (nInit restarts). */
  private cached: { problem: LloydProblem; ctx: GpuContext; gpu: GpuKMeansProblem } | null = null;

  /** Calls run one at a time: they share the uploaded problem and its read-back buffer. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly caps: LayoutCaps) {}

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async upload(problem: LloydProblem, signal?: AbortSignal): Promise<GpuKMeansProblem> {
    const ctx = await acquireGpu(signal);
    const c = this.cached;
    if (
      c &&
      c.ctx === ctx &&
      !ctx.lost &&
      c.problem.data === problem.data &&
      c.problem.weights === problem.weights &&
      c.problem.n === problem.n &&
      c.problem.dims === problem.dims &&
      c.problem.k === problem.k
    ) {
      c.gpu.resetLabels();
      return c.gpu;
    }
    this.dispose();
    const gpu = await GpuKMeansProblem.create(ctx, problem, this.caps);
    this.cached = { problem, ctx, gpu };
    return gpu;
  }

  lloyd(problem: LloydProblem, init: Float32Array, options: LloydOptions): Promise<LloydResult> {
    return this.serial(() => this.runLloyd(problem, init, options));
  }

  assign(
    problem: LloydProblem,
    centroids: Float32Array,
    signal?: AbortSignal,
  ): Promise<{ labels: Int32Array; inertia: number }> {
    return this.serial(() => this.runAssign(problem, centroids, signal));
  }

  private async runLloyd(problem: LloydProblem, init: Float32Array, options: LloydOptions): Promise<LloydResult> {
    const { signal, onIteration, maxIter, tolAbs } = options;
    throwIfAborted(signal);
    const gpu = await this.upload(problem, signal);
    try {
      let centroids: Float32Array = Float32Array.from(init);
      let iterations = 0;
      let converged = false;
      let strict = false;
      let relocated = false;
      let lastInertia = 0;
      while (iterations < maxIter) {
        throwIfAborted(signal);
        const step = await gpu.step(centroids, true);
        iterations++;
        const sums = splitTotals(step.totals!, problem.k, problem.dims);
        const empty = emptyClusters(sums);
        let seeds = new Map<number, number>();
        if (empty.length > 0) {
          const labels = await gpu.readLabels();
          const distances = await gpu.readDistances();
          seeds = relocateEmpty(problem, centroids, sums, empty, labels, distances);
        }
        relocated = seeds.size > 0;
        lastInertia = step.inertia;
        const next = newCentroids(problem, centroids, sums, seeds);
        centroids = next.centroids;
        onIteration?.(iterations, step.inertia, next.shift, 0);
        // scikit-learn's tests: labels unchanged (strict convergence), else the squared centre shift within tolerance.
        if (!step.changed) {
          strict = converged = true;
          break;
        }
        if (next.shift <= tolAbs) {
          converged = true;
          break;
        }
      }
      throwIfAborted(signal);
      // As the js reference: after strict convergence without re-seeding, the last step's labels and inertia stand
      // (its centroids are the means of unchanged labels); otherwise one more assignment for the returned centroids.
      const inertia = strict && !relocated ? lastInertia : (await gpu.step(centroids, false)).inertia;
      const labels = await gpu.readLabels();
      return { centroids, labels, inertia, iterations, converged };
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private async runAssign(
    problem: LloydProblem,
    centroids: Float32Array,
    signal?: AbortSignal,
  ): Promise<{ labels: Int32Array; inertia: number }> {
    throwIfAborted(signal);
    const gpu = await this.upload(problem, signal);
    try {
      const r = await gpu.step(centroids, false);
      return { labels: await gpu.readLabels(), inertia: r.inertia };
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  dispose(): void {
    this.cached?.gpu.destroy();
    this.cached = null;
  }
}
