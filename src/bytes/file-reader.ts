/**
 * Files as word-count input: in Node, a file named by `{ path }` or a file: URL is opened for positional reads, so
 * workers can read their own byte ranges straight into shared memory. In browsers there are no paths:
 * `openFileInput` returns undefined and callers stream chunks.
 */
import { platform, type OpenedFile } from '../core/platform.js';
import { filePathOf, type ByteInput } from './source.js';

/** The file named by `input` ({ path } or a file: URL), opened, or undefined where `input` names no file. */
export async function openFileInput(input: ByteInput): Promise<OpenedFile | undefined> {
  const path = filePathOf(input);
  const p = platform();
  return path !== undefined && p.openFile ? p.openFile(path) : undefined;
}
