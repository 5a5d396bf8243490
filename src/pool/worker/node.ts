/** Worker entry for Node (worker_threads). */
import { parentPort } from 'node:worker_threads';
import { createRuntime } from './runtime.js';
import type { HostMessage, WorkerMessage } from '../protocol.js';
import './kernels.js';

if (!parentPort) throw new Error('poolkit worker entry must run in a worker thread');
const port = parentPort;
const runtime = createRuntime({ post: (msg: WorkerMessage, transfer?: Transferable[]) => port.postMessage(msg, transfer as never) });
port.on('message', (msg: HostMessage) => runtime.onMessage(msg));
