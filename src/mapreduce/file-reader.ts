/**
 * Node fast path for files: reads straight into caller-provided memory (the kernels' shared wasm memory), with no
 * intermediate chunk buffers to allocate, zero and copy. Uses `process.getBuiltinModule` (Node >= 20.16), so the
 * browser build carries no Node import; elsewhere `openDirectReader` returns undefined and callers stream chunks.
 */
import { InvalidArgumentError } from '../pool/errors.js';
import type { ByteInput } from './source.js';

/** A file being read front to back into memory the caller provides. */
export interface DirectReader {
  readonly size: number;
  /** Reads the next bytes into `target`; resolves with the count, 0 at the end of the file. */
  read(target: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

interface FileHandleLike {
  read(buffer: Uint8Array, offset: number, length: number, position: null): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

interface FsPromisesLike {
  stat(path: string): Promise<{ isDirectory(): boolean; size: number }>;
  open(path: string, flags: string): Promise<FileHandleLike>;
}

/** The file named by `input` ({ path } or a file: URL) as a DirectReader, or undefined where not possible. */
export async function openDirectReader(input: ByteInput): Promise<DirectReader | undefined> {
  let path: string;
  if (input instanceof URL && input.protocol === 'file:') path = decodeURIComponent(input.pathname);
  else if (typeof input === 'object' && input !== null && !(input instanceof URL) && typeof (input as { path?: unknown }).path === 'string' && !(Symbol.asyncIterator in input) && !(Symbol.iterator in input)) {
    path = (input as { path: string }).path;
  } else return undefined;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs/promises') as FsPromisesLike | undefined;
  if (!fs) return undefined;
  let info;
  try {
    info = await fs.stat(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InvalidArgumentError('input', code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  if (info.isDirectory()) throw new InvalidArgumentError('input', `${path} is a directory, not a file`);
  const handle = await fs.open(path, 'r');
  return {
    size: info.size,
    read: async (target) => (await handle.read(target, 0, target.length, null)).bytesRead,
    close: () => handle.close(),
  };
}
