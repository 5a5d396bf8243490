/** Options of `bullmq(...)` (the host side) and of a worker process, validated once. */
import { invalid, optional, optionsObject, positiveInt, string } from '../core/validate.js';

/** Options of `bullmq(options)`: where the queue lives and how its jobs are retried. */
export interface BullmqOptions {
  /** The Redis server, as a URL: `redis://host:6379` (`rediss://` for TLS; user and password in the URL). */
  connection: string;
  /** The queue name; workers started with the same `--queue` run its jobs. */
  queue: string;
  /** Runs of a job whose task throws before the call rejects with that error (default 3). */
  attempts?: number;
  /** Delay before the first retry, in ms, doubling after each (default 200). */
  backoff?: number;
  /** Redis unreachable this long (ms) fails the running calls with RemoteConnectionError (default 10 000). */
  timeout?: number;
  /** Seconds finished jobs and their results stay in Redis (default 3600). */
  keepResults?: number;
  /** BullMQ's key prefix (default 'bull'). */
  prefix?: string;
}

export interface ResolvedBullmqOptions {
  url: string;
  queue: string;
  attempts: number;
  backoff: number;
  timeout: number;
  keepResults: number;
  prefix: string;
}

const KEYS = ['connection', 'queue', 'attempts', 'backoff', 'timeout', 'keepResults', 'prefix'] as const;

export function resolveBullmqOptions(options: unknown): ResolvedBullmqOptions {
  const o = optionsObject(options, 'options', KEYS, true);
  return {
    url: redisUrl(o.connection, 'options.connection'),
    queue: queueName(o.queue, 'options.queue'),
    attempts: optional(o.attempts, 'options.attempts', positiveInt) ?? 3,
    backoff: optional(o.backoff, 'options.backoff', positiveInt) ?? 200,
    timeout: optional(o.timeout, 'options.timeout', positiveInt) ?? 10_000,
    keepResults: optional(o.keepResults, 'options.keepResults', positiveInt) ?? 3600,
    prefix: optional(o.prefix, 'options.prefix', queueName) ?? 'bull',
  };
}

export function redisUrl(value: unknown, path: string): string {
  const s = string(value, path);
  let url: URL | undefined;
  try {
    url = new URL(s);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:'))
    throw invalid(path, 'a Redis URL such as redis://127.0.0.1:6379', value);
  return s;
}

/** BullMQ builds Redis keys from queue names with ':' separators, so a name may not contain one. */
export function queueName(value: unknown, path: string): string {
  const s = string(value, path);
  if (s.includes(':')) throw invalid(path, "a name without ':'", value);
  return s;
}

/** Options of a worker process (`poolkit worker`, or `startWorker` in code). */
export interface WorkerOptions {
  connection: string;
  queue: string;
  /** Jobs run at once by this process (default: threads). */
  concurrency?: number;
  /** Threads of the process's local Pool (default: available parallelism). */
  threads?: number;
  /** Module URL prefixes rewritten before a task's module is imported: [[from, to], ...] (docs/distributed.md). */
  moduleRoots?: Array<[string, string]>;
  /** A job's lock lasts this long (ms) unless renewed; a dead worker's job is taken back after it (default 30 000). */
  lockDuration?: number;
  /** How often (ms) this worker looks for jobs whose lock expired (default 30 000 / 2). */
  stalledInterval?: number;
  /** Times a job may be taken back from dead workers before it fails (default 3). */
  maxStalledCount?: number;
  prefix?: string;
}

export interface ResolvedWorkerOptions {
  url: string;
  queue: string;
  concurrency: number;
  threads: number;
  moduleRoots: Array<[string, string]>;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  prefix: string;
}

const WORKER_KEYS = [
  'connection',
  'queue',
  'concurrency',
  'threads',
  'moduleRoots',
  'lockDuration',
  'stalledInterval',
  'maxStalledCount',
  'prefix',
] as const;

export function resolveWorkerOptions(options: unknown, defaultThreads: number): ResolvedWorkerOptions {
  const o = optionsObject(options, 'options', WORKER_KEYS, true);
  const threads = optional(o.threads, 'options.threads', positiveInt) ?? defaultThreads;
  const lockDuration = optional(o.lockDuration, 'options.lockDuration', positiveInt) ?? 30_000;
  const roots = o.moduleRoots ?? [];
  if (!Array.isArray(roots)) throw invalid('options.moduleRoots', 'an array of [from, to] pairs', roots);
  const moduleRoots = roots.map((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw invalid(`options.moduleRoots[${i}]`, 'a [from, to] pair', pair);
    return [string(pair[0], `options.moduleRoots[${i}][0]`), string(pair[1], `options.moduleRoots[${i}][1]`)] as [
      string,
      string,
    ];
  });
  return {
    url: redisUrl(o.connection, 'options.connection'),
    queue: queueName(o.queue, 'options.queue'),
    threads,
    concurrency: optional(o.concurrency, 'options.concurrency', positiveInt) ?? threads,
    moduleRoots,
    lockDuration,
    stalledInterval:
      optional(o.stalledInterval, 'options.stalledInterval', positiveInt) ?? Math.max(1, Math.floor(lockDuration / 2)),
    maxStalledCount: optional(o.maxStalledCount, 'options.maxStalledCount', positiveInt) ?? 3,
    prefix: optional(o.prefix, 'options.prefix', queueName) ?? 'bull',
  };
}
