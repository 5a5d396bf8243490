/** The typed errors of the multiprocessing toolbox (Python's names, camelCase where Python has them). */
import { PoolkitError, QueueFullError } from '../core/errors.js';

/** Releasing an RLock the calling thread does not hold, or a Condition used without holding its lock. */
export class LockNotOwnedError extends PoolkitError {
  override readonly code = 'ERR_LOCK_NOT_OWNED';
}

/** A Barrier was aborted, reset, or a waiter timed out (Python's threading.BrokenBarrierError). */
export class BrokenBarrierError extends PoolkitError {
  override readonly code = 'ERR_BROKEN_BARRIER';
  constructor(message = 'the barrier is broken') {
    super(message);
  }
}

/** `get` found the queue empty (no wait, or the timeout passed): Python's queue.Empty. */
export class QueueEmptyError extends PoolkitError {
  override readonly code = 'ERR_QUEUE_EMPTY';
  constructor(timeoutMs: number | undefined) {
    super(timeoutMs ? `queue stayed empty for ${timeoutMs} ms` : 'queue is empty');
  }
}

/**
 * `put` found a bounded queue full (Python's queue.Full). Extends the Pool's QueueFullError, so one
 * `instanceof QueueFullError` catches both, and keeps its name.
 */
export class QueueFullTimeoutError extends QueueFullError {
  constructor(maxsize: number, timeoutMs: number | undefined) {
    super(maxsize);
    this.name = 'QueueFullError';
    this.message = timeoutMs
      ? `queue stayed full (maxsize = ${maxsize}) for ${timeoutMs} ms`
      : `queue is full (maxsize = ${maxsize})`;
  }
}

/** A queue, pipe or manager used after `close()` / `shutdown()`. */
export class ClosedError extends PoolkitError {
  override readonly code = 'ERR_CLOSED';
}

/** `recv` on a connection whose other end is closed and has nothing left to read (Python's EOFError). */
export class EOFError extends PoolkitError {
  override readonly code = 'ERR_EOF';
  constructor() {
    super('the other end of the pipe is closed and nothing is left to receive');
  }
}

/** `release()` of a BoundedSemaphore above its initial value (Python's ValueError). */
export class SemaphoreOverflowError extends PoolkitError {
  override readonly code = 'ERR_SEMAPHORE_OVERFLOW';
}
