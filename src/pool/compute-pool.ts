/** The pool kernels run on when the caller passes none: created on first use, grown when more threads are asked for. */
import { Pool } from './pool.js';
import { platform } from '../core/platform.js';

let shared: Pool | undefined;

/** A pool with at least `threads` workers. Its idle workers do not keep a Node process alive. */
export function computePool(threads: number): Pool {
  if (!shared || shared.size < threads) {
    // The smaller pool finishes what it is running, then its workers exit.
    shared?.close();
    shared = new Pool({ workers: Math.max(threads, platform().defaultConcurrency()), name: 'poolkit-compute' });
  }
  return shared;
}
