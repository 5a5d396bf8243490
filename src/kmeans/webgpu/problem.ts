/**
 * One k-means problem resident on the GPU: data rows split into binding-sized chunks (see layout.ts), each stored
 * column-major (neighbouring GPU threads, one per row, then read neighbouring words), per-row labels and distances,
 * and the small buffers one Lloyd iteration reads back (k × (dims + 1) totals, a changed flag, the inertia partials). `step()` runs one assignment (and optionally one update) for given centroids in one submission.
 */
import type { LloydProblem } from '../backend.js';
import { checkLost, guard, type GpuContext } from '../../gpu/device.js';
import { WebGpuError, WebGpuLimitError } from '../../gpu/errors.js';
import { BufferUsage, MapMode } from '../../gpu/flags.js';
import { createBuffer, readBuffer, storageBuffer, uniformBuffer, upload, uploadColumns } from '../../gpu/buffers.js';
import { planLayout, type Chunk, type Layout, type LayoutCaps } from './layout.js';
import { bindGroup, dispatch } from '../../gpu/pipelines.js';
import { assignPipeline } from './programs/assign.js';
import { updatePipeline } from './programs/update.js';
import { reducePipeline } from './programs/reduce.js';
import { inertiaPipeline } from './programs/inertia.js';
import { chunkParamsUniform, reduceParamsUniform } from './generated/layouts.js';

/** What one step reads back. */
export interface StepResult {
  /** Per cluster: dims centred sums Σw(x − c) then Σw (only when the update ran). */
  totals: Float32Array | null;
  /** True when some label differs from the previous step's. */
  changed: boolean;
  /** Σ w · ‖x − c(x)‖² for the centroids given to this step, added in float64 in fixed order. */
  inertia: number;
}

interface ChunkBuffers {
  readonly chunk: Chunk;
  readonly assign: GPUBindGroup;
  readonly update: GPUBindGroup;
  readonly inertia: GPUBindGroup;
  readonly labels: GPUBuffer;
  readonly mind: GPUBuffer;
}

interface Pipelines {
  assign: GPUComputePipeline;
  update: GPUComputePipeline;
  reduce: GPUComputePipeline;
  inertia: GPUComputePipeline;
}

const NO_LABEL = 0xffffffff;
const LABEL_INIT_SLICE = 1 << 20;

export class GpuKMeansProblem {
  private readonly owned: GPUBuffer[] = [];
  private chunkBuffers: ChunkBuffers[] = [];
  private centroids!: GPUBuffer;
  private changedBuf!: GPUBuffer;
  private totalsBuf!: GPUBuffer;
  private inertiaBuf!: GPUBuffer;
  private staging!: GPUBuffer;
  private reduceGroup!: GPUBindGroup;
  private destroyed = false;

  private constructor(
    readonly ctx: GpuContext,
    readonly layout: Layout,
    private readonly pipelines: Pipelines,
  ) {}

  /** Uploads `problem` and prepares every buffer and bind group. */
  static async create(ctx: GpuContext, problem: LloydProblem, caps?: LayoutCaps): Promise<GpuKMeansProblem> {
    // Workgroup-memory optimisations (centroid tiles, local sums) pay on GPUs only; CPU implementations skip them.
    const layout = planLayout(problem.n, problem.dims, problem.k, ctx.limits, {
      ...caps,
      localSums: caps?.localSums ?? !ctx.software,
    });
    const { device } = ctx;
    const [assign, update, reduce, inertia] = await guard(
      ctx,
      Promise.all([
        assignPipeline(device, (caps?.tiledAssign ?? !ctx.software) ? layout.tileVec4s : 0),
        updatePipeline(device, layout.updateWorkgroupSize, layout.localSumFloats),
        reducePipeline(device),
        inertiaPipeline(device),
      ]),
    );
    const p = new GpuKMeansProblem(ctx, layout, { assign, update, reduce, inertia });
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let thrown: unknown = null;
    try {
      p.allocate(problem);
    } catch (e) {
      thrown = e;
    }
    const [invalid, oom] = await guard(ctx, Promise.all([device.popErrorScope(), device.popErrorScope()]));
    if (thrown || invalid || oom) {
      p.destroy();
      if (thrown)
        throw thrown instanceof WebGpuLimitError || thrown instanceof WebGpuError
          ? thrown
          : new WebGpuError(`WebGPU could not create the k-means buffers: ${String(thrown)}`, {
              code: 'ERR_WEBGPU_VALIDATION',
              cause: thrown,
            });
      const bytes = problem.n * problem.dims * 4;
      if (oom)
        throw new WebGpuLimitError(
          'memory',
          `the GPU has not enough memory for ${problem.n} × ${problem.dims} floats (${bytes} bytes) and their labels: ${oom.message}`,
        );
      throw new WebGpuError(`WebGPU rejected the k-means buffers: ${invalid!.message}`, {
        code: 'ERR_WEBGPU_VALIDATION',
      });
    }
    return p;
  }

