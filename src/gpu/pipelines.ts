/// <reference types="@webgpu/types" preserve="true" />
/** Compute pipelines, compiled once per device and set of override constants. */

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** A compute pipeline for `code` (entry point `main`) with override `constants`; cached per device. */
export function computePipeline(
  device: GPUDevice,
  label: string,
  code: string,
  constants: Record<string, number>,
): Promise<GPUComputePipeline> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const key = `${label}:${JSON.stringify(constants)}`;
  let p = perDevice.get(key);
  if (!p) {
    const module = device.createShaderModule({ label, code });
    p = device.createComputePipelineAsync({
      label,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants },
    });
    perDevice.set(key, p);
    p.catch(() => perDevice.delete(key));
  }
  return p;
}

/** A bind group for binding indices 0, 1, ... of group 0 of `pipeline`. */
export function bindGroup(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  label: string,
  buffers: readonly GPUBuffer[],
): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** Records one dispatch of `pipeline` over a 2-D grid (nothing for an empty grid). */
export function dispatch(
  pass: GPUComputePassEncoder,
  pipeline: GPUComputePipeline,
  group: GPUBindGroup,
  grid: readonly [number, number],
): void {
  if (grid[0] === 0 || grid[1] === 0) return;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(grid[0], grid[1]);
}
