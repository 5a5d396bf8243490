/**
 * Work stealing, the host's half: fence a worker (it claims nothing more, protocol.ts STATUS_CLAIMED) and take back
 * the tasks it had been sent but not claimed. The worker skips those when it reaches them; the next run message tells
 * it where to resume.
 */
import type { WorkerSlot } from './worker-slot.js';

interface Stealable {
  readonly id: number;
  readonly pipelined: boolean;
  readonly transfer: readonly unknown[] | undefined;
  seq: number;
  slot: unknown;
}

/** The unstarted tasks of `victim`, in order, removed from its pipeline; empty if it cannot be fenced now. */
export function takeBack<R extends Stealable>(victim: WorkerSlot<R>): R[] {
  // A task whose buffers were transferred to the worker cannot be sent again.
  for (let i = 0; i < victim.inflight.length; i++) if (victim.inflight.at(i)!.transfer) return [];
  const last = victim.fence();
  if (last === undefined) return [];
  const keep: R[] = [];
  const taken: R[] = [];
  for (const r of victim.inflight.clear()) (r.seq > last ? taken : keep).push(r);
  for (const r of keep) victim.inflight.push(r);
  // Even when nothing was left to take, the fence stays until a run message lifts it.
  victim.resumeAt = victim.seq;
  victim.sent -= taken.length;
  for (const r of taken) r.slot = null;
  return taken;
}

/** When a live, ready worker has nothing to do: the unstarted tasks of the worker with the longest pipeline. */
export function stealForIdle<R extends Stealable>(slots: readonly WorkerSlot<R>[]): R[] {
  if (!slots.some((s) => s.state === 'live' && s.ready && s.inflight.length === 0)) return [];
  let victim: WorkerSlot<R> | undefined;
  for (const s of slots)
    if (s.inflight.length > 1 && (!victim || s.inflight.length > victim.inflight.length)) victim = s;
  return victim ? takeBack(victim) : [];
}
