/** Worker side of the word count over a file: a participant that reads and counts splits until none is left. */
import { registerBuiltin } from '../pool/worker/builtins.js';
import { openWorkerFile } from '../pool/worker/files.js';
import { instanceOf } from '../wasm/worker.js';
import type { WasmHandle } from '../wasm/context.js';
import { countSplits, JOB_BYTES, J_STARTED, type CountFn } from './wordcount-splits.js';

registerBuiltin('wordcount.splits', (handle: WasmHandle, path: string, job: number, rec: number, first: boolean) => {
  if (first) Atomics.add(new Int32Array(handle.memory.buffer, job, JOB_BYTES / 4), J_STARTED, 1);
  const file = openWorkerFile(path);
  try {
    return countSplits(instanceOf(handle).count as CountFn, handle.memory, job, rec, file);
  } finally {
    file.close();
  }
});
