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

/** Bad input or options: `argument` names which one. */
export class InvalidArgumentError extends PoolkitError {
  override readonly code = 'ERR_INVALID_ARGUMENT';
  constructor(readonly argument: string, message: string) {
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
  constructor(readonly exitCode: number, detail?: string, options?: { cause?: unknown }) {
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
  constructor(message: string, readonly bytes: number) {
    super(message);
  }
}

/** A job holds more than the limit its `option` sets (raise the limit, or change the job so it holds less). */
export class BufferLimitError extends PoolkitError {
  override readonly code = 'ERR_BUFFER_LIMIT';
  constructor(message: string, readonly option: string, readonly limit: number) {
    super(message);
  }
}

/** The error a task threw in its worker, rebuilt on the host with its original name, message and worker-side stack. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: SerializedError;
  props?: Record<string, unknown>;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const out: SerializedError = { name: e.name, message: e.message, stack: e.stack };
    const code = (e as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (e.cause !== undefined) out.cause = serializeError(e.cause);
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(e)) {
      const v = (e as unknown as Record<string, unknown>)[key];
      if (key !== 'cause' && key !== 'code' && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) props[key] = v;
    }
    if (Object.keys(props).length) out.props = props;
    return out;
  }
  return { name: 'Error', message: `non-Error value thrown: ${describeValue(e)}` };
}

const errorClasses: Record<string, ErrorConstructor> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

export function deserializeError(s: SerializedError): Error {
  const Ctor = errorClasses[s.name] ?? Error;
  const err = new Ctor(s.message, s.cause ? { cause: deserializeError(s.cause) } : undefined);
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
