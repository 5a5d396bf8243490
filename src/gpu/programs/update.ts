/** The update program (shaders/update.wgsl): per-block centred sums and weights per cluster, no atomics. */
import { updateWgsl } from '../generated/shaders.js';
import { computePipeline } from '../pipelines.js';
import { UPDATE_WG } from '../layout.js';

/** Bindings: 0 params (uniform), 1 data rows, 2 weights, 3 labels, 4 centroids, 5 partial sums (read_write). */
export function updatePipeline(device: GPUDevice): Promise<GPUComputePipeline> {
  return computePipeline(device, 'poolkit.kmeans.update', updateWgsl, { WG: UPDATE_WG });
}
