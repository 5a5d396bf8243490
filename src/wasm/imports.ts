/** The imports every kernel instance gets: the shared memory, and an abort that throws. Used by host and workers. */
import { KernelError } from '../core/errors.js';

export function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new KernelError(`wasm kernel aborted at ${line}:${col}`);
      },
    },
  };
}
