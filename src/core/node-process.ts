/**
 * Node adapter for `isolation: 'process'`: each worker is a child process (fork, with the 'advanced' serialization so
 * typed arrays, Maps and errors travel as with worker threads). Separate heaps: a native crash, process.abort() or
 * running out of memory takes down only that process. No SharedArrayBuffer crosses a process boundary, so this
 * transport says `sharedMemory: false` and the scheduler runs without status words.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SpawnOptions, WorkerEvents, WorkerPort, WorkerTransport } from './platform.js';
import { deserializeError, type SerializedError } from './errors.js';
import { PROCESS_FATAL } from './process-messages.js';

// Bundled by the build from worker/process.js, beside the worker-thread entry.
const entry = new URL('../worker/process.cjs', import.meta.url);

/** V8 flags for worker_threads-style resourceLimits. */
export function heapFlags(limits: SpawnOptions['resourceLimits']): string[] {
  const flags: string[] = [];
  if (limits?.maxOldGenerationSizeMb)
    flags.push(`--max-old-space-size=${Math.max(1, Math.round(limits.maxOldGenerationSizeMb))}`);
  // V8's young generation is three semi-spaces.
  if (limits?.maxYoungGenerationSizeMb)
    flags.push(`--max-semi-space-size=${Math.max(1, Math.round(limits.maxYoungGenerationSizeMb / 3))}`);
  return flags;
}

function exitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? (constants.signals as Record<string, number>)[signal] : undefined;
  return 128 + (n ?? 0);
}

function hold(child: ChildProcess, on: boolean): void {
  const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
  if (on) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}

export const processTransport: WorkerTransport = {
  sharedMemory: false,
  defaultConcurrency: () => availableParallelism(),
  spawnWorker(events: WorkerEvents, options: SpawnOptions): WorkerPort {
    const child = fork(fileURLToPath(entry), [], {
      serialization: 'advanced',
      execArgv: heapFlags(options.resourceLimits),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(options.name ? { argv0: options.name } : {}),
    });
    let exited = false;
    child.on('message', (m: { type?: string; error?: SerializedError }) => {
      if (m && m.type === PROCESS_FATAL) events.error(deserializeError(m.error!));
      else events.message(m);
    });
    child.on('error', (e) => events.error(e));
    child.on('exit', (code, signal) => {
      exited = true;
      events.exit(exitCode(code, signal));
    });
    hold(child, false);
    return {
      post: (msg) => {
        // A send to a child that just died fails; its exit event reports that.
        if (child.connected) child.send(msg as never, (err) => void err);
      },
      terminate: () =>
        new Promise<void>((resolve) => {
          if (exited) return resolve();
          child.once('exit', () => resolve());
          // Held until it is gone, so the caller awaiting this is not left behind by an exiting process.
          child.ref();
          child.kill('SIGKILL');
        }),
      unref: () => hold(child, false),
      ref: () => hold(child, true),
    };
  },
};
