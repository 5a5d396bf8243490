/**
 * `poolkit/bullmq`: the BullMQ executor (docs/distributed.md). A separate entry, so users of the local Pool never
 * load BullMQ; `bullmq` and `ioredis` are optional peer dependencies, loaded on first use.
 */
import './index.js';

export { bullmq, startWorker } from './distributed/index.js';
export type { BullmqOptions, WorkerOptions, RunningWorker } from './distributed/index.js';
export type { Executor, RemoteStats } from './pool/executor.js';
export { RemoteTaskError, RemoteConnectionError } from './core/errors.js';
