/**
 * The worker-process side of the executor seam: kernel families describe the steps of their remote flows against
 * this context, and the executor's worker runs them (docs/ARCHITECTURE.md, "Distributed").
 */
import type { RemoteTaskDef } from './executor.js';
import type { Pool } from './pool.js';
import type { TaskRef } from './task-ref.js';

export interface RemoteStepContext {
  /** The worker process's local Pool: a step runs its work on this machine's threads. */
  readonly pool: Pool;
  readonly threads: number;
  /** The task as this machine imports it (its module URL rewritten by the worker's module roots). */
  task(def: RemoteTaskDef): TaskRef;
  /**
   * Part `index` of what `compute` returns for `key`, computed once for all parts where it can be: the other parts
   * are kept (in Redis, for a while) for the jobs that ask for them. `compute` must be deterministic: two workers may
   * both run it.
   */
  shared(key: string, index: number, compute: () => Promise<unknown[]>): Promise<unknown>;
}

/** A flow's child step (one split of one partition). */
export type ChildStep = (data: unknown, ctx: RemoteStepContext) => Promise<unknown>;
/** A flow's parent step: runs once every child is done, on their results in the order the children were given. */
export type ParentStep = (data: unknown, children: unknown[], ctx: RemoteStepContext) => Promise<unknown>;

export interface RemoteStepTable {
  readonly children: Readonly<Record<string, ChildStep>>;
  readonly parents: Readonly<Record<string, ParentStep>>;
}