  private own(b: GPUBuffer): GPUBuffer {
    this.owned.push(b);
    return b;
  }

  private allocate(problem: LloydProblem): void {
    const { device } = this.ctx;
    const { layout, pipelines } = this;
    const { dims, k, cells } = layout;
    this.centroids = this.own(storageBuffer(device, 'kmeans.centroids', k * dims * 4));
    this.changedBuf = this.own(storageBuffer(device, 'kmeans.changed', 4));
    const partials = this.own(storageBuffer(device, 'kmeans.partials', layout.blocks * cells * 4));
    this.totalsBuf = this.own(storageBuffer(device, 'kmeans.totals', cells * 4));
    this.inertiaBuf = this.own(storageBuffer(device, 'kmeans.inertia', layout.inertiaPartials * 4));
    this.staging = this.own(
      createBuffer(
        device,
        'kmeans.staging',
        (cells + 1 + layout.inertiaPartials) * 4,
        BufferUsage.MAP_READ | BufferUsage.COPY_DST,
      ),
    );
    const reduceParams = this.own(
      uniformBuffer(device, 'kmeans.reduceParams', reduceParamsUniform({ cells, blocks: layout.blocks })),
    );
    this.reduceGroup = bindGroup(device, pipelines.reduce, 'kmeans.reduce', [reduceParams, partials, this.totalsBuf]);
    const noWeights = problem.weights ? null : this.own(storageBuffer(device, 'kmeans.noWeights', 4));

    for (const chunk of layout.chunks) {
      const rowBytes = dims * 4;
      const data = this.own(storageBuffer(device, `kmeans.data@${chunk.row0}`, chunk.rows * rowBytes));
      uploadColumns(device, data, problem.data, chunk.row0, chunk.rows, dims);
      let weights = noWeights;
      if (problem.weights) {
        weights = this.own(storageBuffer(device, `kmeans.weights@${chunk.row0}`, chunk.rows * 4));
        upload(device, weights, 0, problem.weights, chunk.row0 * 4, chunk.rows * 4);
      }
      const labels = this.own(storageBuffer(device, `kmeans.labels@${chunk.row0}`, chunk.rows * 4));
      const mind = this.own(storageBuffer(device, `kmeans.mind@${chunk.row0}`, chunk.rows * 4));
      const params = this.own(
        uniformBuffer(
          device,
          `kmeans.params@${chunk.row0}`,
          chunkParamsUniform({
            rows: chunk.rows,
            dims,
            k,
            hasWeights: problem.weights ? 1 : 0,
            blockRows: layout.blockRows,
            blockBase: chunk.blockBase,
            inertiaBase: chunk.inertiaBase,
          }),
        ),
      );
      this.chunkBuffers.push({
        chunk,
        labels,
        mind,
        assign: bindGroup(device, pipelines.assign, 'kmeans.assign', [
          params,
          data,
          this.centroids,
          labels,
          mind,
          this.changedBuf,
        ]),
        update: bindGroup(device, pipelines.update, 'kmeans.update', [
          params,
          data,
          weights!,
          labels,
          this.centroids,
          partials,
        ]),
        inertia: bindGroup(device, pipelines.inertia, 'kmeans.inertia', [params, mind, weights!, this.inertiaBuf]),
      });
    }
    this.resetLabels();
  }

