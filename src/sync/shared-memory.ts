/** Shared memory for the synchronisation primitives, with the error a page without cross-origin isolation needs. */
import { PoolkitError } from '../core/errors.js';
import { invalid } from '../core/validate.js';

/** Thrown where SharedArrayBuffer is missing: a page served without cross-origin isolation. */
export class SharedMemoryUnavailableError extends PoolkitError {
  override readonly code = 'ERR_NO_SHARED_MEMORY';
  constructor(what: string) {
    super(
      `${what} needs SharedArrayBuffer, which this page does not have: serve it with the headers ` +
        `Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (crossOriginIsolated)`,
    );
  }
}

/** `words` zeroed Int32 words over a new SharedArrayBuffer. */
export function sharedInt32(words: number, what: string): Int32Array {
  if (typeof SharedArrayBuffer !== 'function') throw new SharedMemoryUnavailableError(what);
  return new Int32Array(new SharedArrayBuffer(4 * words));
}

/**
 * The words a primitive revived in another thread was handed (`shared`, at least `words` long), or new ones when
 * there are none. Only revival passes words, so anything else is a caller passing an argument the constructor does
 * not take.
 */
export function ownWords(shared: unknown, words: number, what: string): Int32Array {
  if (shared === undefined) return sharedInt32(words, what);
  if (
    shared instanceof Int32Array &&
    shared.length >= words &&
    typeof SharedArrayBuffer === 'function' &&
    shared.buffer instanceof SharedArrayBuffer
  )
    return shared;
  throw invalid(
    'shared',
    `no argument (${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what} allocates its own shared memory)`,
    shared,
  );
}
