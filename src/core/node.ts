/** Host platform adapter for Node: worker_threads workers, files from disk. */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { readFile, open, stat } from 'node:fs/promises';
import type { HostPlatform, SpawnOptions, WorkerEvents, WorkerPort } from './platform.js';
import { throwIfAborted } from './errors.js';
import { invalid } from './validate.js';
import { readFully } from './node-file.js';
import { processTransport } from './node-process.js';
import { macrotask } from './macrotask.js';

// Bundled by the build from worker/node.js: one file loads faster than a module graph. The path goes through ../worker/
// so it also holds in the CLI bundle (dist/cli/main.js).
const workerUrl = new URL('../worker/node.cjs', import.meta.url);

export const nodePlatform: HostPlatform = {
  name: 'node',
  processTransport,
  spawnWorker(events: WorkerEvents, options: SpawnOptions): WorkerPort {
    const w = new Worker(workerUrl, {
      name: options.name,
      resourceLimits: options.resourceLimits,
      stdout: false,
      stderr: false,
    });
    let failed: Error | undefined;
    w.on('message', (m) => events.message(m));
    w.on('error', (e) => {
      failed = e;
      events.error(e);
    });
    w.on('exit', (code) => events.exit(failed && code === 0 ? 1 : code));
    w.unref();
    return {
      post: (msg, transfer) => w.postMessage(msg, transfer as never),
      terminate: async () => {
        await w.terminate();
      },
      unref: () => w.unref(),
      ref: () => w.ref(),
    };
  },
  defaultConcurrency: () => availableParallelism(),
  readAsset: async (url) => new Uint8Array(await readFile(url)),
  sharedMemoryAvailable: () => true,
  async openFile(path, options) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw invalid(
        'input',
        'a readable file',
        path,
        code === 'ENOENT' ? 'no such file' : `cannot read it: ${(e as Error).message}`,
      );
    }
    if (info.isDirectory()) throw invalid('input', 'a file', path, 'it is a directory');
    const handle = await open(path, 'r');
    const signal = options?.signal;
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await handle.close();
      }
    };
    const read = async (target: Uint8Array) => {
      throwIfAborted(signal);
      return (await handle.read(target, 0, target.length, null)).bytesRead;
    };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        const size = 1 << 22;
        for (;;) {
          const buf = new Uint8Array(size);
          const n = await read(buf);
          if (n === 0) return;
          yield n === size ? buf : buf.subarray(0, n);
        }
      } finally {
        await close();
      }
    }
    return {
      path,
      size: info.size,
      chunks: chunks(),
      readAt: (target, position) => readFully(handle.fd, target, position),
      async read(target, position) {
        let done = 0;
        while (done < target.length) {
          throwIfAborted(signal);
          const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done;
      },
      close,
    };
  },
  macrotask,
};