  /** Marks every label as unassigned, so that the next step reports a change. */
  resetLabels(): void {
    const { device } = this.ctx;
    const fill = new Uint32Array(Math.min(LABEL_INIT_SLICE, this.layout.rowsPerChunk)).fill(NO_LABEL);
    for (const cb of this.chunkBuffers) {
      for (let r = 0; r < cb.chunk.rows; r += fill.length) {
        const rows = Math.min(fill.length, cb.chunk.rows - r);
        device.queue.writeBuffer(cb.labels, r * 4, fill.buffer, 0, rows * 4);
      }
    }
  }

  /** Assigns every row to its nearest centroid of `centroids` (k × dims) and, when `update`, sums per cluster. */
  async step(centroids: Float32Array, update: boolean): Promise<StepResult> {
    this.checkUsable();
    const { device } = this.ctx;
    const { layout, pipelines } = this;
    device.queue.writeBuffer(
      this.centroids,
      0,
      centroids.buffer as ArrayBuffer,
      centroids.byteOffset,
      centroids.byteLength,
    );
    const enc = device.createCommandEncoder({ label: 'kmeans.step' });
    enc.clearBuffer(this.changedBuf, 0, 4);
    const pass = enc.beginComputePass({ label: 'kmeans.step' });
    for (const cb of this.chunkBuffers) dispatch(pass, pipelines.assign, cb.assign, cb.chunk.assignGrid);
    for (const cb of this.chunkBuffers) dispatch(pass, pipelines.inertia, cb.inertia, cb.chunk.inertiaGrid);
    if (update) {
      for (const cb of this.chunkBuffers) dispatch(pass, pipelines.update, cb.update, cb.chunk.updateGrid);
      dispatch(pass, pipelines.reduce, this.reduceGroup, layout.reduceGrid);
    }
    pass.end();
    const { cells, inertiaPartials } = layout;
    if (update) enc.copyBufferToBuffer(this.totalsBuf, 0, this.staging, 0, cells * 4);
    enc.copyBufferToBuffer(this.changedBuf, 0, this.staging, cells * 4, 4);
    enc.copyBufferToBuffer(this.inertiaBuf, 0, this.staging, (cells + 1) * 4, inertiaPartials * 4);
    device.queue.submit([enc.finish()]);
    await guard(this.ctx, this.staging.mapAsync(MapMode.READ));
    try {
      const bytes = this.staging.getMappedRange();
      const totals = update ? new Float32Array(bytes.slice(0, cells * 4)) : null;
      const changed = new Uint32Array(bytes, cells * 4, 1)[0] !== 0;
      const parts = new Float32Array(bytes, (cells + 1) * 4, inertiaPartials);
      let inertia = 0;
      for (let i = 0; i < parts.length; i++) inertia += parts[i];
      return { totals, changed, inertia };
    } finally {
      this.staging.unmap();
    }
  }

  /** Labels of every row after the last step (one read-back per chunk). */
  async readLabels(): Promise<Int32Array> {
    const out = new Int32Array(this.layout.n);
    for (const cb of this.chunkBuffers) {
      this.checkUsable();
      out.set(new Int32Array(await readBuffer(this.ctx, cb.labels, 0, cb.chunk.rows * 4)), cb.chunk.row0);
    }
    return out;
  }

  /** Squared distance of every row to its centroid in the last step (read back only to re-seed empty clusters). */
  async readDistances(): Promise<Float32Array> {
    const out = new Float32Array(this.layout.n);
    for (const cb of this.chunkBuffers) {
      this.checkUsable();
      out.set(new Float32Array(await readBuffer(this.ctx, cb.mind, 0, cb.chunk.rows * 4)), cb.chunk.row0);
    }
    return out;
  }

  private checkUsable(): void {
    checkLost(this.ctx);
    if (this.destroyed)
      throw new WebGpuError('GpuKMeansProblem used after destroy()', { code: 'ERR_WEBGPU_DESTROYED' });
  }

  /** Frees every buffer (safe to call twice, and on a lost device). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
    this.chunkBuffers = [];
  }
}
