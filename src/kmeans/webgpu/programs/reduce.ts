/// <reference types="@webgpu/types" preserve="true" />
/** The reduction program (shaders/reduce.wgsl): per-block partial sums added in block order into totals. */
import { reduceWgsl } from '../generated/shaders.js';
import { computePipeline } from '../../../gpu/pipelines.js';
import { REDUCE_WG } from '../layout.js';

/** Bindings: 0 ReduceParams (uniform), 1 partial sums, 2 totals (read_write). */
export function reducePipeline(device: GPUDevice): Promise<GPUComputePipeline> {
  return computePipeline(device, 'poolkit.kmeans.reduce', reduceWgsl, { WG: REDUCE_WG });
}
