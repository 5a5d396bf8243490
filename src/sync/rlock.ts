/**
 * RLock: a re-entrant lock with an owner, Python's multiprocessing.RLock. The thread holding it may take it again
 * (each acquire needs its release); releasing it from a thread that does not hold it throws LockNotOwnedError.
 * Owners are thread idents (src/pool/thread-identity.ts), unique across the host and every worker.
 *
 * Words: [0] the lock word (as Lock), [1] the owner's ident (0: none), [2] the recursion count.
 */
import { defineShareable, markShareable } from '../pool/shareable.js';
import { threadIdentity } from '../pool/thread-identity.js';
import { Lock } from './lock.js';
import { LockNotOwnedError } from './errors.js';
import { held, type Held } from './held.js';
import { ownWords } from './heap.js';
import { SyncTimeoutError } from './wait.js';

const OWNER = 1;
const COUNT = 2;

export class RLock {
  /** @internal */
  readonly state: Int32Array;
  private readonly inner: Lock;

  constructor(/** @internal */ shared?: Int32Array) {
    this.state = ownWords(shared, 3, 'RLock');
    this.inner = new Lock(this.state.subarray(0, 1));
    markShareable(this, rlockType);
  }

  /** Takes the lock (again, if this thread holds it), waiting up to `timeoutMs`. False when it timed out. */
  acquire(timeoutMs?: number): boolean {
    const me = threadIdentity().ident;
    if (Atomics.load(this.state, OWNER) === me) {
      this.state[COUNT]!++;
      return true;
    }
    if (!this.inner.acquire(timeoutMs)) return false;
    this.own(me, 1);
    return true;
  }

  /** Like `acquire`, without blocking the thread. */
  async acquireAsync(timeoutMs?: number): Promise<boolean> {
    const me = threadIdentity().ident;
    if (Atomics.load(this.state, OWNER) === me) {
      this.state[COUNT]!++;
      return true;
    }
    if (!(await this.inner.acquireAsync(timeoutMs))) return false;
    this.own(me, 1);
    return true;
  }

  /** Undoes one acquire; the last one frees the lock. Throws LockNotOwnedError from a thread that does not hold it. */
  release(): void {
    this.checkOwned('release()');
    if (--this.state[COUNT]! > 0) return;
    Atomics.store(this.state, OWNER, 0);
    this.inner.release();
  }

  /** True while some thread holds it. */
  locked(): boolean {
    return this.inner.locked();
  }

  /** True when the calling thread holds it. */
  isOwned(): boolean {
    return Atomics.load(this.state, OWNER) === threadIdentity().ident;
  }

  /** `{ using _ = rlock.held(); ... }` releases one level at the end of the scope (see `Lock.held`). */
  held(timeoutMs?: number): Held {
    if (!this.acquire(timeoutMs)) throw new SyncTimeoutError('RLock.acquire', timeoutMs!);
    return held(() => this.release());
  }

  /** The async form of `held`. */
  async heldAsync(timeoutMs?: number): Promise<Held> {
    if (!(await this.acquireAsync(timeoutMs))) throw new SyncTimeoutError('RLock.acquireAsync', timeoutMs!);
    return held(() => this.release());
  }

  /** @internal Frees it completely, returning the recursion count (for Condition.wait). */
  releaseAll(): number {
    this.checkOwned('Condition.wait()');
    const count = this.state[COUNT]!;
    this.state[COUNT] = 0;
    Atomics.store(this.state, OWNER, 0);
    this.inner.release();
    return count;
  }

  /** @internal Takes it back with the count `releaseAll` returned. */
  restore(count: number, acquired: boolean): void {
    if (acquired) this.own(threadIdentity().ident, count);
  }

  /** @internal */
  get lock(): Lock {
    return this.inner;
  }

  private own(ident: number, count: number): void {
    this.state[COUNT] = count;
    Atomics.store(this.state, OWNER, ident);
  }

  private checkOwned(what: string): void {
    if (Atomics.load(this.state, OWNER) !== threadIdentity().ident) {
      throw new LockNotOwnedError(`${what} of an RLock this thread does not hold`);
    }
  }
}

export const rlockType = defineShareable<RLock, Int32Array>({
  tag: 'poolkit.RLock',
  encode: (l) => l.state,
  revive: (state) => new RLock(state),
});
