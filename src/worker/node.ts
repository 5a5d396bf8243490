/**
 * Worker entry for Node (worker_threads).
 *
 * An idle worker with nothing else pending blocks in Atomics.wait on its status word instead of returning to the
 * event loop, and pulls messages with receiveMessageOnPort when the host bumps the word: waking from a futex is
 * several microseconds faster than the event loop's wake-up, which is most of a task's round trip. It only does so
 * when process.getActiveResourcesInfo() shows nothing but its message port — a timer, socket or file a task left
 * behind keeps the worker on the event loop, so blocking never starves anything.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { createRuntime } from '../pool/worker/runtime.js';
import { STATUS_WAKE, type HostMessage, type WorkerMessage } from '../pool/protocol.js';
import { openPositional } from '../core/node-file.js';
import { PoolkitError } from '../core/errors.js';
import { kernels } from './kernels.js';
import { shareableTypes } from './shareables.js';

if (!parentPort)
  throw new PoolkitError('the poolkit worker entry must run in a worker thread', { code: 'ERR_NOT_IN_WORKER' });
const port = parentPort;
const runtime = createRuntime(
  { post: (msg: WorkerMessage, transfer?: Transferable[]) => port.postMessage(msg, transfer as never) },
  kernels,
  shareableTypes,
  { openFile: openPositional, ownThread: true, heapUsed: () => process.memoryUsage().heapUsed },
);
let waitScheduled = false;

port.on('message', (msg: HostMessage) => {
  runtime.onMessage(msg);
  scheduleIdleWait();
});

function scheduleIdleWait(): void {
  if (waitScheduled) return;
  waitScheduled = true;
  // setImmediate: the task's own microtasks and callbacks already queued run first.
  setImmediate(() => {
    waitScheduled = false;
    idleWait();
  });
}

function nothingElsePending(): boolean {
  return runtime.idle() && process.getActiveResourcesInfo().every((r) => r === 'MessagePort');
}

function idleWait(): void {
  const status = runtime.status();
  if (!status || !nothingElsePending()) return;
  for (;;) {
    const seen = Atomics.load(status, STATUS_WAKE);
    let got = false;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      runtime.onMessage(m.message as HostMessage);
      got = true;
    }
    if (got) {
      // Back to the event loop if the tasks left work there (promises, timers); else keep waiting here.
      if (!nothingElsePending()) {
        scheduleIdleWait();
        return;
      }
      continue;
    }
    Atomics.wait(status, STATUS_WAKE, seen);
  }
}
