/** AsyncResult: Python's AsyncResult for applyAsync / mapAsync / starmapAsync. */
import { PoolkitError, ResultTimeoutError } from '../core/errors.js';
import { finiteNumber } from '../core/validate.js';

export class AsyncResult<R> {
  private state: 'pending' | 'ok' | 'failed' = 'pending';
  private readonly promise: Promise<R>;

  /** @internal */
  constructor(promise: Promise<R>, callback?: (value: R) => void, errorCallback?: (error: Error) => void) {
    this.promise = promise.then(
      (v) => {
        this.state = 'ok';
        callback?.(v);
        return v;
      },
      (e: Error) => {
        this.state = 'failed';
        errorCallback?.(e);
        throw e;
      },
    );
    // Errors are reported through get(); an AsyncResult nobody reads must not crash the process.
    this.promise.catch(() => {});
  }

  /** The result; rejects with the task's error, or with ResultTimeoutError if not ready within `timeoutMs`. */
  get(timeoutMs?: number): Promise<R> {
    if (timeoutMs === undefined) return this.promise;
    try {
      finiteNumber(timeoutMs, 'timeoutMs', 0);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<R>((resolve, reject) => {
      const t = setTimeout(() => reject(new ResultTimeoutError(`result not ready within ${timeoutMs} ms`)), timeoutMs);
      this.promise.then(resolve, reject).finally(() => clearTimeout(t));
    });
  }

  /** Waits until the result is ready, or `timeoutMs` passes; never rejects. */
  wait(timeoutMs?: number): Promise<void> {
    return this.get(timeoutMs).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Whether the call has completed. */
  ready(): boolean {
    return this.state !== 'pending';
  }

  /** Whether the call completed without error; throws if it is not ready yet (as Python does). */
  successful(): boolean {
    if (this.state === 'pending')
      throw new PoolkitError('AsyncResult is not ready: call successful() after ready() is true', {
        code: 'ERR_RESULT_NOT_READY',
      });
    return this.state === 'ok';
  }
}
