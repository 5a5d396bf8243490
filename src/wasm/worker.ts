/** Worker side of WasmContext.parallel: one instance per (worker, context), cached, over the context's shared memory. */
import { registerBuiltin } from '../pool/worker/builtins.js';
import { imports } from './imports.js';
import type { WasmHandle } from './context.js';

const instances = new Map<number, Record<string, (...a: number[]) => number>>();

registerBuiltin('wasm.call', (handle: WasmHandle, fn: string, args: number[]) => {
  let exports = instances.get(handle.id);
  if (!exports) {
    // Contexts are short-lived; keep only a few instances so their memories can be collected.
    if (instances.size >= 4) instances.delete(instances.keys().next().value as number);
    exports = new WebAssembly.Instance(handle.module, imports(handle.memory)).exports as Record<string, (...a: number[]) => number>;
    instances.set(handle.id, exports);
  }
  const f = exports[fn];
  if (typeof f !== 'function') throw new Error(`kernel has no export '${fn}'`);
  return f(...args);
});
