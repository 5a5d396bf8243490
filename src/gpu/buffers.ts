/// <reference types="@webgpu/types" preserve="true" />
/** Buffer helpers: creation, upload in bounded slices, and read-back through a mappable staging buffer. */
import { BufferUsage, MapMode } from './flags.js';
import { guard, type GpuContext } from './device.js';

/** Size rounded up to a multiple of 4 bytes (copy and map granularity), at least 16. */
export function padSize(bytes: number): number {
  return Math.max(16, Math.ceil(bytes / 4) * 4);
}

export function createBuffer(device: GPUDevice, label: string, bytes: number, usage: number): GPUBuffer {
  return device.createBuffer({ label, size: padSize(bytes), usage });
}

/** A storage buffer that can also be written by the queue and copied from. */
export function storageBuffer(device: GPUDevice, label: string, bytes: number): GPUBuffer {
  return createBuffer(device, label, bytes, BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC);
}

export function uniformBuffer(device: GPUDevice, label: string, words: Uint32Array): GPUBuffer {
  const b = createBuffer(device, label, words.byteLength, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
  device.queue.writeBuffer(b, 0, words.buffer, words.byteOffset, words.byteLength);
  return b;
}

const UPLOAD_SLICE = 64 * 1024 * 1024;

/** Writes `bytes` bytes of `src` (a typed array's view) into `dst` at `dstOffset`, in slices of at most 64 MiB. */
export function upload(
  device: GPUDevice,
  dst: GPUBuffer,
  dstOffset: number,
  src: ArrayBufferView,
  byteOffset: number,
  bytes: number,
): void {
  for (let done = 0; done < bytes; done += UPLOAD_SLICE) {
    const size = Math.min(UPLOAD_SLICE, bytes - done);
    if (src.buffer instanceof ArrayBuffer) {
      device.queue.writeBuffer(dst, dstOffset + done, src.buffer, src.byteOffset + byteOffset + done, size);
    } else {
      // Shared memory (wasm threads' data): copy the slice out first, as not every implementation accepts it.
      const copy = new Uint8Array(size);
      copy.set(new Uint8Array(src.buffer, src.byteOffset + byteOffset + done, size));
      device.queue.writeBuffer(dst, dstOffset + done, copy.buffer, 0, size);
    }
  }
}

const COLUMN_SLICE = 1 << 20;

/**
 * Writes rows row0 .. row0 + rows − 1 of the row-major `data` (dims columns) into `dst` column-major:
 * dst[j · rows + r] = data[(row0 + r) · dims + j]. Gathers at most 1 Mi floats at a time.
 */
export function uploadColumns(
  device: GPUDevice,
  dst: GPUBuffer,
  data: Float32Array,
  row0: number,
  rows: number,
  dims: number,
): void {
  const slice = new Float32Array(Math.min(rows, COLUMN_SLICE));
  for (let j = 0; j < dims; j++) {
    for (let r0 = 0; r0 < rows; r0 += slice.length) {
      const m = Math.min(slice.length, rows - r0);
      for (let r = 0, x = (row0 + r0) * dims + j; r < m; r++, x += dims) slice[r] = data[x];
      device.queue.writeBuffer(dst, (j * rows + r0) * 4, slice.buffer, 0, m * 4);
    }
  }
}

/** Copies `bytes` bytes from `src` at `offset` into a fresh ArrayBuffer (one staging buffer, mapped once). */
export async function readBuffer(ctx: GpuContext, src: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
  const { device } = ctx;
  const staging = createBuffer(device, 'poolkit.readback', bytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST);
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(src, offset, staging, 0, Math.ceil(bytes / 4) * 4);
    device.queue.submit([enc.finish()]);
    await guard(ctx, staging.mapAsync(MapMode.READ));
    return staging.getMappedRange(0, padSize(bytes)).slice(0, bytes);
  } finally {
    staging.destroy();
  }
}
