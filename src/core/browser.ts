/** Host platform adapter for browsers: module Web Workers, assets fetched relative to the bundle. */
import type { HostPlatform, SpawnOptions, WorkerEvents, WorkerPort } from './platform.js';
import { PoolkitError } from './errors.js';
import { messageTurn } from './macrotask.js';

// The browser build is one bundle at dist/browser/index.js with the worker beside it.
const workerUrl = new URL('./worker.js', import.meta.url);

export const browserPlatform: HostPlatform = {
  name: 'browser',
  spawnWorker(events: WorkerEvents, options: SpawnOptions): WorkerPort {
    const w = new Worker(workerUrl, { type: 'module', name: options.name });
    let gone = false;
    const exit = (code: number) => {
      if (gone) return;
      gone = true;
      events.exit(code);
    };
    w.addEventListener('message', (e: MessageEvent) => {
      const m = e.data as { type?: string; code?: number };
      if (m && m.type === 'closing') {
        // The worker called self.close(): a browser gives no exit event, so this is its exit.
        w.terminate();
        exit(m.code ?? 0);
        return;
      }
      events.message(m);
    });
    // An uncaught error outside a task: Node would end the worker; do the same so both platforms behave alike.
    w.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      if (gone) return;
      events.error(
        new PoolkitError(e.message || 'worker failed to load or threw outside a task', { code: 'ERR_WORKER_ERROR' }),
      );
      w.terminate();
      exit(1);
    });
    w.addEventListener('messageerror', () =>
      events.error(
        new PoolkitError('a message from the worker could not be deserialized', { code: 'ERR_WORKER_MESSAGE' }),
      ),
    );
    return {
      post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
      terminate: async () => {
        w.terminate();
        exit(1);
      },
      unref: () => {},
      ref: () => {},
    };
  },
  defaultConcurrency: () => Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 4),
  readAsset: async (url) => {
    const res = await fetch(url);
    if (!res.ok) throw new PoolkitError(`could not load ${url.href}: HTTP ${res.status}`, { code: 'ERR_ASSET_LOAD' });
    return new Uint8Array(await res.arrayBuffer());
  },
  sharedMemoryAvailable: () => typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true,
  macrotask: messageTurn,
};
