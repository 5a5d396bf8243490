/**
 * One remote call on the host: its jobs' ids, the results that came back (each index once, whatever BullMQ
 * delivers twice), and an inbox the call's consumer reads in completion order.
 */
import { randomUUID } from 'node:crypto';

export type Outcome = { index: number; value: unknown };

export class RemoteCall {
  /** Job ids are `${id}-${index}` (chunks) or `${id}-p${index}` (flow parents): BullMQ forbids ':' in them. */
  readonly id = randomUUID().replaceAll('-', '');
  /** Jobs added and not yet settled here, by id. */
  readonly outstanding = new Map<string, number>();
  private readonly settled = new Set<number>();
  private readonly inbox: Outcome[] = [];
  private wake: (() => void) | undefined;
  error: Error | undefined;
  /** When a result last arrived (or the call started): the poll looks only at calls quiet for a while. */
  lastProgress = Date.now();
  /** Removes the call's abort listener. */
  detach: (() => void) | undefined;

  constructor(readonly kind: 'chunks' | 'flow') {}

  jobId(index: number): string {
    return this.kind === 'flow' ? `${this.id}-p${index}` : `${this.id}-${index}`;
  }

  /** The index of one of this call's settling jobs, or undefined (a flow's child, or not ours). */
  indexOf(jobId: string): number | undefined {
    return this.outstanding.get(jobId);
  }

  /** A job's result; a second delivery of the same index is ignored (exactly-once in results). False then. */
  succeed(index: number, value: unknown): boolean {
    if (this.settled.has(index) || this.error) return false;
    this.settled.add(index);
    this.outstanding.delete(this.jobId(index));
    this.lastProgress = Date.now();
    this.inbox.push({ index, value });
    this.poke();
    return true;
  }

  fail(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.poke();
  }

  /** Results received so far (drained); when there are none, waits for one, or for a nudge (then none). */
  async next(): Promise<Outcome[]> {
    if (this.inbox.length === 0 && !this.error) await new Promise<void>((r) => (this.wake = r));
    if (this.error) throw this.error;
    return this.inbox.splice(0);
  }

  /** Wakes the consumer without a result, so it checks again whether the call is over. */
  nudge(): void {
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
