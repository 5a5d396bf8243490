/**
 * JoinableQueue: a Queue that counts unfinished items. Every `put` adds one, every `taskDone` removes one, `join`
 * waits until the count is zero (Python's multiprocessing.JoinableQueue).
 */
import { PoolkitError } from '../core/errors.js';
import { defineShareable } from '../pool/shareable.js';
import { USER_WORD } from './byte-channel.js';
import { Queue, queueCodecs, queueDescriptor, queueWords, type QueueDescriptor, type QueueOptions } from './queue.js';
import { runAsync, runBlocking, type Steps } from './steps.js';
import { deadlineOf, SyncTimeoutError, type Deadline } from './wait.js';

export class JoinableQueue<T = unknown> extends Queue<T> {
  constructor(options?: QueueOptions, /** @internal */ shared?: Int32Array) {
    super(options, shared);
  }

  /** Marks one item taken with `get` as processed. Throws when called more times than items were put. */
  taskDone(): void {
    const w = this.channel.words;
    for (;;) {
      const n = Atomics.load(w, USER_WORD);
      if (n <= 0)
        throw new PoolkitError('taskDone() called more times than there were items', { code: 'ERR_TASK_DONE' });
      if (Atomics.compareExchange(w, USER_WORD, n, n - 1) === n) {
        if (n === 1) Atomics.notify(w, USER_WORD);
        return;
      }
    }
  }

  /** Waits until every item put has been marked done (up to `timeoutMs`; then SyncTimeoutError). */
  join(timeoutMs?: number): void {
    if (!runBlocking(this.joinSteps(deadlineOf(timeoutMs)), 'JoinableQueue.join'))
      throw new SyncTimeoutError('JoinableQueue.join', timeoutMs!);
  }

  async joinAsync(timeoutMs?: number): Promise<void> {
    if (!(await runAsync(this.joinSteps(deadlineOf(timeoutMs)))))
      throw new SyncTimeoutError('JoinableQueue.joinAsync', timeoutMs!);
  }

  /** Items put and not yet marked done. */
  unfinished(): number {
    return Atomics.load(this.channel.words, USER_WORD);
  }

  /** @internal Counted before the put, so a consumer's taskDone can never run ahead of it. */
  protected override counted(delta: number): void {
    const w = this.channel.words;
    if (Atomics.add(w, USER_WORD, delta) + delta === 0) Atomics.notify(w, USER_WORD);
  }

  private *joinSteps(deadline: Deadline): Steps<boolean> {
    const w = this.channel.words;
    for (;;) {
      const n = Atomics.load(w, USER_WORD);
      if (n === 0) return true;
      if (!(yield [w, USER_WORD, n, deadline])) return false;
    }
  }
}

export const joinableQueueType = defineShareable<JoinableQueue, QueueDescriptor>({
  tag: 'poolkit.JoinableQueue',
  encode: queueDescriptor,
  revive: (d) => new JoinableQueue(undefined, queueWords(d)),
});
queueCodecs.set(JoinableQueue, joinableQueueType as never);
