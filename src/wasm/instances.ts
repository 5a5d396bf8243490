/** Worker side of WasmContext.call: one instance per (worker, context), cached, over the context's shared memory. */
import { PoolkitError } from '../core/errors.js';
import type { Kernel } from '../pool/worker/kernel.js';
import { imports } from './imports.js';
import type { WasmHandle } from './context.js';

export type KernelExports = Record<string, (...a: number[]) => number>;

const instances = new Map<number, KernelExports>();

/** This worker's instance of the context's module on the context's memory (created on first use). */
export function instanceOf(handle: WasmHandle): KernelExports {
  let exports = instances.get(handle.id);
  if (!exports) {
    // Contexts are short-lived; keep only a few instances so their memories can be collected.
    if (instances.size >= 4) instances.delete(instances.keys().next().value as number);
    exports = new WebAssembly.Instance(handle.module, imports(handle.memory)).exports as KernelExports;
    instances.set(handle.id, exports);
  }
  return exports;
}

/** The `wasm.call` kernel step: export `fn(...args)` of this worker's instance of the context. */
export const wasmCall: Kernel = (_ctx, handle: WasmHandle, fn: string, args: number[]) => {
  const f = instanceOf(handle)[fn];
  if (typeof f !== 'function') throw new PoolkitError(`kernel has no export '${fn}'`);
  return f(...args);
};
