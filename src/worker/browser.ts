/** Worker entry for browsers (module Web Worker). */
import { createRuntime } from '../pool/worker/runtime.js';
import type { HostMessage, WorkerMessage } from '../pool/protocol.js';
import { kernels } from './kernels.js';
import { shareableTypes } from './shareables.js';

interface WorkerScope {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  close(): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<HostMessage>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const runtime = createRuntime(
  { post: (msg: WorkerMessage, transfer?: Transferable[]) => scope.postMessage(msg, transfer ?? []) },
  kernels,
  shareableTypes,
  { ownThread: true },
);
scope.addEventListener('message', (e) => runtime.onMessage(e.data));

// Browsers report nothing when a worker closes itself; tell the host first so it can treat it like a Node exit.
const close = scope.close.bind(scope);
scope.close = () => {
  // Like process.exit in Node: the task that called it never reports, and nothing queued behind it runs.
  runtime.halt();
  scope.postMessage({ type: 'closing', code: 0 } satisfies WorkerMessage);
  close();
};
