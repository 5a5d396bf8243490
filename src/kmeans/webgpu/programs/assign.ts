/// <reference types="@webgpu/types" preserve="true" />
/** The assignment program (shaders/assign.wgsl): nearest centroid and its squared distance per row, argmin fused. */
import { assignWgsl } from '../generated/shaders.js';
import { computePipeline } from '../../../gpu/pipelines.js';
import { ASSIGN_WG } from '../layout.js';

/**
 * Bindings: 0 ChunkParams (uniform), 1 data rows, 2 centroids, 3 labels (u32, read_write), 4 min distances (read_write),
 * 5 changed counter (atomic u32). `tileVec4s` > 0: stage centroids through tiles of that many vec4s of workgroup
 * memory (GPUs); 0: read them directly (CPU implementations, where that is faster, and dims too large for a tile).
 */
export function assignPipeline(device: GPUDevice, tileVec4s: number): Promise<GPUComputePipeline> {
  return computePipeline(device, 'poolkit.kmeans.assign', assignWgsl, {
    WG: ASSIGN_WG,
    TILE_VEC4S: Math.max(1, tileVec4s),
    TILED: tileVec4s > 0 ? 1 : 0,
  });
}
