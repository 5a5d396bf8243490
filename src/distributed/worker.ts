/**
 * A worker process (`poolkit worker`): takes jobs from the queue and runs each on this process's local Pool, so a
 * machine's cores are used. Chunks of Pool calls run their task over the chunk's items; flow steps (map splits and
 * reduce partitions) run the kernel families' remote steps. Errors go back whole (name, message, code, stack).
 */
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Pool } from '../pool/pool.js';
import { builtin, task, type TaskRef } from '../pool/task-ref.js';
import type { ChunkMode, RemoteTaskDef } from '../pool/executor.js';
import type { RemoteStepContext, RemoteStepTable } from '../pool/remote-step.js';
import { PoolkitError } from '../core/errors.js';
import { decode, encode, encodeError } from './codec.js';
import { loadBullmq } from './load.js';
import { moduleResolver } from './module-roots.js';
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerOptions } from './options.js';
import { remoteSteps } from './steps.js';
import { workerName } from './worker-name.js';

/** How long the parts another job will ask for stay in Redis. */
const SHARED_TTL_S = 3600;

export interface RunningWorker {
  readonly options: ResolvedWorkerOptions;
  /** Stops taking jobs, lets the running ones finish (or, with `force`, drops them: they stall and move on). */
  close(force?: boolean): Promise<void>;
}

/**
 * Starts a worker on this process. `defaultThreads` is the local Pool's size when `options.threads` is not given.
 * @throws InvalidArgumentError for bad options; PoolkitError ERR_MISSING_DEPENDENCY without bullmq / ioredis
 */
export async function startWorker(options: WorkerOptions, defaultThreads: number): Promise<RunningWorker> {
  const o = resolveWorkerOptions(options, defaultThreads);
  const { bullmq, Redis } = await loadBullmq();
  const pool = new Pool({ workers: o.threads });
  const redis = new Redis(o.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined); // BullMQ reconnects; a job that cannot reach Redis fails and is retried
  const ctx = stepContext(o, pool, redis);
  const steps = remoteSteps;
  const worker: Worker = new bullmq.Worker(o.queue, (job: Job) => runJob(job, ctx, steps), {
    connection: { url: o.url },
    prefix: o.prefix,
    concurrency: o.concurrency,
    lockDuration: o.lockDuration,
    stalledInterval: o.stalledInterval,
    maxStalledCount: o.maxStalledCount,
    name: workerName(o.threads),
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    options: o,
    close(force = false) {
      closing ??= (async () => {
        await worker.close(force);
        await pool.terminate();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}

async function runJob(job: Job, ctx: RemoteStepContext, steps: RemoteStepTable): Promise<string> {
  try {
    if (job.name === 'chunk') {
      const { task: def, mode, items } = job.data as { task: RemoteTaskDef; mode: ChunkMode; items: string };
      return encode(await runChunk(ctx, ctx.task(def), mode, decode(items) as unknown[]));
    }
    const data = decode((job.data as { d: string }).d);
    const child = steps.children[job.name];
    if (child) return encode(await child(data, ctx));
    const parent = steps.parents[job.name];
    if (parent) return encode(await parent(data, await childValues(job), ctx));
    throw new PoolkitError(`unknown job '${job.name}': is this worker's poolkit older than the host's?`, {
      code: 'ERR_REMOTE_STEP',
    });
  } catch (e) {
    // BullMQ keeps only a message: it carries the whole error, rebuilt on the host.
    throw new Error(encodeError(e));
  }
}

function runChunk(ctx: RemoteStepContext, fn: TaskRef, mode: ChunkMode, items: unknown[]): Promise<unknown> {
  if (mode === 'apply') return ctx.pool.apply(fn, items);
  return mode === 'starmap' ? ctx.pool.starmap(fn, items as unknown[][]) : ctx.pool.map(fn, items);
}

/** The children's results in the order the host gave them (their job ids end with `-c<index>`). */
async function childValues(job: Job): Promise<unknown[]> {
  const values = await job.getChildrenValues<string>();
  const out: unknown[] = [];
  for (const [key, v] of Object.entries(values)) {
    const m = /-c(\d+)$/.exec(key);
    if (m) out[Number(m[1])] = decode(v);
  }
  return out;
}

function stepContext(o: ResolvedWorkerOptions, pool: Pool, redis: Redis): RemoteStepContext {
  const resolve = moduleResolver(o.moduleRoots);
  const computing = new Map<string, Promise<unknown[]>>();
  const keyOf = (key: string) => `${o.prefix}:${o.queue}:poolkit:${key}`;
  return {
    pool,
    threads: o.threads,
    task: (def) => ('builtin' in def ? builtin(def.builtin) : task(resolve(def.url), def.name)),
    async shared(key, index, compute) {
      const stored = await redis.hget(keyOf(key), String(index));
      if (stored !== null) return decode(stored);
      let p = computing.get(key);
      if (!p) {
        p = compute().then(async (parts) => {
          const fields: Record<string, string> = {};
          for (let i = 0; i < parts.length; i++) if (i !== index) fields[i] = encode(parts[i]);
          if (Object.keys(fields).length)
            await redis.multi().hset(keyOf(key), fields).expire(keyOf(key), SHARED_TTL_S).exec();
          return parts;
        });
        computing.set(key, p);
        p.finally(() => computing.delete(key)).catch(() => undefined);
      }
      return (await p)[index];
    },
  };
}
