/** Worker side of the word count over a file: a participant that reads and counts splits until none is left. */
import type { Kernel } from '../pool/worker/kernel.js';
import { instanceOf } from '../wasm/instances.js';
import type { WasmHandle } from '../wasm/context.js';
import { countSplits, type CountFn } from './splits.js';

/** The `wordcount.splits` kernel step: claims, reads and counts splits of the file at `path` until none is left. */
export const countFileSplits: Kernel = (ctx, handle: WasmHandle, path: string, job: number, rec: number) => {
  const file = ctx.openFile(path);
  try {
    return countSplits(instanceOf(handle).count as CountFn, handle.memory, job, rec, file);
  } finally {
    file.close();
  }
};
