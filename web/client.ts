/**
 * The page's side of the job worker: one job at a time, with a cancel that always returns within 200 ms. Cancel
 * aborts the job's AbortSignal in the worker; should the worker not answer in time, it is replaced.
 */
import type { FromWorker, Job } from './protocol.js';

const CANCEL_GRACE_MS = 150;

export type Listener = (m: FromWorker) => void;

export class JobClient {
  private worker: Worker | null = null;
  private id = 0;
  private active: { id: number; listener: Listener; settle: (how: 'done' | 'cancelled' | 'error') => void } | null =
    null;

  private spawn(): Worker {
    const w = new Worker(new URL('./job-worker.js', import.meta.url), { type: 'module', name: 'poolkit-jobs' });
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const a = this.active;
      if (!a || e.data.id !== a.id) return;
      a.listener(e.data);
      if (e.data.type === 'done' || e.data.type === 'cancelled' || e.data.type === 'error') a.settle(e.data.type);
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.active?.listener({
        type: 'error',
        id: this.active.id,
        message: `the job worker failed: ${e.message || 'it could not start'}`,
      });
      this.active?.settle('error');
    };
    return w;
  }

  get busy(): boolean {
    return this.active !== null;
  }

  /** Runs a job; `listener` sees every message; resolves when it finishes, fails or is cancelled. */
  run(job: Job, listener: Listener): Promise<'done' | 'cancelled' | 'error'> {
    if (this.active) throw new Error('a job is already running');
    this.worker ??= this.spawn();
    const id = ++this.id;
    return new Promise((resolve) => {
      this.active = {
        id,
        listener,
        settle: (how) => {
          this.active = null;
          resolve(how);
        },
      };
      this.worker!.postMessage({ type: 'run', id, job });
    });
  }

  /** Cancels the running job; resolves once it has stopped (at most about 150 ms). */
  async cancel(): Promise<void> {
    const a = this.active;
    if (!a || !this.worker) return;
    this.worker.postMessage({ type: 'cancel', id: a.id });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (this.active === a) {
          // The worker did not stop in time (a long synchronous step): replace it.
          this.worker?.terminate();
          this.worker = null;
          a.listener({ type: 'cancelled', id: a.id });
          a.settle('cancelled');
        }
        resolve();
      }, CANCEL_GRACE_MS);
      const prev = a.settle;
      a.settle = (how) => {
        clearTimeout(timer);
        prev(how);
        resolve();
      };
    });
  }
}
