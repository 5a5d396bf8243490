/// <reference lib="esnext.disposable" preserve="true" />
/**
 * Lock: Python's multiprocessing.Lock on one shared Int32 word. 0 is free, 1 held, 2 held with waiters (so release
 * notifies only when someone waits). Any thread may release it, as in Python; `RLock` is the owner-checked kind.
 *
 * The blocking `acquire` uses Atomics.wait (workers, and Node's main thread); `acquireAsync` uses Atomics.waitAsync
 * and works everywhere, a browser's main thread included.
 *
 * A thread that dies holding a Lock does not release it (as in Python): the word stays held, and other threads
 * waiting on it wait until their timeout. Use timeouts where a holder may die.
 */
import { PoolkitError } from '../core/errors.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { held, type Held } from './held.js';
import { ownWords } from './heap.js';
import { beforeBlocking, deadlineOf, SyncTimeoutError, waitWord, waitWordAsync } from './wait.js';

const FREE = 0;
const HELD = 1;
const CONTENDED = 2;

export class Lock {
  /** @internal */
  readonly state: Int32Array;

  constructor(/** @internal */ shared?: Int32Array) {
    this.state = ownWords(shared, 1, 'Lock');
    markShareable(this, lockType);
  }

  /**
   * Takes the lock, waiting up to `timeoutMs` (default: forever; 0: do not wait). Returns false when it timed out.
   * Blocks the thread: use `acquireAsync` on a browser's main thread.
   */
  acquire(timeoutMs?: number): boolean {
    const deadline = deadlineOf(timeoutMs);
    if (Atomics.compareExchange(this.state, 0, FREE, HELD) === FREE) return true;
    if (timeoutMs !== 0) beforeBlocking('Lock.acquire');
    for (;;) {
      // Announce a waiter, then sleep while the word says held-with-waiters.
      if (Atomics.exchange(this.state, 0, CONTENDED) === FREE) return true;
      if (!waitWord(this.state, 0, CONTENDED, deadline)) return false;
    }
  }

  /** Like `acquire`, without blocking the thread. */
  async acquireAsync(timeoutMs?: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    if (Atomics.compareExchange(this.state, 0, FREE, HELD) === FREE) return true;
    for (;;) {
      if (Atomics.exchange(this.state, 0, CONTENDED) === FREE) return true;
      if (!(await waitWordAsync(this.state, 0, CONTENDED, deadline))) return false;
    }
  }

  /** Frees the lock. Throws when it is not held. */
  release(): void {
    const prev = Atomics.exchange(this.state, 0, FREE);
    if (prev === FREE) throw new PoolkitError('release() of a Lock that is not held', { code: 'ERR_LOCK_NOT_HELD' });
    if (prev === CONTENDED) Atomics.notify(this.state, 0, 1);
  }

  /** True while some thread holds it. */
  locked(): boolean {
    return Atomics.load(this.state, 0) !== FREE;
  }

  /**
   * Takes the lock (waiting up to `timeoutMs`, else SyncTimeoutError) and returns the acquisition, which `using`
   * releases at the end of the scope: `{ using _ = lock.held(); ... }`, Python's `with lock:`. Releases once, even if
   * `release()` was called on it first.
   */
  held(timeoutMs?: number): Held {
    if (!this.acquire(timeoutMs)) throw new SyncTimeoutError('Lock.acquire', timeoutMs!);
    return held(() => this.release());
  }

  /** `using _ = await lock.heldAsync()`: the async form of `held`, for a browser's main thread. */
  async heldAsync(timeoutMs?: number): Promise<Held> {
    if (!(await this.acquireAsync(timeoutMs))) throw new SyncTimeoutError('Lock.acquireAsync', timeoutMs!);
    return held(() => this.release());
  }
}

export const lockType = defineShareable<Lock, Int32Array>({
  tag: 'poolkit.Lock',
  encode: (lock) => lock.state,
  revive: (state) => new Lock(state),
});
