/**
 * progress(value): how task code reports progress. In a worker the runtime installs the reporter of the task it is
 * running under a global symbol (module tasks that import poolkit get another copy of this module, so a module
 * variable would not be shared); self-contained functions reach the same reporter as `poolkit.progress(value)`.
 */

/** The global key under which a worker's runtime installs its reporter. */
export const PROGRESS_KEY = Symbol.for('poolkit.progress');

/**
 * Reports progress from inside a task: delivered to the `onProgress` option of the call that ran the task, throttled
 * (the latest value at most every 50 ms per worker, plus the last one when the task ends). Never blocks; does nothing
 * when the call has no `onProgress` or outside a worker.
 */
export function progress(value: unknown): void {
  const report = (globalThis as { [PROGRESS_KEY]?: (v: unknown) => void })[PROGRESS_KEY];
  report?.(value);
}
