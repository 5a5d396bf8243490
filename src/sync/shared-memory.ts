/** Shared memory for the synchronisation primitives, with the error a page without cross-origin isolation needs. */
import { PoolkitError } from '../core/errors.js';

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
