/**
 * Worker-side file access: installed by the Node worker entry; browsers have no file paths, so there is none.
 * Built-in kernel tasks that read byte ranges of a file themselves (word count over a file) go through this.
 */
import type { PositionalFile } from '../platform.js';

let opener: ((path: string) => PositionalFile) | undefined;

/** Installs how this worker opens files for positional reads. */
export function setFileOpener(open: (path: string) => PositionalFile): void {
  opener = open;
}

/** Opens `path` in this worker; throws where workers cannot read files. */
export function openWorkerFile(path: string): PositionalFile {
  if (!opener) throw new Error('this worker cannot open files (no file access on this platform)');
  return opener(path);
}
