/** What comes back from a worker, made ready for the caller: revived values, rebuilt errors, progress delivered. */
import { reviveShareables } from './shareable.js';
import { NotSelfContainedError, deserializeError, type SerializedError } from '../core/errors.js';
import type { TaskRecord } from './task-record.js';

/** A result's value with its shareable envelopes revived (when `encoded` is given), or the failure to revive it. */
export function revived(encoded: unknown, value: unknown): [Error | null, unknown] {
  if (encoded === undefined) return [null, value];
  try {
    return [null, reviveShareables(encoded)];
  } catch (e) {
    return [e as Error, undefined];
  }
}

/** The task's error as the caller sees it: a ReferenceError in a self-contained function says why. */
export function remoteError(rec: TaskRecord, s: SerializedError): Error {
  const err = deserializeError(s);
  if (rec.task.isSource && s.name === 'ReferenceError') {
    const e = new NotSelfContainedError(
      `task functions must be self-contained: ${s.message} in the worker. A function sent to a worker cannot use variables ` +
        `from its enclosing scope (closures, imports); pass values as arguments, or use task(url, name) for module code`,
      { cause: err },
    );
    if (s.stack) e.stack = `${e.name}: ${e.message}\n${s.stack.split('\n').slice(1).join('\n')}`;
    return e;
  }
  return err;
}

export function deliverProgress(rec: TaskRecord, value: unknown): void {
  try {
    rec.onProgress?.(value);
  } catch (e) {
    // The caller's callback failed: report it as an uncaught error, as an event listener's would be.
    queueMicrotask(() => {
      throw e;
    });
  }
}
