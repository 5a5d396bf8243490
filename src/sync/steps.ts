/**
 * One algorithm, two ways to wait. The queue, pipe and manager algorithms are generators that yield each wait they
 * need (`[word, index, expected, deadline, sleepers?]`) and get back whether there was time left; `runBlocking`
 * answers with Atomics.wait, `runAsync` with Atomics.waitAsync. So `put` and `putAsync` share every line but the wait.
 *
 * A step may name a `sleepers` word (in the same array): the runner counts itself there while it sleeps, so the
 * other side can skip Atomics.notify when nobody sleeps (`notifySleepers`). A notify costs about as much as a small
 * message; most of the time the other side is awake.
 */
import { beforeBlocking, waitWord, waitWordAsync, type Deadline } from './wait.js';

export type WaitStep = readonly [
  word: Int32Array,
  index: number,
  expected: number,
  deadline: Deadline,
  sleepers?: number,
];
export type Steps<T> = Generator<WaitStep, T, boolean>;

/**
 * How long a blocking runner polls the word before it sleeps, adapted per thread. A peer running on another core
 * answers within microseconds, far sooner than a futex sleep and wake-up, so a poll that paid off doubles the next
 * one (up to SPIN_MAX_MS); but a peer waiting for this thread's core (more runnable threads than cores) cannot answer
 * until this thread sleeps, so a poll that ran out halves it (down to SPIN_MIN_MS). Halving alone can get stuck low
 * on an idle machine too: once both sides sleep, each answers late because it was asleep, and every short poll fails.
 * So every PROBE_EVERY-th wait polls for SPIN_MAX_MS whatever the current time: when that pays off, polling is worth
 * it again and the time goes back to the maximum.
 */
const SPIN_MAX_MS = 0.05;
const SPIN_MIN_MS = 0.002;
const PROBE_EVERY = 64;
let spinMs = SPIN_MAX_MS;
let waits = 0;

/** Runs `steps` on this thread, sleeping in Atomics.wait; `what` names the call in BlockingNotAllowedError. */
export function runBlocking<T>(steps: Steps<T>, what: string): T {
  let r = steps.next(true);
  if (r.done) return r.value;
  beforeBlocking(what);
  for (;;) {
    const [word, index, expected, deadline, sleepers] = r.value;
    let ok: boolean;
    const limit = ++waits % PROBE_EVERY === 0 ? SPIN_MAX_MS : spinMs;
    if (spin(word, index, expected, Math.min(performance.now() + limit, deadline))) {
      spinMs = Math.min(SPIN_MAX_MS, limit * 2);
      ok = true;
    } else {
      spinMs = Math.max(SPIN_MIN_MS, spinMs / 2);
      if (sleepers === undefined) ok = waitWord(word, index, expected, deadline);
      else {
        Atomics.add(word, sleepers, 1);
        ok = waitWord(word, index, expected, deadline);
        Atomics.sub(word, sleepers, 1);
      }
    }
    r = steps.next(ok);
    if (r.done) return r.value;
  }
}

/** Runs `steps` without blocking the thread. */
export function runAsync<T>(steps: Steps<T>): Promise<T> {
  return continueAsync(steps, steps.next(true));
}

/**
 * Runs `steps` without blocking the thread, synchronously while they need no wait: the value itself when they
 * finished without one, else a promise. Saves the promise turns of `runAsync` where waits are rare (the manager's
 * serving loop).
 */
export function runSoon<T>(steps: Steps<T>): T | Promise<T> {
  const r = steps.next(true);
  return r.done ? r.value : continueAsync(steps, r);
}

async function continueAsync<T>(steps: Steps<T>, first: IteratorResult<WaitStep, T>): Promise<T> {
  let r = first;
  while (!r.done) {
    const [word, index, expected, deadline, sleepers] = r.value;
    if (sleepers !== undefined) Atomics.add(word, sleepers, 1);
    const ok = await waitWordAsync(word, index, expected, deadline);
    if (sleepers !== undefined) Atomics.sub(word, sleepers, 1);
    r = steps.next(ok);
  }
  return r.value;
}

/** Polls until `word[index]` leaves `expected` (true) or `until` passes (false). */
function spin(word: Int32Array, index: number, expected: number, until: number): boolean {
  for (;;) {
    for (let i = 0; i < 64; i++) if (Atomics.load(word, index) !== expected) return true;
    if (performance.now() >= until) return false;
  }
}

/**
 * Wakes up to `count` threads sleeping on `word[index]`, if any step that names `sleepers` sleeps now. Called after
 * the store the sleepers wait for: with sequentially consistent atomics, a sleeper not counted yet will see that
 * store when it goes to sleep and not sleep.
 */
export function notifySleepers(word: Int32Array, index: number, sleepers: number, count?: number): void {
  if (Atomics.load(word, sleepers) > 0) Atomics.notify(word, index, count);
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
