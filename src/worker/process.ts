/** Worker entry for `isolation: 'process'`: the same runtime as a worker thread, over the child process IPC channel. */
import { createRuntime } from '../pool/worker/runtime.js';
import type { HostMessage, WorkerMessage } from '../pool/protocol.js';
import { openPositional } from '../core/node-file.js';
import { PROCESS_FATAL } from '../core/process-messages.js';
import { PoolkitError, serializeError } from '../core/errors.js';
import { kernels } from './kernels.js';
import { shareableTypes } from './shareables.js';

const send = process.send?.bind(process);
if (!send) throw new PoolkitError('the poolkit process entry must run as a forked child with an IPC channel');
const runtime = createRuntime({ post: (msg: WorkerMessage) => void send(msg) }, kernels, shareableTypes, {
  openFile: openPositional,
  ownThread: true,
  heapUsed: () => process.memoryUsage().heapUsed,
});
process.on('message', (msg: HostMessage) => runtime.onMessage(msg));
// The host went away: nothing more will come.
process.on('disconnect', () => process.exit(0));
// An error outside any task ends the worker, as in a worker thread; the host hears why before the exit.
process.on('uncaughtException', (e) => {
  runtime.halt();
  send({ type: PROCESS_FATAL, error: serializeError(e) }, undefined, undefined, () => process.exit(1));
});
