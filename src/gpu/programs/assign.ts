/** The assignment program (shaders/assign.wgsl): nearest centroid and its squared distance per row, argmin fused. */
import { assignWgsl } from '../generated/shaders.js';
import { computePipeline } from '../pipelines.js';
import { ASSIGN_WG } from '../layout.js';

/**
 * Bindings: 0 params (uniform), 1 data rows, 2 centroids, 3 labels (u32, read_write), 4 min distances (read_write),
 * 5 changed counter (atomic u32). `tiled`: stage centroids through workgroup memory (GPUs) or read them directly
 * (CPU implementations, where that is faster).
 */
export function assignPipeline(device: GPUDevice, tileFloats: number, tiled: boolean): Promise<GPUComputePipeline> {
  return computePipeline(device, 'poolkit.kmeans.assign', assignWgsl, { WG: ASSIGN_WG, TILE_FLOATS: tiled ? tileFloats : 1, TILED: tiled ? 1 : 0 });
}
