/**
 * How one k-means problem is laid out on a device: rows split into chunks that each fit one storage binding,
 * workgroup grids that respect the per-dimension dispatch limit (2-D when needed), row blocks for the update pass
 * sized so that the partial-sum buffer fits its budget. Pure planning: no GPU calls, so it is tested on its own
 * with artificially small limits.
 */
import { WebGpuLimitError } from '../../gpu/errors.js';
import type { GpuLimits } from '../../gpu/device.js';

/** Caps below the device's limits: for tests (exercise splitting on small data) and for tuning. */
export interface LayoutCaps {
  /** At most this many rows per storage binding (default: as many as the binding size allows). */
  maxRowsPerBinding?: number;
  /** At most this many workgroups per grid dimension (default: the device limit, usually 65,535). */
  maxWorkgroupsPerDimension?: number;
  /** Bytes for the update pass's per-block partial sums (default 64 MiB, never above one binding). */
  maxPartialBytes?: number;
  /** Centroid tiles in workgroup memory in the assignment shader (default: on hardware GPUs, off on CPU implementations). */
  tiledAssign?: boolean;
  /**
   * Running sums of the update pass in workgroup memory when k × (dims + 1) floats fit there (default here: true;
   * the backend turns it off on CPU implementations, where it only costs: SwiftShader compiles a shader with 8,000
   * floats of workgroup memory in about 6 s).
   */
  localSums?: boolean;
  /** At most this many floats per centroid tile (default 4,096: 16 KiB). */
  maxTileFloats?: number;
}

export const ASSIGN_WG = 64;
/** Most threads of an update workgroup: one per column (dims + 1), rounded up to a power of two. */
export const UPDATE_WG_MAX = 64;
export const REDUCE_WG = 64;
export const INERTIA_WG = 256;
export const INERTIA_ROWS_PER_THREAD = 64;
/** Rows summed by one inertia workgroup. */
export const INERTIA_ROWS = INERTIA_WG * INERTIA_ROWS_PER_THREAD;
/** Fewer blocks than this many rows each would only add partial sums to zero and reduce. */
const MIN_BLOCK_ROWS = 64;
/** Enough blocks to fill a large GPU; more only lengthen the reduction. */
const TARGET_BLOCKS = 1024;
const DEFAULT_PARTIAL_BYTES = 64 * 1024 * 1024;
const DEFAULT_TILE_FLOATS = 4096;

/** A dispatch grid: x × y workgroups, linearised in the shader as x + y · nx. */
export type Grid = readonly [x: number, y: number];

export interface Chunk {
  /** First row of the chunk in the whole dataset. */
  readonly row0: number;
  readonly rows: number;
  readonly assignGrid: Grid;
  /** Update blocks in this chunk, and the index of its first block in the partial-sum buffer. */
  readonly blocks: number;
  readonly blockBase: number;
  readonly updateGrid: Grid;
  /** Inertia workgroups in this chunk, and the index of its first partial. */
  readonly inertiaGroups: number;
  readonly inertiaBase: number;
  readonly inertiaGrid: Grid;
}

export interface Layout {
  readonly n: number;
  readonly dims: number;
  readonly k: number;
  readonly chunks: readonly Chunk[];
  readonly rowsPerChunk: number;
  readonly blockRows: number;
  /** Blocks over all chunks (partial-sum buffer holds blocks × cells floats). */
  readonly blocks: number;
  /** k × (dims + 1): centred sums then weight, per cluster. */
  readonly cells: number;
  readonly reduceGrid: Grid;
  /** Inertia partials over all chunks. */
  readonly inertiaPartials: number;
  /**
   * vec4s of workgroup memory for one centroid tile in the assignment shader (a tile holds groups of four centroids,
   * dims vec4s each), or 0 when not even one group fits: then centroids are read from the storage buffer.
   */
  readonly tileVec4s: number;
  /** Floats of workgroup memory for the update pass's running sums (k × (dims + 1)), or 0 to sum in the partial buffer. */
  readonly localSumFloats: number;
  /** Threads per update workgroup: one per column (dims + 1) up to UPDATE_WG_MAX, a power of two. */
  readonly updateWorkgroupSize: number;
}

