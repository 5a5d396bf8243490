/** `bullmq(options)`: the BullMQ executor for `new Pool({ executor })`, `mapReduce` and `wordCount`. */
import type { Executor } from '../pool/executor.js';
import { BullmqExecutor } from './executor.js';
import { resolveBullmqOptions, type BullmqOptions } from './options.js';

/**
 * An executor that runs poolkit calls as BullMQ jobs on `poolkit worker` processes, on any machine that reaches the
 * same Redis. Nothing connects until the first call (or `pool.ready()`).
 * @throws InvalidArgumentError for bad options
 */
export function bullmq(options: BullmqOptions): Executor {
  return new BullmqExecutor(resolveBullmqOptions(options));
}

export type { BullmqOptions } from './options.js';
export { startWorker, type RunningWorker } from './worker.js';
export type { WorkerOptions } from './options.js';
