/**
 * The BullMQ executor, host side (docs/ARCHITECTURE.md, "Distributed"): a call's chunks become jobs with
 * deterministic ids, results come back through the queue's event stream (and a poll of quiet calls, so a missed
 * event never hangs a call), each index counted once. A watchdog pings Redis while calls run: unreachable for
 * `timeout` ms, they reject with RemoteConnectionError.
 */
import type { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { abortError, PoolkitError, RemoteConnectionError } from '../core/errors.js';
import {
  EXECUTOR,
  type ChunkRun,
  type Executor,
  type FlowParent,
  type RemoteChunk,
  type RemoteStats,
} from '../pool/executor.js';
import { RemoteCall } from './call.js';
import { decode, decodeError, encode } from './codec.js';
import { loadBullmq } from './load.js';
import type { ResolvedBullmqOptions } from './options.js';
import { parseWorkerName } from './worker-name.js';

interface Conn {
  queue: Queue;
  events: QueueEvents;
  flow: FlowProducer;
  redis: Redis;
}

/** Jobs added per round trip. */
const BULK = 500;
/** A call with no result for this long has its outstanding jobs looked up directly. */
const QUIET_MS = 2000;

export class BullmqExecutor implements Executor {
  readonly [EXECUTOR] = true as const;
  private conn: Promise<Conn> | undefined;
  private readonly calls = new Map<string, RemoteCall>();
  private readonly counters = { completed: 0, failed: 0 };
  private remote = { processes: 0, threads: 0, queued: 0, active: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastPong = Date.now();
  private closing: Promise<void> | undefined;
  private idle: Array<() => void> = [];

  constructor(private readonly o: ResolvedBullmqOptions) {}

  ready(): Promise<void> {
    return this.connect().then(() => undefined);
  }

  stats(): RemoteStats {
    return { ...this.remote, ...this.counters };
  }

  async *run(c: ChunkRun): AsyncGenerator<{ index: number; value: unknown }> {
    const conn = await this.connect();
    const call = this.begin('chunks', c.signal);
    const source = iterate(c.chunks);
    let exhausted = false;
    let pumping: Promise<void> | undefined;
    const jobOf = (ch: RemoteChunk) => ({
      name: 'chunk',
      data: { task: c.task, mode: c.mode, items: encode(ch.items) },
      opts: { ...this.jobOpts(), jobId: call.jobId(ch.index) },
    });
    const pump = async () => {
      while (!exhausted && !call.error && call.outstanding.size < c.window) {
        const batch: RemoteChunk[] = [];
        while (batch.length < BULK && call.outstanding.size + batch.length < c.window) {
          const r = await source.next();
          if (r.done) {
            exhausted = true;
            break;
          }
          batch.push(r.value);
        }
        for (const ch of batch) call.outstanding.set(call.jobId(ch.index), ch.index);
        if (batch.length)
          await conn.queue.addBulk(batch.map(jobOf)).catch((e) => Promise.reject(this.connectionError(e)));
      }
    };
    const fill = () => {
      // The source's own errors (a throwing iterable, a bad tuple) reject the call as they are.
      pumping ??= pump().then(
        () => {
          pumping = undefined;
          // The consumer may be waiting for a result that will not come: the source just ended.
          if (exhausted) call.nudge();
        },
        (e) => call.fail(e instanceof Error ? e : new Error(String(e))),
      );
    };
    try {
      fill();
      for (;;) {
        if (exhausted && call.outstanding.size === 0 && !pumping) break;
        const got = await call.next();
        if (!exhausted && got.length) fill();
        for (const r of got) yield r;
      }
    } finally {
      this.end(call, conn);
      await source.return?.();
    }
  }

  async runFlow(parents: FlowParent[], options: { signal?: AbortSignal | undefined }): Promise<unknown[]> {
    const conn = await this.connect();
    const call = this.begin('flow', options.signal);
    const queueName = this.o.queue;
    const opts = this.jobOpts();
    try {
      const flows = parents.map((p, i) => {
        const id = call.jobId(i);
        call.outstanding.set(id, i);
        return {
          name: p.step,
          queueName,
          data: { d: encode(p.data) },
          opts: { ...opts, jobId: id },
          // A child that fails for good fails its parent, so the call never waits on a partition that cannot finish.
          children: p.children.map((ch, j) => ({
            name: ch.step,
            queueName,
            data: { d: encode(ch.data) },
            opts: { ...opts, jobId: `${id}-c${j}`, failParentOnFailure: true },
          })),
        };
      });
      await conn.flow.addBulk(flows);
      const out = new Array<unknown>(parents.length);
      let left = parents.length;
      while (left > 0)
        for (const r of await call.next()) {
          out[r.index] = r.value;
          left--;
        }
      return out;
    } catch (e) {
      throw this.connectionError(e);
    } finally {
      this.end(call, conn);
    }
  }

  async close(): Promise<void> {
    if (this.calls.size) await new Promise<void>((r) => this.idle.push(r));
    await this.shutdown();
  }

  async terminate(reason: Error): Promise<void> {
    for (const call of this.calls.values()) call.fail(reason);
    await this.shutdown();
  }

  private jobOpts() {
    const keep = { age: this.o.keepResults };
    return {
      attempts: this.o.attempts,
      backoff: { type: 'exponential', delay: this.o.backoff },
      removeOnComplete: keep,
      removeOnFail: keep,
    };
  }

  private begin(kind: 'chunks' | 'flow', signal: AbortSignal | undefined): RemoteCall {
    if (this.closing) throw new PoolkitError('the executor is closed', { code: 'ERR_POOL_CLOSED' });
    if (signal?.aborted) throw abortError(signal);
    const call = new RemoteCall(kind);
    const onAbort = () => call.fail(abortError(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    call.detach = () => signal?.removeEventListener('abort', onAbort);
    this.calls.set(call.id, call);
    if (this.calls.size === 1) this.lastPong = Date.now();
    return call;
  }

  /** The call is over: its jobs not yet settled (an abort, a failure, a loop left early) are removed. */
  private end(call: RemoteCall, conn: Conn): void {
    call.detach?.();
    this.calls.delete(call.id);
    const left = [...call.outstanding.keys()];
    if (left.length) void this.removeJobs(conn, left);
    if (this.calls.size === 0) for (const r of this.idle.splice(0)) r();
  }

  /** Removes queued jobs (and a flow parent's children); a job already running finishes and is ignored. */
  private async removeJobs(conn: Conn, ids: string[]): Promise<void> {
    await withTimeout(
      Promise.allSettled(ids.map((id) => conn.queue.remove(id, { removeChildren: true }))),
      this.o.timeout,
    ).catch(() => undefined);
  }

  private connect(): Promise<Conn> {
    if (this.closing) return Promise.reject(new PoolkitError('the executor is closed', { code: 'ERR_POOL_CLOSED' }));
    this.conn ??= this.open().catch((e) => {
      this.conn = undefined;
      throw this.connectionError(e);
    });
    return this.conn;
  }

  private async open(): Promise<Conn> {
    const { bullmq, Redis } = await loadBullmq();
    const { url, queue: name, prefix, timeout } = this.o;
    const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: timeout, lazyConnect: true });
    redis.on('error', () => undefined); // reported by the watchdog and the calls, not as an uncaught 'error'
    try {
      await withTimeout(redis.connect(), timeout);
      // Events are read from the stream's current end: none of this executor's jobs can complete before it.
      const tail = (await redis.xrevrange(`${prefix}:${name}:events`, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
      const connection = { url };
      const queue = new bullmq.Queue(name, { connection, prefix });
      const events = new bullmq.QueueEvents(name, { connection, prefix, lastEventId: tail });
      const flow = new bullmq.FlowProducer({ connection, prefix });
      queue.on('error', () => undefined);
      events.on('error', () => undefined);
      flow.on('error', () => undefined);
      events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue));
      events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
      await withTimeout(Promise.all([queue.waitUntilReady(), events.waitUntilReady(), flow.waitUntilReady()]), timeout);
      this.startTimer();
      return { queue, events, flow, redis };
    } catch (e) {
      redis.disconnect();
      throw e;
    }
  }

  private callOf(jobId: string): RemoteCall | undefined {
    return this.calls.get(jobId.slice(0, jobId.indexOf('-')));
  }

  private completed(jobId: string, returnvalue: unknown): void {
    const call = this.callOf(jobId);
    const index = call?.indexOf(jobId);
    if (call === undefined || index === undefined) return;
    let value: unknown;
    try {
      value = decode(returnvalue as string);
    } catch (e) {
      call.fail(new PoolkitError(`job ${jobId} returned an unreadable result`, { code: 'ERR_REMOTE', cause: e }));
      return;
    }
    if (call.succeed(index, value)) this.counters.completed++;
  }

  /** A job failed for good (its attempts are spent): a chunk, a flow parent, or a flow child with the task's error. */
  private failed(jobId: string, failedReason: string | undefined): void {
    const call = this.callOf(jobId);
    if (!call) return;
    this.counters.failed++;
    // Kept for inspection (as long as keepResults says): only jobs still queued are removed when the call ends.
    call.outstanding.delete(jobId);
    call.fail(decodeError(failedReason));
  }

  private startTimer(): void {
    const every = Math.max(50, Math.min(1000, this.o.timeout / 4));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref?.();
  }

  /** Pings Redis, refreshes the stats, and looks up the jobs of quiet calls. */
  private async tick(): Promise<void> {
    const conn = await this.conn?.catch(() => undefined);
    if (!conn || this.closing) return;
    const pong = await withTimeout(conn.redis.ping(), this.o.timeout).then(
      () => true,
      () => false,
    );
    if (pong) this.lastPong = Date.now();
    else if (this.calls.size && Date.now() - this.lastPong > this.o.timeout) {
      const err = new RemoteConnectionError(`Redis at ${redact(this.o.url)} unreachable for ${this.o.timeout} ms`);
      for (const call of this.calls.values()) call.fail(err);
      return;
    }
    if (!pong) return;
    await this.refreshStats(conn).catch(() => undefined);
    for (const call of this.calls.values())
      if (Date.now() - call.lastProgress > QUIET_MS) await this.poll(conn, call).catch(() => undefined);
  }

  private async refreshStats(conn: Conn): Promise<void> {
    const [workers, counts] = await Promise.all([conn.queue.getWorkers(), conn.queue.getJobCounts('wait', 'active')]);
    const seen = new Map<string, number>();
    for (const w of workers) {
      const parsed = parseWorkerName(w.rawname ?? w.name ?? '');
      if (parsed) seen.set(parsed.id, parsed.threads);
    }
    this.remote = {
      processes: seen.size,
      threads: [...seen.values()].reduce((a, b) => a + b, 0),
      queued: counts.wait ?? 0,
      active: counts.active ?? 0,
    };
  }

  /** Settles the jobs of a quiet call straight from Redis: a result whose event was missed still arrives. */
  private async poll(conn: Conn, call: RemoteCall): Promise<void> {
    call.lastProgress = Date.now();
    const ids = [...call.outstanding.keys()].slice(0, 1000);
    const jobs = await Promise.all(ids.map((id) => conn.queue.getJob(id)));
    for (const job of jobs) if (job) this.settleFromJob(job);
  }

  private settleFromJob(job: Job): void {
    if (job.finishedOn === undefined || job.id === undefined) return;
    if (job.failedReason && job.returnvalue == null) this.failed(job.id, job.failedReason);
    else this.completed(job.id, job.returnvalue);
  }

  private connectionError(e: unknown): Error {
    if (e instanceof PoolkitError) return e;
    return new RemoteConnectionError(`Redis at ${redact(this.o.url)}: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
    });
  }

  private shutdown(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      const conn = await this.conn?.catch(() => undefined);
      if (!conn) return;
      const quit = Promise.allSettled([conn.events.close(), conn.queue.close(), conn.flow.close(), conn.redis.quit()]);
      // A server that is gone cannot answer a polite close: drop the sockets instead of waiting.
      await withTimeout(quit, Math.min(2000, this.o.timeout)).catch(() => {
        for (const c of [conn.events, conn.queue, conn.flow]) void c.disconnect().catch(() => undefined);
        conn.redis.disconnect();
      });
    })();
    return this.closing;
  }
}

function* never(): Generator<never> {}

/** An iterator over a sync or async iterable of chunks. */
function iterate(chunks: ChunkRun['chunks']): AsyncIterator<RemoteChunk> | Iterator<RemoteChunk> {
  if (Symbol.asyncIterator in chunks) return chunks[Symbol.asyncIterator]();
  return (chunks as Iterable<RemoteChunk>)[Symbol.iterator]?.() ?? never();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return 'the configured URL';
  }
}