/** Smallest 2-D grid holding `groups` workgroups with at most `maxPerDim` per dimension. */
export function grid2d(groups: number, maxPerDim: number): Grid {
  if (groups <= 0) return [0, 0];
  const x = Math.min(groups, maxPerDim);
  const y = Math.ceil(groups / x);
  if (y > maxPerDim)
    throw new WebGpuLimitError(
      'maxComputeWorkgroupsPerDimension',
      `${groups} workgroups do not fit a ${maxPerDim} × ${maxPerDim} grid`,
    );
  return [x, y];
}

/** Plans the layout of an n × dims problem with k clusters on a device with `limits`. */
export function planLayout(n: number, dims: number, k: number, limits: GpuLimits, caps: LayoutCaps = {}): Layout {
  const rowBytes = dims * 4;
  const bindingBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  let rowsPerChunk = Math.floor(bindingBytes / rowBytes);
  if (caps.maxRowsPerBinding !== undefined) rowsPerChunk = Math.min(rowsPerChunk, Math.floor(caps.maxRowsPerBinding));
  if (rowsPerChunk < 1)
    throw new WebGpuLimitError(
      'maxStorageBufferBindingSize',
      `one row of ${dims} floats does not fit one storage binding`,
    );
  const maxPerDim = Math.min(limits.maxComputeWorkgroupsPerDimension, caps.maxWorkgroupsPerDimension ?? Infinity);

  const cells = k * (dims + 1);
  const cellBytes = cells * 4;
  if (cellBytes > bindingBytes)
    throw new WebGpuLimitError(
      'maxStorageBufferBindingSize',
      `k × (dims + 1) = ${cells} floats do not fit one storage binding`,
    );
  const partialBytes = Math.min(caps.maxPartialBytes ?? DEFAULT_PARTIAL_BYTES, bindingBytes);
  const maxBlocks = Math.max(1, Math.floor(partialBytes / cellBytes));
  const nChunks = Math.ceil(n / rowsPerChunk);
  let blockRows = Math.max(MIN_BLOCK_ROWS, Math.ceil(n / Math.min(maxBlocks, TARGET_BLOCKS)));
  const countBlocks = (br: number): number => {
    let total = 0;
    for (let c = 0; c < nChunks; c++) total += Math.ceil(Math.min(rowsPerChunk, n - c * rowsPerChunk) / br);
    return total;
  };
  while (countBlocks(blockRows) > maxBlocks) {
    if (blockRows >= rowsPerChunk)
      throw new WebGpuLimitError(
        'maxStorageBufferBindingSize',
        `partial sums for ${nChunks} chunks of k × (dims + 1) = ${cells} floats exceed ${partialBytes} bytes`,
      );
    blockRows = Math.min(rowsPerChunk, Math.ceil(blockRows * 1.25));
  }

  const chunks: Chunk[] = [];
  let blockBase = 0;
  let inertiaBase = 0;
  for (let row0 = 0; row0 < n; row0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, n - row0);
    const blocks = Math.ceil(rows / blockRows);
    const inertiaGroups = Math.ceil(rows / INERTIA_ROWS);
    chunks.push({
      row0,
      rows,
      assignGrid: grid2d(Math.ceil(rows / ASSIGN_WG), maxPerDim),
      blocks,
      blockBase,
      updateGrid: grid2d(blocks, maxPerDim),
      inertiaGroups,
      inertiaBase,
      inertiaGrid: grid2d(inertiaGroups, maxPerDim),
    });
    blockBase += blocks;
    inertiaBase += inertiaGroups;
  }

  // Workgroup memory: the centroid tile, in vec4s (four centroids' values of one dimension).
  const tileVec4s = Math.floor(
    Math.min(DEFAULT_TILE_FLOATS, limits.maxComputeWorkgroupStorageSize / 4, caps.maxTileFloats ?? Infinity) / 4,
  );

  return {
    n,
    dims,
    k,
    chunks,
    rowsPerChunk,
    blockRows,
    blocks: blockBase,
    cells,
    reduceGrid: grid2d(Math.ceil(cells / REDUCE_WG), maxPerDim),
    inertiaPartials: inertiaBase,
    tileVec4s: tileVec4s >= dims ? tileVec4s : 0,
    localSumFloats: caps.localSums !== false && cellBytes <= limits.maxComputeWorkgroupStorageSize ? cells : 0,
    updateWorkgroupSize: Math.min(UPDATE_WG_MAX, 2 ** Math.ceil(Math.log2(dims + 1))),
  };
}
