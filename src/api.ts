/** The public API, shared by the Node entry (index.ts) and the browser entry (browser.ts). */
export { Pool } from './pool/pool.js';
export type { PoolOptions, CallOptions, MapOptions, ApplyAsyncOptions, StreamOptions } from './pool/options.js';
export { progress } from './pool/progress.js';
export { defineTasks } from './pool/task-proxy.js';
export type { TaskProxy, TaskRefs, TaskResultOf } from './pool/task-proxy.js';
export type { PoolEventMap, PoolEventType } from './pool/events.js';
export type { WorkerStats } from './pool/pool-stats.js';
export type { HistogramSummary } from './pool/histogram.js';
export { AsyncResult } from './pool/async-result.js';
export { task } from './pool/task-ref.js';
export type { TaskLike, TaskRef, ModuleTask } from './pool/task-ref.js';
export type { SchedulerStats as PoolStats } from './pool/scheduler.js';
export {
  PoolkitError,
  InvalidArgumentError,
  AbortError,
  TimeoutError,
  WorkerCrashedError,
  PoolClosedError,
  QueueFullError,
  InitializerError,
  NotSelfContainedError,
  ResultTimeoutError,
  WasmMemoryError,
  BufferLimitError,
  KernelError,
  DataCloneError,
} from './core/errors.js';

export { kmeans, predict } from './kmeans/index.js';
export type {
  KMeansData,
  KMeansOptions,
  KMeansResult,
  KMeansProgress,
  PredictOptions,
  BackendName,
} from './kmeans/index.js';
export { mapReduce, MapReduceResult } from './mapreduce/index.js';
export type {
  MapReduceOptions,
  MapReduceCounters,
  MapReduceProgress,
  MapReduceInput,
  MapReduceKey,
} from './mapreduce/index.js';
export { wordCount } from './wordcount/index.js';
export type { WordCountOptions, WordCountBackend, WordCountProgress, WordCounts } from './wordcount/index.js';
export type { ByteInput, FileInput } from './bytes/source.js';
export { Lock } from './sync/lock.js';
export type { Held } from './sync/held.js';
export { SharedMemoryUnavailableError } from './sync/shared-memory.js';
export { WebGpuUnavailableError, WebGpuDeviceLostError, WebGpuLimitError, WebGpuError } from './gpu/errors.js';
export { setGpuProvider, type GpuProvider } from './gpu/provider.js';
export { releaseGpu } from './gpu/device.js';
export { RLock } from './sync/rlock.js';
export { Semaphore, BoundedSemaphore } from './sync/semaphore.js';
export { Event } from './sync/event.js';
export { Condition } from './sync/condition.js';
export { Barrier, type BarrierOptions } from './sync/barrier.js';
export { Value, RawValue, type ValueOptions } from './sync/value.js';
export { SharedArray, RawArray } from './sync/shared-array.js';
export type { CType, PythonTypeCode, TypeCode, ArrayOf, ElementOf } from './sync/ctypes.js';
export { BlockingNotAllowedError, SyncTimeoutError } from './sync/wait.js';
export {
  LockNotOwnedError,
  BrokenBarrierError,
  QueueEmptyError,
  QueueFullTimeoutError,
  ClosedError,
  EOFError,
  SemaphoreOverflowError,
} from './sync/errors.js';
export { Queue, SimpleQueue, type QueueOptions, type PutOptions, type GetOptions } from './sync/queue.js';
export { JoinableQueue } from './sync/joinable-queue.js';
export { Pipe, Connection } from './sync/pipe.js';
export { NotSerializableError } from './sync/serialize.js';
export {
  Process,
  currentProcess,
  activeChildren,
  cpuCount,
  prewarmProcesses,
  releaseProcesses,
  type ProcessOptions,
  type ProcessIdentity,
} from './sync/process.js';
export { Manager, DictProxy, ListProxy } from './sync/manager.js';
export type { AlgorithmName, ExactAlgorithm } from './kmeans/index.js';
export { miniBatchKMeans, MiniBatchKMeans } from './kmeans/index.js';
export type { MiniBatchOptions, MiniBatchResult, MiniBatchSource, RowBlock } from './kmeans/index.js';
export { predictFile } from './kmeans/index.js';
export type { PredictFileOptions, PredictFileResult, MatrixFileSource } from './kmeans/index.js';
