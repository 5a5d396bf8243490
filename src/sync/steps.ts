/**
 * One algorithm, two ways to wait. The queue, pipe and manager algorithms are generators that yield each wait they
 * need (`[word, index, expected, deadline]`) and get back whether there was time left; `runBlocking` answers with
 * Atomics.wait, `runAsync` with Atomics.waitAsync. So `put` and `putAsync` share every line but the wait.
 */
import { beforeBlocking, waitWord, waitWordAsync, type Deadline } from './wait.js';

export type WaitStep = readonly [word: Int32Array, index: number, expected: number, deadline: Deadline];
export type Steps<T> = Generator<WaitStep, T, boolean>;

/** Runs `steps` on this thread, sleeping in Atomics.wait; `what` names the call in BlockingNotAllowedError. */
export function runBlocking<T>(steps: Steps<T>, what: string): T {
  let r = steps.next(true);
  if (r.done) return r.value;
  beforeBlocking(what);
  for (;;) {
    const [word, index, expected, deadline] = r.value;
    r = steps.next(waitWord(word, index, expected, deadline));
    if (r.done) return r.value;
  }
}

/** Runs `steps` without blocking the thread. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let r = steps.next(true);
  while (!r.done) {
    const [word, index, expected, deadline] = r.value;
    r = steps.next(await waitWordAsync(word, index, expected, deadline));
  }
  return r.value;
}

/** Takes the lock word `state[index]` (Lock's protocol: 0 free, 1 held, 2 held with waiters). False on timeout. */
export function* lockSteps(state: Int32Array, index: number, deadline: Deadline): Steps<boolean> {
  if (Atomics.compareExchange(state, index, 0, 1) === 0) return true;
  for (;;) {
    if (Atomics.exchange(state, index, 2) === 0) return true;
    if (!(yield [state, index, 2, deadline])) return false;
  }
}

export function unlockWord(state: Int32Array, index: number): void {
  if (Atomics.exchange(state, index, 0) === 2) Atomics.notify(state, index, 1);
}
