/**
 * The wasm backend: the SIMD kernel of assembly/kmeans.ts on one shared WebAssembly.Memory, run by `threads` pool
 * workers per step (one message each; the threads take 4096-row blocks from an atomic counter). Each block writes its
 * own partial sums and the reduction adds them in block order, so results do not depend on the thread count.
 */
import type { KMeansBackend, LloydOptions, LloydProblem, LloydResult } from '../backend.js';
import { runLloyd, throwIfAborted, type LloydEngine, type StepResult } from '../lloyd.js';
import { layOut, layOutCentred, setCentroids, type KMeansLayout } from './layout.js';
import { KMeansDesc } from './generated/layouts.js';
import { WasmBounds } from './bounds.js';
import type { Prepared } from '../prepare.js';
import type { Matrix } from '../validate.js';
import { WasmContext } from '../../wasm/context.js';
import type { Pool } from '../../pool/pool.js';
import { computePool } from '../../pool/compute-pool.js';
import type { KppEngine } from '../init.js';

export interface WasmBackendOptions {
  /** Threads; default: available parallelism. 1 where shared memory is unavailable. */
  threads?: number;
  /** Pool whose workers run the steps; default: poolkit's compute pool. */
  pool?: Pool;
}

/**
 * A disposed backend's context waits this long for the next call before it is dropped: repeated calls (nInit sweeps,
 * elbow plots, benchmarks) then reuse memory the OS has already committed, and the workers' cached instances.
 */
const IDLE_MS = 5000;
const idle = new Map<string, { ctx: WasmContext; pool: Pool | undefined; timer: ReturnType<typeof setTimeout> }>();

/** The shared compute pool a context with `threads` threads runs on (the one WasmContext.create picks). */
function sharedPoolFor(threads: number): Pool | undefined {
  return threads > 1 ? computePool(threads) : undefined;
}

/** Creates the wasm backend (compiles the kernel once per process; reuses a recently disposed context). */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const key = options.pool ? null : `threads:${options.threads ?? 'default'}`;
  const hit = key === null ? undefined : idle.get(key);
  if (hit && key !== null) {
    clearTimeout(hit.timer);
    idle.delete(key);
    // The shared pool is replaced (and the old one closed) when more threads are asked for: reuse only a context whose
    // pool is still the current one.
    if (sharedPoolFor(hit.ctx.threads) === hit.pool) return new WasmBackend(hit.ctx, key, hit.pool);
  }
  const ctx = await WasmContext.create('kmeans', { threads: options.threads, pool: options.pool });
  return new WasmBackend(ctx, key, key === null ? undefined : sharedPoolFor(ctx.threads));
}

class WasmEngine implements LloydEngine {
  /** `bounds`: the bounded steps of Hamerly, Elkan or Yinyang; null for Lloyd's. */
  constructor(
    private readonly ctx: WasmContext,
    private readonly l: KMeansLayout,
    private readonly bounds: WasmBounds | null = null,
  ) {}

  reset(): void {
    this.ctx.i32(this.l.labels, this.l.n).fill(-1);
    this.bounds?.reset();
  }

  async step(centroids: Float32Array, update: boolean, signal?: AbortSignal): Promise<StepResult> {
    const { ctx, l } = this;
    setCentroids(ctx, l, centroids);
    this.bounds?.beforeStep(centroids);
    ctx.i32(l.desc, KMeansDesc.bytes / 4)[KMeansDesc.index.update] = update ? 1 : 0;
    Atomics.store(ctx.i32(l.counter, 1), 0, 0);
    const calls = Math.max(1, Math.min(ctx.threads, l.nblocks));
    const changed = (
      await ctx.parallel(
        'assign',
        Array.from({ length: calls }, () => [l.desc]),
        signal,
      )
    ).reduce((a, b) => a + b, 0);
    let inertia: number;
    if (update) {
      inertia = Number(ctx.exports.reduce(l.desc, l.outSums, l.outCounts));
    } else {
      inertia = 0;
      for (const v of ctx.f64(l.binertia, l.nblocks)) inertia += v;
    }
    const computed = this.bounds ? this.bounds.computed() : l.n * l.k;
    return {
      changed,
      sums: ctx.f64(l.outSums, l.k * l.dp),
      stride: l.dp,
      counts: ctx.f64(l.outCounts, l.k),
      inertia,
      computed,
    };
  }

  labels(): Int32Array {
    return this.ctx.i32(this.l.labels, this.l.n);
  }

  distances(): Float32Array {
    return this.ctx.f32(this.l.mind, this.l.n);
  }
}

export class WasmBackend implements KMeansBackend {
  readonly name = 'wasm' as const;
  readonly threads: number;
  private cached: { problem: LloydProblem; layout: KMeansLayout } | null = null;

  private disposed = false;

  constructor(
    private readonly ctx: WasmContext,
    private readonly cacheKey: string | null = null,
    private readonly pool?: Pool,
  ) {
    this.threads = ctx.threads;
  }

