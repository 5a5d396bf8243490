/**
 * Semaphore and BoundedSemaphore: Python's counters of free permits, on shared words. [0] the permits left, [1] the
 * number of sleepers (release notifies only when someone sleeps), [2] the bound (-1: none).
 */
import { intInRange, positiveInt } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { SemaphoreOverflowError } from './errors.js';
import { held, type Held } from './held.js';
import { heapInt32 } from './heap.js';
import { beforeBlocking, deadlineOf, SyncTimeoutError, waitWord, waitWordAsync } from './wait.js';

const VALUE = 0;
const SLEEPERS = 1;
const BOUND = 2;

export class Semaphore {
  /** @internal */
  readonly state: Int32Array;

  /** `value` permits (default 1). */
  constructor(value: number = 1, /** @internal */ shared?: Int32Array) {
    if (shared) this.state = shared;
    else {
      intInRange(value, 'value', 0, 0x7fffffff, 'a 32-bit count');
      this.state = heapInt32(3, new.target.name);
      this.state[VALUE] = value;
      this.state[BOUND] = -1;
    }
    markShareable(this, new.target === BoundedSemaphore ? boundedType : semaphoreType);
  }

  /** Takes a permit, waiting up to `timeoutMs` for one (default forever). False when it timed out. */
  acquire(timeoutMs?: number): boolean {
    const deadline = deadlineOf(timeoutMs);
    if (this.tryTake()) return true;
    if (timeoutMs !== 0) beforeBlocking('Semaphore.acquire');
    for (;;) {
      Atomics.add(this.state, SLEEPERS, 1);
      if (this.tryTake()) {
        Atomics.sub(this.state, SLEEPERS, 1);
        return true;
      }
      const ok = waitWord(this.state, VALUE, 0, deadline);
      Atomics.sub(this.state, SLEEPERS, 1);
      if (this.tryTake()) return true;
      if (!ok) return false;
    }
  }

  /** Like `acquire`, without blocking the thread. */
  async acquireAsync(timeoutMs?: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      if (this.tryTake()) return true;
      Atomics.add(this.state, SLEEPERS, 1);
      const ok = await waitWordAsync(this.state, VALUE, 0, deadline);
      Atomics.sub(this.state, SLEEPERS, 1);
      if (!ok) return this.tryTake();
    }
  }

  /** Returns `n` permits (default 1), waking as many sleepers. */
  release(n = 1): void {
    positiveInt(n, 'n');
    const bound = this.state[BOUND]!;
    if (bound >= 0) {
      for (;;) {
        const v = Atomics.load(this.state, VALUE);
        if (v + n > bound)
          throw new SemaphoreOverflowError(`BoundedSemaphore released too many times (bound ${bound})`);
        if (Atomics.compareExchange(this.state, VALUE, v, v + n) === v) break;
      }
    } else Atomics.add(this.state, VALUE, n);
    if (Atomics.load(this.state, SLEEPERS) > 0) Atomics.notify(this.state, VALUE, n);
  }

  /** Permits free now (a snapshot). */
  getValue(): number {
    return Atomics.load(this.state, VALUE);
  }

  /** `{ using _ = sem.held(); ... }` gives the permit back at the end of the scope (see `Lock.held`). */
  held(timeoutMs?: number): Held {
    if (!this.acquire(timeoutMs)) throw new SyncTimeoutError('Semaphore.acquire', timeoutMs!);
    return held(() => this.release());
  }

  /** The async form of `held`. */
  async heldAsync(timeoutMs?: number): Promise<Held> {
    if (!(await this.acquireAsync(timeoutMs))) throw new SyncTimeoutError('Semaphore.acquireAsync', timeoutMs!);
    return held(() => this.release());
  }

  private tryTake(): boolean {
    for (;;) {
      const v = Atomics.load(this.state, VALUE);
      if (v <= 0) return false;
      if (Atomics.compareExchange(this.state, VALUE, v, v - 1) === v) return true;
    }
  }
}

/** A Semaphore whose `release` throws SemaphoreOverflowError above the initial value. */
export class BoundedSemaphore extends Semaphore {
  constructor(value: number = 1, /** @internal */ shared?: Int32Array) {
    super(value, shared);
    if (!shared) this.state[BOUND] = value;
  }
}

export const semaphoreType = defineShareable<Semaphore, Int32Array>({
  tag: 'poolkit.Semaphore',
  encode: (s) => s.state,
  revive: (state) => new Semaphore(0, state),
});

export const boundedType = defineShareable<BoundedSemaphore, Int32Array>({
  tag: 'poolkit.BoundedSemaphore',
  encode: (s) => s.state,
  revive: (state) => new BoundedSemaphore(0, state),
});
