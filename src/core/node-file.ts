/** Synchronous positional reads of a file in Node, for the host adapter and the Node worker entry alike. */
import { openSync, readSync, closeSync } from 'node:fs';
import type { PositionalFile } from './platform.js';

/** Reads `target.length` bytes of the file `fd` at `position`, or fewer at its end; returns the count. */
export function readFully(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Opens `path` for positional reads. */
export function openPositional(path: string): PositionalFile {
  const fd = openSync(path, 'r');
  let open = true;
  return {
    readAt: (target, position) => readFully(fd, target, position),
    close: () => {
      if (open) {
        open = false;
        closeSync(fd);
      }
    },
  };
}