  /** The problem's layout, uploading its data unless it is the one already in memory (nInit restarts reuse it). */
  private upload(problem: LloydProblem): KMeansLayout {
    const c = this.cached;
    if (
      c &&
      c.problem.data === problem.data &&
      c.problem.weights === problem.weights &&
      c.problem.k === problem.k &&
      c.problem.dims === problem.dims
    )
      return c.layout;
    this.cached = null;
    this.ctx.release();
    const layout = layOut(this.ctx, problem);
    this.cached = { problem, layout };
    return layout;
  }

  /**
   * `prepare` (centring, variances) on the kernel, writing the centred rows straight into this backend's memory.
   * Null where memory is not shared (a grown non-shared memory detaches views): the caller then prepares on the host.
   */
  prepare(m: Matrix, k: number, weights: Float64Array | null): Prepared | null {
    if (!this.ctx.shared) return null;
    this.cached = null;
    this.ctx.release();
    const c = layOutCentred(this.ctx, m.values, m.n, m.dims, k, weights);
    const problem: LloydProblem = { data: c.data, n: m.n, dims: m.dims, k, weights: c.weights };
    this.cached = { problem, layout: c.layout };
    let meanVariance = 0;
    for (let j = 0; j < m.dims; j++) meanVariance += c.m2[j] / m.n;
    return { problem, mean: c.mean, meanVariance: meanVariance / m.dims };
  }

  async lloyd(problem: LloydProblem, init: Float32Array, options: LloydOptions): Promise<LloydResult> {
    throwIfAborted(options.signal);
    const layout = this.upload(problem);
    const algorithm = options.algorithm ?? 'lloyd';
    if (algorithm === 'lloyd') return runLloyd(new WasmEngine(this.ctx, layout), problem, init, options);
    // Bounds live above the problem's layout for this run only.
    const mark = this.ctx.mark();
    const bounds = new WasmBounds(this.ctx, layout, algorithm);
    bounds.attach(true);
    try {
      return await runLloyd(new WasmEngine(this.ctx, layout, bounds), problem, init, options);
    } finally {
      bounds.attach(false);
      this.ctx.release(mark);
    }
  }

  async assign(
    problem: LloydProblem,
    centroids: Float32Array,
    signal?: AbortSignal,
  ): Promise<{ labels: Int32Array; inertia: number }> {
    throwIfAborted(signal);
    const engine = new WasmEngine(this.ctx, this.upload(problem));
    const s = await engine.step(centroids, false, signal);
    return { labels: Int32Array.from(engine.labels()), inertia: s.inertia };
  }

  /**
   * k-means++'s distance work on the kernel: all candidates of a centre in one parallel step (threads take
   * contiguous runs of blocks; per-block potentials are added in block order, so the thread count never matters).
   */
  kppEngine(problem: LloydProblem): KppEngine {
    const l = this.upload(problem);
    const ctx = this.ctx;
    const n4 = Math.ceil(l.n / 4) * 4;
    const maxTrials = 2 + Math.floor(Math.log(l.k));
    const mark = ctx.mark();
    const what = 'k-means++ distances';
    const closest = ctx.reserve(n4 * 4, 64, what);
    const slots = ctx.reserve(maxTrials * n4 * 4, 64, what);
    const cand = ctx.reserve(maxTrials * 4, 64, what);
    const pots = ctx.reserve(maxTrials * l.nblocks * 8, 64, what);
    const cum = ctx.reserve(l.n * 8, 64, what);
    const calls = Math.max(1, Math.min(ctx.threads, l.nblocks));
    const run = async (out: number, min: number, rows: readonly number[]): Promise<number[]> => {
      ctx.i32(cand, rows.length).set(rows);
      const args: number[][] = [];
      for (let t = 0; t < calls; t++) {
        args.push([
          l.desc,
          min,
          cand,
          rows.length,
          out,
          n4,
          pots,
          Math.floor((t * l.nblocks) / calls),
          Math.floor(((t + 1) * l.nblocks) / calls),
        ]);
      }
      await ctx.parallel('kppTrials', args);
      const p = ctx.f64(pots, rows.length * l.nblocks);
      return rows.map((_, t) => {
        let s = 0;
        for (let b = 0; b < l.nblocks; b++) s += p[t * l.nblocks + b];
        return s;
      });
    };
    return {
      start: async (first) => (await run(closest, 0, [first]))[0],
      cumulative: async () => {
        ctx.exports.cumulative(l.desc, closest, cum);
        return ctx.f64(cum, l.n);
      },
      trial: (rows) => run(slots, closest, rows),
      accept: (i) => {
        const all = ctx.f32(0, ctx.memory.buffer.byteLength >> 2);
        all.copyWithin(closest >> 2, (slots >> 2) + i * n4, (slots >> 2) + i * n4 + l.n);
      },
      release: () => ctx.release(mark),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cached = null;
    this.ctx.release();
    const key = this.cacheKey;
    if (key === null || idle.has(key) || sharedPoolFor(this.ctx.threads) !== this.pool) return;
    const timer = setTimeout(() => idle.delete(key), IDLE_MS);
    (timer as { unref?: () => void }).unref?.();
    idle.set(key, { ctx: this.ctx, pool: this.pool, timer });
  }
}
