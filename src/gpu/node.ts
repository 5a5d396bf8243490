/** Node GPU adapter: the optional `webgpu` package (Dawn), loaded on first use. */
import { WebGpuUnavailableError } from './errors.js';
import type { GpuProvider } from './provider.js';

interface DawnModule {
  create(flags: string[]): GPU;
}

let gpu: Promise<GPU> | undefined;

async function loadGpu(): Promise<GPU> {
  let mod: DawnModule;
  try {
    const name = 'webgpu';
    mod = (await import(name)) as DawnModule;
  } catch (e) {
    throw new WebGpuUnavailableError("the optional package 'webgpu' is not installed or failed to load", { cause: e });
  }
  return mod.create([]);
}

export const nodeGpuProvider: GpuProvider = {
  name: 'webgpu (Dawn)',
  async requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
    gpu ??= loadGpu();
    let g: GPU;
    try {
      g = await gpu;
    } catch (e) {
      gpu = undefined;
      throw e;
    }
    return g.requestAdapter(options);
  },
};
