/**
 * The worker's side of progress(value): throttled to one message per PROGRESS_INTERVAL_MS per worker, the latest value
 * kept in between and sent when the task ends, so a task calling it in a tight loop costs a clock read per call.
 */
import { PROGRESS_KEY } from '../progress.js';
import type { WorkerMessage } from '../protocol.js';

export const PROGRESS_INTERVAL_MS = 50;

export interface ProgressReporter {
  /** Task `id` starts; `wanted`: its call listens. */
  begin(id: number, wanted: boolean): void;
  /** The task ended: sends the value held back, if any. */
  end(): void;
}

export function installProgress(post: (m: WorkerMessage) => void): ProgressReporter {
  let id = 0;
  let wanted = false;
  let last = -Infinity;
  let held = false;
  let value: unknown;
  const send = (v: unknown) => {
    try {
      post({ type: 'progress', id, value: v });
    } catch (e) {
      throw new TypeError(`progress value cannot be sent to the host: ${(e as Error).message}`);
    }
  };
  const report = (v: unknown) => {
    if (!wanted) return;
    const now = performance.now();
    if (now - last >= PROGRESS_INTERVAL_MS) {
      last = now;
      held = false;
      value = undefined;
      send(v);
    } else {
      held = true;
      value = v;
    }
  };
  const g = globalThis as Record<PropertyKey, unknown>;
  g[PROGRESS_KEY] = report;
  // Self-contained task functions cannot import; they reach the reporter as poolkit.progress(value).
  if (g.poolkit === undefined) g.poolkit = Object.freeze({ progress: report });
  return {
    begin(taskId, on) {
      id = taskId;
      wanted = on;
    },
    end() {
      if (held) {
        held = false;
        const v = value;
        value = undefined;
        send(v);
      }
      wanted = false;
    },
  };
}
