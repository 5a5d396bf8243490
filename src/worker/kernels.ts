/**
 * The kernel steps a worker serves, by the name the host calls them with (`builtin(name)`). This table is the one
 * place that lists them: a kernel family adds its steps here, and both worker entries (node.ts, browser.ts) pass it
 * to the runtime.
 */
import type { KernelTable } from '../pool/worker/kernel.js';
import { wasmCall } from '../wasm/instances.js';
import { combineEntries, mapSplit, reduceEntries } from '../mapreduce/steps.js';
import { countFileSplits } from '../wordcount/steps.js';

export const kernels: KernelTable = {
  'wasm.call': wasmCall,
  'mapreduce.map': mapSplit,
  'mapreduce.combine': combineEntries,
  'mapreduce.reduce': reduceEntries,
  'wordcount.splits': countFileSplits,
};
