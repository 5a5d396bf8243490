/// <reference types="@webgpu/types" preserve="true" />
/** The inertia program (shaders/inertia.wgsl): fixed-order partial sums of weighted squared distances. */
import { inertiaWgsl } from '../generated/shaders.js';
import { computePipeline } from '../../../gpu/pipelines.js';
import { INERTIA_ROWS_PER_THREAD, INERTIA_WG } from '../layout.js';

/** Bindings: 0 ChunkParams (uniform), 1 min distances, 2 weights, 3 partials (read_write). */
export function inertiaPipeline(device: GPUDevice): Promise<GPUComputePipeline> {
  return computePipeline(device, 'poolkit.kmeans.inertia', inertiaWgsl, {
    WG: INERTIA_WG,
    ROWS_PER_THREAD: INERTIA_ROWS_PER_THREAD,
  });
}
