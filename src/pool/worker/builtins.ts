/**
 * Worker-side registry of built-in tasks: the kernels' per-thread steps (wasm k-means, word count, ...) are
 * bundled into the worker and called by name with `builtin(name)` on the host, so they need no module URL.
 * Kernel files register themselves here at import time; the worker entries import them.
 */
export type BuiltinTask = (...args: any[]) => unknown;

const registry = new Map<string, BuiltinTask>();

export function registerBuiltin(name: string, fn: BuiltinTask): void {
  if (registry.has(name)) throw new Error(`builtin task '${name}' registered twice`);
  registry.set(name, fn);
}

export function lookupBuiltin(name: string): BuiltinTask | undefined {
  return registry.get(name);
}
