/** The public API, shared by the Node entry (index.ts) and the browser entry (browser.ts). */
export { Pool } from './pool/pool.js';
export type { PoolOptions, CallOptions, MapOptions, ApplyAsyncOptions } from './pool/options.js';
export { AsyncResult } from './pool/async-result.js';
export { task } from './pool/task-ref.js';
export type { TaskLike, TaskRef, ModuleTask } from './pool/task-ref.js';
export type { SchedulerStats as PoolStats } from './pool/scheduler.js';
export {
  PoolkitError, InvalidArgumentError, AbortError, TimeoutError, WorkerCrashedError, PoolClosedError, QueueFullError,
  InitializerError, NotSelfContainedError, ResultTimeoutError, WasmMemoryError,
} from './pool/errors.js';
