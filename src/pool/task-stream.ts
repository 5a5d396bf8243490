/**
 * The consumer's side of a streaming task (`pool.stream`): an async iterator over the values a generator running in a
 * worker yields. Credit-based flow control: the worker may run at most `highWaterMark` values ahead of what the
 * consumer has taken, so a huge producer and a slow consumer keep memory flat. Breaking out of the loop or aborting
 * asks the worker to call the generator's return() (its `finally` runs); a worker that does not end the task within
 * STOP_GRACE_MS is stopped.
 */
import { createRecord, type StreamSink, type TaskRecord } from './task-record.js';
import { Deque } from './deque.js';
import { Mode } from './protocol.js';
import { abortError } from '../core/errors.js';
import type { Payload } from './payload.js';
import type { ResolvedTask } from './task-ref.js';
import type { Scheduler } from './scheduler.js';

const STOP_GRACE_MS = 1000;

export interface TaskStreamOptions {
  highWaterMark: number;
  signal: AbortSignal | undefined;
  onProgress: ((value: unknown) => void) | undefined;
}

export class TaskStream<T = unknown> implements AsyncIterableIterator<T>, StreamSink {
  private readonly buffer = new Deque<unknown>();
  private readonly rec: TaskRecord;
  private taken = 0;
  /** Credit already sent: taken + highWaterMark at the last grant. */
  private grantedUpTo: number;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  private settled!: Promise<void>;
  private readonly onAbort = () => this.abort();

  constructor(
    private readonly sched: Scheduler,
    task: ResolvedTask,
    payload: Payload,
    private readonly o: TaskStreamOptions,
  ) {
    this.grantedUpTo = o.highWaterMark;
    let done!: () => void;
    this.settled = new Promise<void>((resolve) => (done = resolve));
    this.rec = createRecord(
      task,
      Mode.Stream,
      payload,
      false,
      (err) => {
        this.ended = true;
        if (err && !this.failure && !this.stopping) this.failure = err;
        o.signal?.removeEventListener('abort', this.onAbort);
        done();
        this.notify();
      },
      { stream: this, onProgress: o.onProgress },
    );
    if (o.signal?.aborted) {
      this.failure = abortError(o.signal);
      this.ended = true;
      done();
      return;
    }
    o.signal?.addEventListener('abort', this.onAbort, { once: true });
    sched.submit(this.rec);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** @internal the worker's values */
  push(values: unknown[]): void {
    if (this.stopping) return;
    for (const v of values) this.buffer.push(v);
    this.notify();
  }

  /** @internal */
  granted(): number {
    return this.grantedUpTo;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      // A task's error comes after the values it yielded before it (they may arrive together); an abort at once.
      if (this.failure && (!this.buffer.length || this.stopping)) {
        const err = this.failure;
        this.failure = undefined;
        this.ended = true;
        // An abort rejects at once; the generator's return() runs in the worker meanwhile.
        void this.stop();
        throw err;
      }
      if (this.buffer.length) {
        const value = this.buffer.shift() as T;
        this.taken++;
        // Credit goes back in batches of half the window, so the worker seldom waits and messages stay few.
        const hwm = this.o.highWaterMark;
        if (!this.ended && !this.stopping && this.taken + hwm - this.grantedUpTo >= Math.max(1, hwm >> 1)) {
          this.grantedUpTo = this.taken + hwm;
          this.sched.control(this.rec, { type: 'credit', id: this.rec.id, upTo: this.grantedUpTo });
        }
        return { value, done: false };
      }
      if (this.ended || this.stopping) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Breaking out of `for await`: stops the generator (its `finally` runs) and resolves once the task has ended. */
  async return(): Promise<IteratorResult<T>> {
    await this.stop();
    return { value: undefined, done: true };
  }

  private abort(): void {
    if (this.ended) return;
    this.failure = abortError(this.o.signal);
    this.notify();
    void this.stop();
  }

  private stop(): Promise<void> {
    if (!this.stopping) {
      this.buffer.clear();
      this.o.signal?.removeEventListener('abort', this.onAbort);
      const rec = this.rec;
      if (rec.done || this.ended) this.stopping = Promise.resolve();
      else if (!rec.slot) {
        // Still queued: it never starts.
        this.sched.drop(rec);
        this.stopping = Promise.resolve();
      } else {
        this.sched.control(rec, { type: 'cancel', id: rec.id });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.sched.cancel([rec], abortError(undefined));
            resolve();
          }, STOP_GRACE_MS);
        });
        this.stopping = Promise.race([this.settled, late]).finally(() => clearTimeout(timer));
      }
    }
    return this.stopping;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
