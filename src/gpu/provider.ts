/// <reference types="@webgpu/types" preserve="true" />
/**
 * Where GPU adapters come from. Platform differences live in two small adapters: `browser.ts` (`navigator.gpu`) and
 * `node.ts` (the optional `webgpu` package, Dawn). Each entry module passes its own in as the platform default; a
 * user (or a test) can put another in front with `setGpuProvider`.
 */
import { WebGpuUnavailableError } from './errors.js';
import { invalid } from '../core/validate.js';

/** Supplies GPU adapters. Return null when there is none; throw `WebGpuUnavailableError` to say why. */
export interface GpuProvider {
  readonly name: string;
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

let platformDefault: GpuProvider | null = null;
let installed: GpuProvider | null = null;

/** Called once by the entry module (src/index.ts, src/browser.ts) with its platform's adapter. */
export function setDefaultGpuProvider(provider: GpuProvider): void {
  platformDefault = provider;
}

/**
 * Installs the provider used for every later device acquisition (null: back to the platform default) and returns the
 * previous one. A device already acquired stays in use until it is lost or released (`releaseGpu`).
 */
export function setGpuProvider(provider: GpuProvider | null): GpuProvider | null {
  if (
    provider !== null &&
    !(
      typeof provider === 'object' &&
      typeof provider.name === 'string' &&
      typeof provider.requestAdapter === 'function'
    )
  ) {
    throw invalid('provider', 'a GpuProvider ({ name, requestAdapter }) or null', provider);
  }
  const previous = installed;
  installed = provider;
  return previous;
}

/** The installed provider, or the platform default. */
export function gpuProvider(): GpuProvider {
  const p = installed ?? platformDefault;
  if (!p) throw new WebGpuUnavailableError('no GPU provider: import poolkit through its entry module ("poolkit")');
  return p;
}
