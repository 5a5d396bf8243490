/**
 * The plain TypeScript backend: the reference every other backend is tested against. Float64 arithmetic on the
 * float32 data, rows in order, one thread.
 */
import type { ExactAlgorithm, KMeansBackend, LloydOptions, LloydProblem, LloydResult } from './backend.js';
import { runLloyd, throwIfAborted, type LloydEngine, type StepResult } from './lloyd.js';
import { HamerlyEngine } from './bounds/hamerly.js';
import { ElkanEngine } from './bounds/elkan.js';
import { YinyangEngine } from './bounds/yinyang.js';

class JsEngine implements LloydEngine {
  private readonly labelArr: Int32Array;
  private readonly dist: Float64Array;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;

  constructor(private readonly problem: LloydProblem) {
    this.labelArr = new Int32Array(problem.n).fill(-1);
    this.dist = new Float64Array(problem.n);
    this.sums = new Float64Array(problem.k * problem.dims);
    this.counts = new Float64Array(problem.k);
  }

  reset(): void {
    this.labelArr.fill(-1);
  }

  async step(centroids32: Float32Array, update: boolean): Promise<StepResult> {
    const { data, n, dims, k, weights } = this.problem;
    const centroids = Float64Array.from(centroids32);
    const { labelArr, dist, sums, counts } = this;
    if (update) {
      sums.fill(0);
      counts.fill(0);
    }
    let changed = 0;
    let inertia = 0;
    for (let r = 0; r < n; r++) {
      // Nearest centroid, first index among equal distances.
      const x = r * dims;
      let label = 0;
      let d2 = Infinity;
      for (let c = 0, y = 0; c < k; c++, y += dims) {
        let s = 0;
        for (let j = 0; j < dims; j++) {
          const d = data[x + j] - centroids[y + j];
          s += d * d;
        }
        if (s < d2) {
          d2 = s;
          label = c;
        }
      }
      if (labelArr[r] !== label) changed++;
      labelArr[r] = label;
      dist[r] = d2;
      const w = weights ? weights[r] : 1;
      inertia += w * d2;
      if (update) {
        counts[label] += w;
        for (let j = 0; j < dims; j++) sums[label * dims + j] += w * data[x + j];
      }
    }
    return { changed, sums, stride: dims, counts, inertia, computed: n * k };
  }

  labels(): Int32Array {
    return this.labelArr;
  }

  distances(): Float64Array {
    return this.dist;
  }
}

/** The js engine of an exact algorithm. */
function jsEngine(problem: LloydProblem, algorithm: ExactAlgorithm): LloydEngine {
  switch (algorithm) {
    case 'hamerly':
      return new HamerlyEngine(problem);
    case 'elkan':
      return new ElkanEngine(problem);
    case 'yinyang':
      return new YinyangEngine(problem);
    case 'lloyd':
      return new JsEngine(problem);
  }
}

/** The js backend (stateless: nothing to dispose). */
export class JsBackend implements KMeansBackend {
  readonly name = 'js' as const;
  readonly threads = 1;

  async lloyd(problem: LloydProblem, init: Float32Array, options: LloydOptions): Promise<LloydResult> {
    return runLloyd(jsEngine(problem, options.algorithm ?? 'lloyd'), problem, init, options);
  }

  async assign(
    problem: LloydProblem,
    centroids: Float32Array,
    signal?: AbortSignal,
  ): Promise<{ labels: Int32Array; inertia: number }> {
    throwIfAborted(signal);
    const engine = new JsEngine(problem);
    const s = await engine.step(centroids, false);
    return { labels: engine.labels(), inertia: s.inertia };
  }

  dispose(): void {}
}
