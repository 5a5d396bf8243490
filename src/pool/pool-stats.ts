/** What `pool.stats()` reports: counters, utilization, and run-time and wait-time histograms per pool and per worker. */
import { Histogram, type HistogramSummary } from './histogram.js';
import type { WorkerSlot } from './worker-slot.js';

export interface WorkerStats {
  id: number;
  /** Tasks whose result came back from this worker. */
  tasks: number;
  /** Share of its life spent running tasks (0..1). */
  utilization: number;
  runTime: HistogramSummary;
  waitTime: HistogramSummary;
}

export interface SchedulerStats {
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  failed: number;
  /** Workers replaced after dying, a timeout or an abort. */
  respawned: number;
  /** Workers replaced on purpose: maxMemoryPerWorker or recycle(). */
  recycled: number;
  /** Tasks taken back from a busy worker's pipeline and run by an idle one. */
  stolen: number;
  /** Running map chunks whose unstarted items were split off to idle workers. */
  split: number;
  /** Share of the workers' combined life spent running tasks (0..1), over the pool's life. */
  utilization: number;
  /** Per task, as the host sees it: from handed to a worker (or its previous result) to its result, in ms. */
  runTime: HistogramSummary;
  /** Per task: from submitted to handed to a worker, in ms. */
  waitTime: HistogramSummary;
  perWorker: WorkerStats[];
  /** On a remote executor: its worker processes and their threads (`workers` is the process count). */
  remote?: { processes: number; threads: number };
}

type Slot = WorkerSlot;

export class StatsRecorder {
  readonly counters = { completed: 0, failed: 0, respawned: 0, recycled: 0, stolen: 0, split: 0 };
  readonly runTime = new Histogram();
  readonly waitTime = new Histogram();
  /** Life and run time of workers that are gone. */
  private goneLifeMs = 0;
  private goneRunMs = 0;

  /** A task's result came back from `slot` after `runMs`; it waited `waitMs` in the queue. */
  task(slot: Slot, runMs: number, waitMs: number): void {
    slot.runMs += runMs;
    slot.runTime.record(runMs);
    slot.waitTime.record(waitMs);
    this.runTime.record(runMs);
    this.waitTime.record(waitMs);
  }

  gone(slot: Slot): void {
    this.goneLifeMs += performance.now() - slot.createdAt;
    this.goneRunMs += slot.runMs;
  }

  snapshot(slots: readonly Slot[], queued: number): SchedulerStats {
    const now = performance.now();
    const live = slots.filter((s) => s.state === 'live' || s.state === 'retiring');
    let life = this.goneLifeMs;
    let run = this.goneRunMs;
    const perWorker = live.map((s) => {
      const age = now - s.createdAt;
      life += age;
      run += s.runMs;
      const runTime = s.runTime.summary();
      return {
        id: s.id,
        tasks: runTime.count,
        utilization: age > 0 ? Math.min(1, s.runMs / age) : 0,
        runTime,
        waitTime: s.waitTime.summary(),
      };
    });
    return {
      workers: live.length,
      busy: live.filter((s) => s.inflight.length > 0).length,
      queued,
      ...this.counters,
      utilization: life > 0 ? Math.min(1, run / life) : 0,
      runTime: this.runTime.summary(),
      waitTime: this.waitTime.summary(),
      perWorker,
    };
  }
}
