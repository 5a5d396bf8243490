/** Worker side of the word count over a file: a participant that reads and counts splits until none is left. */
import { registerBuiltin } from '../pool/worker/builtins.js';
import { openWorkerFile } from '../pool/worker/files.js';
import { instanceOf } from '../wasm/worker.js';
import type { WasmHandle } from '../wasm/context.js';
import { countSplits, type CountFn } from './wordcount-splits.js';

registerBuiltin('wordcount.splits', (handle: WasmHandle, path: string, job: number, rec: number) => {
  const file = openWorkerFile(path);
  try {
    return countSplits(instanceOf(handle).count as CountFn, handle.memory, job, rec, file);
  } finally {
    file.close();
  }
});
