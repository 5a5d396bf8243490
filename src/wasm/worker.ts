/** Worker side of WasmContext.parallel: one instance per (worker, context), cached, over the context's shared memory. */
import { registerBuiltin } from '../pool/worker/builtins.js';
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

registerBuiltin('wasm.call', (handle: WasmHandle, fn: string, args: number[]) => {
  const f = instanceOf(handle)[fn];
  if (typeof f !== 'function') throw new Error(`kernel has no export '${fn}'`);
  return f(...args);
});
