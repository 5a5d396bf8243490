/**
 * `poolkit worker --redis URL --queue NAME [--concurrency N] [--threads T] [--module-root FROM=TO]...`: a worker
 * process for `poolkit/bullmq` (docs/distributed.md). Prints one line once it takes jobs, and runs until SIGINT or
 * SIGTERM, when it lets its running jobs finish.
 */
import { availableParallelism } from 'node:os';
import { startWorker } from '../distributed/worker.js';
import { integerArg, runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

export const workerSpec: CommandSpec = {
  name: 'worker',
  summary: 'run jobs of a poolkit/bullmq queue on this machine (its own local Pool)',
  positionals: [],
  options: {
    redis: { type: 'string', value: 'URL', help: 'the Redis server, e.g. redis://127.0.0.1:6379 (required)' },
    queue: { type: 'string', value: 'NAME', help: 'the queue to take jobs from (required)' },
    concurrency: { type: 'string', value: 'N', help: 'jobs run at once (default: threads)' },
    threads: { type: 'string', value: 'T', help: "threads of this worker's local Pool (default: the cores)" },
    'module-root': {
      type: 'string',
      value: 'FROM=TO',
      help: 'task modules under FROM (host path or URL) are imported from TO here; repeatable',
    },
    'lock-duration': { type: 'string', value: 'MS', help: 'job lock, renewed while running (default 30000)' },
    'stalled-interval': { type: 'string', value: 'MS', help: "how often dead workers' jobs are taken back" },
    'max-stalled': { type: 'string', value: 'N', help: 'times a job may be taken back before it fails (default 3)' },
  },
  details:
    'A job of a worker that dies is taken back after its lock expires and run by another worker; results are\n' +
    'counted once. Tasks are module exports: see --module-root for machines where their path differs.',
};

/** Runs `poolkit worker`; resolves with the exit code once a signal stopped it. */
export function workerCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(workerSpec, argv, io, async ({ values }) => {
    const int = (name: string, min = 1) =>
      values[name] === undefined ? undefined : integerArg(values[name] as string, `--${name}`, min);
    const required = (name: string) => {
      const v = values[name];
      if (typeof v !== 'string') throw new UsageError(`--${name} is required (see poolkit worker --help)`);
      return v;
    };
    const roots = argv.flatMap((a, i) =>
      a === '--module-root' ? [argv[i + 1] ?? ''] : a.startsWith('--module-root=') ? [a.slice(14)] : [],
    );
    const moduleRoots = roots.map((r) => {
      const at = r.indexOf('=');
      if (at <= 0 || at === r.length - 1) throw new UsageError(`--module-root: expected FROM=TO, got '${r}'`);
      return [r.slice(0, at), r.slice(at + 1)] as [string, string];
    });
    const worker = await startWorker(
      {
        connection: required('redis'),
        queue: required('queue'),
        concurrency: int('concurrency'),
        threads: int('threads'),
        moduleRoots,
        lockDuration: int('lock-duration'),
        stalledInterval: int('stalled-interval'),
        maxStalledCount: int('max-stalled'),
      },
      availableParallelism(),
    );
    const o = worker.options;
    io.stdout(
      `poolkit worker: queue ${o.queue}, ${o.threads} threads, concurrency ${o.concurrency}, pid ${process.pid}`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await worker.close();
    return 0;
  });
}
