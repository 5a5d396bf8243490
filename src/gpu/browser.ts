/** Browser GPU adapter: `navigator.gpu`. */
import { WebGpuUnavailableError } from './errors.js';
import type { GpuProvider } from './provider.js';

export const browserGpuProvider: GpuProvider = {
  name: 'navigator.gpu',
  async requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu)
      throw new WebGpuUnavailableError(
        'navigator.gpu is undefined (this browser or page has no WebGPU; it needs a secure context)',
      );
    return gpu.requestAdapter(options);
  },
};
