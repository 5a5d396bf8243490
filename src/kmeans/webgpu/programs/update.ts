/// <reference types="@webgpu/types" preserve="true" />
/** The update program (shaders/update.wgsl): per-block centred sums and weights per cluster, no atomics. */
import { updateWgsl } from '../generated/shaders.js';
import { computePipeline } from '../../../gpu/pipelines.js';

/**
 * Bindings: 0 ChunkParams (uniform), 1 data rows, 2 weights, 3 labels, 4 centroids, 5 partial sums (read_write).
 * `workgroupSize` threads, one per column. `localFloats` > 0: running sums in that many floats of workgroup memory
 * (k × (dims + 1)); 0: in the partial buffer.
 */
export function updatePipeline(
  device: GPUDevice,
  workgroupSize: number,
  localFloats: number,
): Promise<GPUComputePipeline> {
  return computePipeline(device, 'poolkit.kmeans.update', updateWgsl, {
    WG: workgroupSize,
    LOCAL_SUMS: localFloats > 0 ? 1 : 0,
    LOCAL_FLOATS: Math.max(1, localFloats),
  });
}
