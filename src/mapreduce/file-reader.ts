/**
 * Node fast path for files: reads straight into caller-provided memory (the kernels' shared wasm memory), with no
 * intermediate chunk buffers to allocate, zero and copy. Uses the platform's `openFile` (Node); in browsers
 * `openDirectReader` returns undefined and callers stream chunks.
 */
import { platform, type OpenedFile } from '../pool/platform.js';
import { filePathOf, type ByteInput } from './source.js';

/** A file being read front to back into memory the caller provides. */
export type DirectReader = Pick<OpenedFile, 'size' | 'read' | 'close'>;

/** The file named by `input` ({ path } or a file: URL) as a DirectReader, or undefined where not possible. */
export async function openDirectReader(input: ByteInput): Promise<DirectReader | undefined> {
  const path = filePathOf(input);
  const p = platform();
  return path !== undefined && p.openFile ? p.openFile(path) : undefined;
}
