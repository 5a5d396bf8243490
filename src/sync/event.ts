/** Event: Python's multiprocessing.Event, a shared flag threads wait on. One word: 0 clear, 1 set. */
import { defineShareable, markShareable } from '../pool/shareable.js';
import { ownWords } from './heap.js';
import { beforeBlocking, deadlineOf, waitWord, waitWordAsync } from './wait.js';

export class Event {
  /** @internal */
  readonly state: Int32Array;

  constructor(/** @internal */ shared?: Int32Array) {
    this.state = ownWords(shared, 1, 'Event');
    markShareable(this, eventType);
  }

  isSet(): boolean {
    return Atomics.load(this.state, 0) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.state, 0, 1);
    Atomics.notify(this.state, 0);
  }

  clear(): void {
    Atomics.store(this.state, 0, 0);
  }

  /** Waits until the flag is set or `timeoutMs` passes; returns the flag. */
  wait(timeoutMs?: number): boolean {
    const deadline = deadlineOf(timeoutMs);
    if (this.isSet()) return true;
    if (timeoutMs !== 0) beforeBlocking('Event.wait');
    while (!this.isSet()) if (!waitWord(this.state, 0, 0, deadline)) break;
    return this.isSet();
  }

  /** Like `wait`, without blocking the thread. */
  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    while (!this.isSet()) if (!(await waitWordAsync(this.state, 0, 0, deadline))) break;
    return this.isSet();
  }
}

export const eventType = defineShareable<Event, Int32Array>({
  tag: 'poolkit.Event',
  encode: (e) => e.state,
  revive: (state) => new Event(state),
});
