/// <reference lib="esnext.disposable" preserve="true" />
/**
 * What `held()` returns: Python's `with lock:` as `using _ = lock.held()`. The design keeps the lock itself plain
 * (a Lock is not disposable: disposing it could only mean releasing it, which a scope that never took it would do)
 * and makes each acquisition its own Disposable, released once: an early `release()` followed by the scope's end
 * releases nothing twice.
 */

/**
 * `Symbol.dispose`, or the key Node used for it before the symbol was standard, on engines without it; `using`
 * (TypeScript's downlevel helper, or the engine's own) looks the method up under `Symbol.dispose`.
 */
export const disposeKey: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for('nodejs.dispose') as typeof Symbol.dispose);

/** One acquisition of a lock or permit: `release()` (or disposal) gives it back, once. */
export interface Held extends Disposable {
  /** Gives the acquisition back now; later calls, and disposal after it, do nothing. */
  release(): void;
}

/** A Held that calls `release` the first time it is released or disposed. */
export function held(release: () => void): Held {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    release();
  };
  return { release: once, [disposeKey]: once } as Held;
}
