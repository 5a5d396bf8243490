/**
 * Where GPU adapters come from. Platform differences live in two small adapters: `browser.ts` (`navigator.gpu`) and
 * `node.ts` (the optional `webgpu` package, Dawn). The entry modules install theirs with `setGpuProvider`; tests can
 * inject a fake one. Without an installed provider, `navigator.gpu` is used when present, else the Node adapter is
 * loaded through a dynamic import that bundlers leave alone.
 */

/** Supplies GPU adapters. Return null when there is none; throw `WebGpuUnavailableError` to say why. */
export interface GpuProvider {
  readonly name: string;
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

let installed: GpuProvider | null = null;

/**
 * Installs the provider used for every later device acquisition (null: back to the default lookup) and returns the
 * previous one. A device already acquired stays in use until it is lost or released (`releaseGpu`).
 */
export function setGpuProvider(provider: GpuProvider | null): GpuProvider | null {
  const previous = installed;
  installed = provider;
  return previous;
}

/** The installed provider, or the platform default. */
export async function gpuProvider(): Promise<GpuProvider> {
  if (installed) return installed;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) {
    const { browserGpuProvider } = await import('./browser.js');
    return browserGpuProvider;
  }
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node) {
    // A specifier held in a variable: bundlers do not follow it, so browser builds never include the Node adapter.
    const specifier = './node.js';
    const mod = (await import(/* @vite-ignore */ specifier)) as { nodeGpuProvider: GpuProvider };
    return mod.nodeGpuProvider;
  }
  const { browserGpuProvider } = await import('./browser.js');
  return browserGpuProvider;
}
