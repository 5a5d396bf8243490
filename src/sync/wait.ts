/**
 * Waiting on a shared Int32 word, blocking or not, with deadlines. Every primitive of src/sync/ waits through these,
 * so the rules live in one place: a blocking wait first sends the tasks its thread has queued for workers (or it could
 * wait for a worker that never got its task), and is refused with a typed error where the platform forbids it (a
 * browser's main thread) instead of failing deep inside Atomics.
 */
import { PoolkitError } from '../core/errors.js';
import { finiteNumber } from '../core/validate.js';
import { flushDispatches } from '../pool/dispatch-flush.js';

/** A blocking call on a thread that may not block: a browser's main thread. */
export class BlockingNotAllowedError extends PoolkitError {
  override readonly code = 'ERR_BLOCKING_NOT_ALLOWED';
  constructor(what: string) {
    super(
      `${what} blocks the thread, which this thread may not do (a browser's main thread): use the async form (…Async)`,
    );
  }
}

/** A point in `performance.now()` time, Infinity for none. */
export type Deadline = number;

/** `timeoutMs` (undefined or Infinity: forever) as a deadline; `argument` names it in the error. */
export function deadlineOf(timeoutMs: number | undefined, argument = 'timeoutMs'): Deadline {
  if (timeoutMs === undefined || timeoutMs === Infinity) return Infinity;
  return performance.now() + finiteNumber(timeoutMs, argument, 0);
}

/** Milliseconds left before `deadline` (Infinity for none), never negative. */
export function timeLeft(deadline: Deadline): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

let mayBlock: boolean | undefined;

/** Throws BlockingNotAllowedError where Atomics.wait is forbidden; sends this thread's queued tasks first. */
export function beforeBlocking(what: string): void {
  if (mayBlock === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1);
      mayBlock = true;
    } catch {
      mayBlock = false;
    }
  }
  if (!mayBlock) throw new BlockingNotAllowedError(what);
  flushDispatches();
}

/** Sleeps while `word[index] === expected`, until notified or `deadline`. False when the deadline passed. */
export function waitWord(word: Int32Array, index: number, expected: number, deadline: Deadline): boolean {
  const left = timeLeft(deadline);
  if (left <= 0) return false;
  Atomics.wait(word, index, expected, left === Infinity ? undefined : left);
  return true;
}

/** Like `waitWord`, without blocking the thread. */
export async function waitWordAsync(
  word: Int32Array,
  index: number,
  expected: number,
  deadline: Deadline,
): Promise<boolean> {
  const left = timeLeft(deadline);
  if (left <= 0) return false;
  const w = Atomics.waitAsync(word, index, expected, left === Infinity ? undefined : left);
  if (w.async) await w.value;
  return true;
}

/** The typed error of a wait that ran out of time. */
export class SyncTimeoutError extends PoolkitError {
  override readonly code = 'ERR_SYNC_TIMEOUT';
  constructor(
    what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} timed out after ${timeoutMs} ms`);
  }
}
