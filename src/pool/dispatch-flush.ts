/**
 * Deferred dispatches, flushable on demand. A Pool sends queued tasks from a microtask, so that a loop of `apply`
 * calls goes out in one message; but a thread that blocks right after submitting (a host's `lock.acquire()`,
 * `queue.get()`) would never reach that microtask, and the worker it waits for would never get its task. Blocking
 * calls run `flushDispatches()` first.
 */
const pending = new Set<() => void>();

/** Runs `fn` in a microtask, or sooner if a blocking call flushes first. */
export function deferDispatch(fn: () => void): void {
  pending.add(fn);
  queueMicrotask(() => {
    if (pending.delete(fn)) fn();
  });
}

/** Runs every deferred dispatch now. */
export function flushDispatches(): void {
  if (pending.size === 0) return;
  const fns = [...pending];
  pending.clear();
  for (const fn of fns) fn();
}
