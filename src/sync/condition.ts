/**
 * Condition: Python's multiprocessing.Condition over a Lock or RLock (default: a new RLock). Waiters sleep on a
 * shared sequence word that `notify` bumps: a waiter reads it before releasing the lock, so a notify between that
 * release and its sleep is not lost (its sleep returns at once). As in Python, a woken waiter rechecks its predicate:
 * `waitFor` does so.
 */
import { intInRange, invalid } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { LockNotOwnedError } from './errors.js';
import type { Held } from './held.js';
import { heapInt32 } from './heap.js';
import { beforeBlocking, deadlineOf, timeLeft, waitWord, waitWordAsync } from './wait.js';

interface Descriptor {
  lock: Lock | RLock;
  seq: Int32Array;
}

export class Condition {
  readonly lock: Lock | RLock;
  /** @internal word 0: bumped by every notify. */
  readonly seq: Int32Array;

  constructor(lock?: Lock | RLock, /** @internal */ seq?: Int32Array) {
    if (lock !== undefined && !(lock instanceof Lock || lock instanceof RLock)) {
      throw invalid('lock', 'a Lock, an RLock or undefined', lock);
    }
    this.lock = lock ?? new RLock();
    this.seq = seq ?? heapInt32(1, 'Condition');
    markShareable(this, conditionType);
  }

  acquire(timeoutMs?: number): boolean {
    return this.lock.acquire(timeoutMs);
  }

  acquireAsync(timeoutMs?: number): Promise<boolean> {
    return this.lock.acquireAsync(timeoutMs);
  }

  release(): void {
    this.lock.release();
  }

  /** `{ using _ = cond.held(); ... }`: Python's `with cond:`, the condition's lock for the scope. */
  held(timeoutMs?: number): Held {
    return this.lock.held(timeoutMs);
  }

  /** The async form of `held`. */
  heldAsync(timeoutMs?: number): Promise<Held> {
    return this.lock.heldAsync(timeoutMs);
  }

  /**
   * Releases the lock, sleeps until notified or `timeoutMs` passes, takes the lock back. Call it holding the lock.
   * Returns false when it timed out.
   */
  wait(timeoutMs?: number): boolean {
    const deadline = deadlineOf(timeoutMs);
    beforeBlocking('Condition.wait');
    const seen = Atomics.load(this.seq, 0);
    const saved = this.releaseLock();
    const woke =
      waitWord(this.seq, 0, seen, deadline) && (Atomics.load(this.seq, 0) !== seen || timeLeft(deadline) > 0);
    this.retake(saved, this.lock.acquire());
    return woke;
  }

  /** Like `wait`, without blocking the thread. */
  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    const seen = Atomics.load(this.seq, 0);
    const saved = this.releaseLock();
    const woke =
      (await waitWordAsync(this.seq, 0, seen, deadline)) &&
      (Atomics.load(this.seq, 0) !== seen || timeLeft(deadline) > 0);
    this.retake(saved, await this.lock.acquireAsync());
    return woke;
  }

  /** Waits until `predicate()` is truthy (checked holding the lock) or `timeoutMs` passes; returns its last value. */
  waitFor<T>(predicate: () => T, timeoutMs?: number): T {
    const deadline = deadlineOf(timeoutMs);
    let r = predicate();
    while (!r) {
      const left = timeLeft(deadline);
      if (left <= 0) break;
      this.wait(left);
      r = predicate();
    }
    return r;
  }

  async waitForAsync<T>(predicate: () => T, timeoutMs?: number): Promise<T> {
    const deadline = deadlineOf(timeoutMs);
    let r = predicate();
    while (!r) {
      const left = timeLeft(deadline);
      if (left <= 0) break;
      await this.waitAsync(left);
      r = predicate();
    }
    return r;
  }

  /** Wakes up to `n` waiters (default 1). Call it holding the lock. */
  notify(n = 1): void {
    intInRange(n, 'n', 0);
    this.checkHeld('notify()');
    Atomics.add(this.seq, 0, 1);
    Atomics.notify(this.seq, 0, n);
  }

  notifyAll(): void {
    this.checkHeld('notifyAll()');
    Atomics.add(this.seq, 0, 1);
    Atomics.notify(this.seq, 0);
  }

  private releaseLock(): number {
    if (this.lock instanceof RLock) return this.lock.releaseAll();
    this.checkHeld('wait()');
    this.lock.release();
    return 1;
  }

  private retake(saved: number, acquired: boolean): void {
    if (this.lock instanceof RLock) this.lock.restore(saved, acquired);
  }

  private checkHeld(what: string): void {
    const held = this.lock instanceof RLock ? this.lock.isOwned() : this.lock.locked();
    if (!held) throw new LockNotOwnedError(`Condition.${what} needs the condition's lock held`);
  }
}

export const conditionType = defineShareable<Condition, Descriptor>({
  tag: 'poolkit.Condition',
  encode: (c) => ({ lock: c.lock, seq: c.seq }),
  revive: (d) => new Condition(d.lock, d.seq),
});
