/**
 * Barrier: Python's multiprocessing.Barrier. `parties` threads call `wait`; the last to arrive runs `action` and
 * releases them all; then it is ready for the next round. A waiter that times out, `abort()`, or an `action` that
 * throws breaks it: every waiter, and every later `wait` until `reset()`, gets BrokenBarrierError.
 *
 * The action crosses threads as its source (as self-contained Pool tasks do) and runs in whichever thread arrives
 * last: it may use only its own variables.
 *
 * Words: [0] guard lock, [1] arrived this round, [2] round (bumped and notified when a round ends), [3] broken,
 * [4] the round that reset() ended (its waiters fail), [5] parties.
 */
import { func, optional, optionsObject, positiveInt } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { Lock } from './lock.js';
import { BrokenBarrierError } from './errors.js';
import { heapInt32 } from './heap.js';
import { beforeBlocking, deadlineOf, waitWord, waitWordAsync } from './wait.js';

const ARRIVED = 1;
const ROUND = 2;
const BROKEN = 3;
const RESET_ROUND = 4;
const PARTIES = 5;

export interface BarrierOptions {
  /** Runs in the last thread to arrive, before the others are released. Self-contained (no captured variables). */
  action?: () => void;
  /** Default timeout of `wait`, in ms. */
  timeout?: number;
}

interface Descriptor {
  state: Int32Array;
  action: string | null;
  timeout: number | undefined;
}

export class Barrier {
  /** @internal */
  readonly state: Int32Array;
  private readonly guard: Lock;
  /** @internal */
  readonly action: (() => void) | undefined;
  /** @internal */
  readonly timeout: number | undefined;

  constructor(parties: number, options?: BarrierOptions, /** @internal */ shared?: Int32Array) {
    if (!shared) positiveInt(parties, 'parties');
    const opts = optionsObject(options, 'options', ['action', 'timeout']);
    const action = optional(opts.action, 'options.action', func<() => void>);
    if (opts.timeout !== undefined) deadlineOf(opts.timeout as number, 'options.timeout');
    this.state = shared ?? heapInt32(6, 'Barrier');
    if (!shared) {
      this.state[PARTIES] = parties;
      this.state[RESET_ROUND] = -1;
    }
    this.guard = new Lock(this.state.subarray(0, 1));
    this.action = action;
    this.timeout = opts.timeout as number | undefined;
    markShareable(this, barrierType);
  }

  get parties(): number {
    return this.state[PARTIES]!;
  }

  /** Threads waiting in the current round. */
  get nWaiting(): number {
    return Atomics.load(this.state, ARRIVED);
  }

  get broken(): boolean {
    return Atomics.load(this.state, BROKEN) === 1;
  }

  /**
   * Waits until `parties` threads have called `wait` this round; returns this thread's arrival index (0 to
   * parties - 1; the last has parties - 1). Throws BrokenBarrierError when the barrier breaks.
   */
  wait(timeoutMs?: number): number {
    const deadline = deadlineOf(timeoutMs ?? this.timeout);
    beforeBlocking('Barrier.wait');
    this.guard.acquire();
    const arrival = this.arrive();
    if (arrival.index === this.parties - 1) return arrival.index;
    while (Atomics.load(this.state, ROUND) === arrival.round && !this.broken) {
      if (!waitWord(this.state, ROUND, arrival.round, deadline)) {
        this.guard.acquire();
        return this.timedOut(arrival.round, arrival.index);
      }
    }
    return this.outcome(arrival.round, arrival.index);
  }

  /** Like `wait`, without blocking the thread. */
  async waitAsync(timeoutMs?: number): Promise<number> {
    const deadline = deadlineOf(timeoutMs ?? this.timeout);
    await this.guard.acquireAsync();
    const arrival = this.arrive();
    if (arrival.index === this.parties - 1) return arrival.index;
    while (Atomics.load(this.state, ROUND) === arrival.round && !this.broken) {
      if (!(await waitWordAsync(this.state, ROUND, arrival.round, deadline))) {
        await this.guard.acquireAsync();
        return this.timedOut(arrival.round, arrival.index);
      }
    }
    return this.outcome(arrival.round, arrival.index);
  }

  /** Breaks the barrier: current and later waiters get BrokenBarrierError until `reset()`. */
  abort(): void {
    this.guard.acquire();
    this.breakLocked();
    this.guard.release();
  }

  /** Back to the initial state; threads waiting now get BrokenBarrierError. */
  reset(): void {
    this.guard.acquire();
    const round = this.state[ROUND]!;
    if (this.state[ARRIVED]! > 0 || this.broken) this.state[RESET_ROUND] = round;
    this.state[ARRIVED] = 0;
    Atomics.store(this.state, BROKEN, 0);
    Atomics.store(this.state, ROUND, round + 1);
    Atomics.notify(this.state, ROUND);
    this.guard.release();
  }

  /** Called holding the guard, which it releases. The last arrival runs the action and ends the round. */
  private arrive(): { round: number; index: number } {
    if (this.broken) {
      this.guard.release();
      throw new BrokenBarrierError();
    }
    const round = this.state[ROUND]!;
    const index = this.state[ARRIVED]!++;
    if (index === this.parties - 1) {
      try {
        this.action?.();
      } catch (e) {
        this.breakLocked();
        this.guard.release();
        throw new BrokenBarrierError(`the barrier's action threw: ${(e as Error)?.message ?? String(e)}`);
      }
      this.state[ARRIVED] = 0;
      Atomics.store(this.state, ROUND, round + 1);
      Atomics.notify(this.state, ROUND);
    }
    this.guard.release();
    return { round, index };
  }

  private timedOut(round: number, index: number): number {
    // Called holding the guard: the round may have ended just as the wait ran out.
    const ended = this.state[ROUND] !== round || this.broken;
    if (!ended) this.breakLocked();
    this.guard.release();
    if (ended) return this.outcome(round, index);
    throw new BrokenBarrierError('timed out waiting at the barrier; it is now broken');
  }

  private outcome(round: number, index: number): number {
    if (Atomics.load(this.state, ROUND) === round)
      throw new BrokenBarrierError(this.broken ? 'the barrier is broken' : undefined);
    if (this.state[RESET_ROUND] === round) throw new BrokenBarrierError('the barrier was reset');
    return index;
  }

  private breakLocked(): void {
    Atomics.store(this.state, BROKEN, 1);
    this.state[ARRIVED] = 0;
    Atomics.notify(this.state, ROUND);
  }
}

export const barrierType = defineShareable<Barrier, Descriptor>({
  tag: 'poolkit.Barrier',
  encode: (b) => ({ state: b.state, action: b.action?.toString() ?? null, timeout: b.timeout }),
  revive: (d) =>
    new Barrier(0, { action: d.action ? reviveFunction(d.action) : undefined, timeout: d.timeout }, d.state),
});

function reviveFunction(source: string): () => void {
  return new Function(`return (${source});`)() as () => void;
}
