/** Typed errors. Every poolkit error extends PoolkitError and carries a stable `code`. */

export class PoolkitError extends Error {
  /** Stable, machine-readable: each subclass has its own; a plain PoolkitError says what failed (default ERR_POOLKIT). */
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.name = new.target.name;
    this.code = options?.code ?? 'ERR_POOLKIT';
  }
}

/**
 * Bad input or options: `argument` is its path as the caller wrote it (`options.threads`, `items`), and the message
 * reads `<argument>: expected <what>, got <value>` (built by src/core/validate.ts).
 */
export class InvalidArgumentError extends PoolkitError {
  override readonly code = 'ERR_INVALID_ARGUMENT';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** The call was aborted through its AbortSignal. */
export class AbortError extends PoolkitError {
  override readonly code = 'ABORT_ERR';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The AbortError for an aborted signal, carrying the signal's reason as its cause. */
export function abortError(signal: AbortSignal | undefined): AbortError {
  return new AbortError(undefined, { cause: signal?.reason });
}

/** Throws poolkit's AbortError when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** A task ran longer than the pool's `taskTimeout`; its worker was stopped and replaced. */
export class TimeoutError extends PoolkitError {
  override readonly code = 'ERR_TASK_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`task timed out after ${timeoutMs} ms; its worker was stopped and replaced`);
  }
}

/** The worker running the task died (process.exit, an uncaught error outside the task, out of memory). */
export class WorkerCrashedError extends PoolkitError {
  override readonly code = 'ERR_WORKER_CRASHED';
  constructor(
    readonly exitCode: number,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`worker died with exit code ${exitCode} while running this task${detail ? `: ${detail}` : ''}`, options);
  }
}

/** A call on a pool that was closed or terminated. */
export class PoolClosedError extends PoolkitError {
  override readonly code = 'ERR_POOL_CLOSED';
}

/** More queued tasks than the pool's `maxQueue`. */
export class QueueFullError extends PoolkitError {
  override readonly code = 'ERR_QUEUE_FULL';
  constructor(readonly maxQueue: number) {
    super(`task queue is full (maxQueue = ${maxQueue})`);
  }
}

/** The pool's `initializer` threw in a worker; the pool cannot run tasks. */
export class InitializerError extends PoolkitError {
  override readonly code = 'ERR_INITIALIZER';
}

/** A self-contained task function used a variable from its enclosing scope. */
export class NotSelfContainedError extends PoolkitError {
  override readonly code = 'ERR_NOT_SELF_CONTAINED';
}

/** `AsyncResult.get(timeout)` ran out of time (the task itself keeps running). */
export class ResultTimeoutError extends PoolkitError {
  override readonly code = 'ERR_RESULT_TIMEOUT';
}

/** Data does not fit in wasm32 memory. */
export class WasmMemoryError extends PoolkitError {
  override readonly code = 'ERR_WASM_MEMORY';
  constructor(
    message: string,
    readonly bytes: number,
  ) {
    super(message);
  }
}

/** A job holds more than the limit its `option` sets (raise the limit, or change the job so it holds less). */
export class BufferLimitError extends PoolkitError {
  override readonly code = 'ERR_BUFFER_LIMIT';
  constructor(
    message: string,
    readonly option: string,
    readonly limit: number,
  ) {
    super(message);
  }
}

/** A wasm kernel stopped in a state the host does not expect (a bug in poolkit, not in the input). */
export class KernelError extends PoolkitError {
  override readonly code = 'ERR_KERNEL';
}

/** Task arguments or a task result that structured clone cannot copy (functions, class instances with private state). */
export class DataCloneError extends PoolkitError {
  override readonly code = 'ERR_DATA_CLONE';
}

/** A task given to a remote executor that is not a module export: remote workers import tasks, never receive code. */
export class RemoteTaskError extends PoolkitError {
  override readonly code = 'ERR_REMOTE_TASK';
}

/** A remote executor lost (or never reached) its server: the call stopped instead of waiting without end. */
export class RemoteConnectionError extends PoolkitError {
  override readonly code = 'ERR_REMOTE_CONNECTION';
}

/** The error a task threw in its worker, rebuilt on the host with its original name, message and worker-side stack. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: SerializedError;
  props?: Record<string, unknown>;
  /** Thrown by poolkit itself in the worker: rebuilt on the host as a PoolkitError of the same class. */
  poolkit?: boolean;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const out: SerializedError = { name: e.name, message: e.message, stack: e.stack };
    if (e instanceof PoolkitError) out.poolkit = true;
    const code = (e as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (e.cause !== undefined) out.cause = serializeError(e.cause);
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(e)) {
      const v = (e as unknown as Record<string, unknown>)[key];
      if (key !== 'cause' && key !== 'code' && (v === null || ['string', 'number', 'boolean'].includes(typeof v)))
        props[key] = v;
    }
    if (Object.keys(props).length) out.props = props;
    return out;
  }
  return { name: 'Error', message: `non-Error value thrown: ${describeValue(e)}` };
}

const errorClasses: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** poolkit's own classes, by name, for errors a worker sends back (others of the family come back as PoolkitError). */
const poolkitClasses: Record<string, { prototype: PoolkitError }> = {
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
  RemoteTaskError,
  RemoteConnectionError,
};

export function deserializeError(s: SerializedError): Error {
  const cause = s.cause ? { cause: deserializeError(s.cause) } : undefined;
  let err: Error;
  if (s.poolkit) {
    // Without its constructor (whose arguments differ per class): the fields come from the serialized form below.
    err = Object.create((poolkitClasses[s.name] ?? PoolkitError).prototype) as PoolkitError;
    Object.defineProperty(err, 'message', { value: s.message, configurable: true, writable: true });
    if (cause) Object.defineProperty(err, 'cause', { value: cause.cause, configurable: true, writable: true });
    Object.defineProperty(err, 'code', {
      value: s.code ?? 'ERR_POOLKIT',
      configurable: true,
      writable: true,
      enumerable: true,
    });
  } else {
    err = new (errorClasses[s.name] ?? Error)(s.message, cause);
  }
  if (err.name !== s.name) Object.defineProperty(err, 'name', { value: s.name, configurable: true, writable: true });
  if (s.stack) err.stack = s.stack;
  if (s.code !== undefined) (err as { code?: unknown }).code = s.code;
  if (s.props) Object.assign(err, s.props);
  return err;
}

function describeValue(v: unknown): string {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  } catch {
    return typeof v;
  }
}
