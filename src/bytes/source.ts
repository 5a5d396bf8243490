/**
 * Byte sources: every input form the word count and the byte-split MapReduce accept, normalized to one stream of
 * byte chunks. A plain string is text; a file in Node is named by a `file:` URL or `{ path }`.
 */
import { platform } from '../core/platform.js';
import { throwIfAborted } from '../core/errors.js';
import { invalid } from '../core/validate.js';

/** A file on disk (Node only). */
export interface FileInput {
  readonly path: string;
}

/** What `wordCount` and byte-split `mapReduce` read: text, bytes, a Blob, a byte stream, or a file in Node. */
export type ByteInput =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array>
  | URL
  | FileInput;

/** A normalized byte source: its size when known, and its bytes in chunks. */
export interface ByteSource {
  readonly size: number | undefined;
  readonly chunks: AsyncIterable<Uint8Array>;
}

const SLICE = 1 << 22;

/** True when `x` is a byte input (as opposed to an iterable of records). */
export function isByteInput(x: unknown): boolean {
  return (
    typeof x === 'string' ||
    x instanceof Uint8Array ||
    x instanceof ArrayBuffer ||
    (typeof Blob !== 'undefined' && x instanceof Blob) ||
    (typeof ReadableStream !== 'undefined' && x instanceof ReadableStream) ||
    x instanceof URL ||
    isFileInput(x)
  );
}

function isFileInput(x: unknown): x is FileInput {
  return (
    typeof x === 'object' &&
    x !== null &&
    !(Symbol.iterator in x) &&
    !(Symbol.asyncIterator in x) &&
    typeof (x as FileInput).path === 'string'
  );
}

export { throwIfAborted };

/** The path named by a `{ path }` or `file:` URL input; undefined for any other input. */
export function filePathOf(input: ByteInput): string | undefined {
  if (input instanceof URL) return input.protocol === 'file:' ? decodeURIComponent(input.pathname) : undefined;
  return isFileInput(input) ? input.path : undefined;
}

/** Normalizes any {@link ByteInput}; throws InvalidArgumentError('input', ...) for anything else or a bad file. */
export async function openByteSource(input: ByteInput, signal?: AbortSignal): Promise<ByteSource> {
  if (typeof input === 'string') return fromBytes(new TextEncoder().encode(input));
  if (input instanceof Uint8Array) return fromBytes(input);
  if (input instanceof ArrayBuffer) return fromBytes(new Uint8Array(input));
  if (typeof Blob !== 'undefined' && input instanceof Blob)
    return { size: input.size, chunks: fromStream(input.stream() as ReadableStream<Uint8Array>, signal) };
  if (typeof ReadableStream !== 'undefined' && input instanceof ReadableStream)
    return { size: undefined, chunks: fromStream(input, signal) };
  if (input instanceof URL || isFileInput(input)) {
    const p = platform();
    if (!p.openFile)
      throw invalid(
        'input',
        'a Blob or a ReadableStream on this platform',
        input,
        'file paths can only be read in Node',
      );
    const path = filePathOf(input);
    if (path === undefined) throw invalid('input', 'a file: URL', (input as URL).href);
    const f = await p.openFile(path, { signal });
    return { size: f.size, chunks: f.chunks };
  }
  if (input !== null && typeof input === 'object' && (Symbol.asyncIterator in input || Symbol.iterator in input)) {
    return { size: undefined, chunks: fromIterable(input as AsyncIterable<unknown> | Iterable<unknown>) };
  }
  throw invalid(
    'input',
    'a string, Uint8Array, Blob, ReadableStream, async iterable of Uint8Array, or { path }',
    input,
  );
}

function fromBytes(bytes: Uint8Array): ByteSource {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += SLICE) yield bytes.subarray(i, Math.min(bytes.length, i + SLICE));
  }
  return { size: bytes.length, chunks: chunks() };
}

async function* fromStream(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) return;
      yield asBytes(value);
    }
  } finally {
    reader.releaseLock();
  }
}

async function* fromIterable(it: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for await (const c of it as AsyncIterable<unknown>) yield typeof c === 'string' ? enc.encode(c) : asBytes(c);
}

function asBytes(c: unknown): Uint8Array {
  if (c instanceof Uint8Array) return c;
  if (ArrayBuffer.isView(c)) return new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
  if (c instanceof ArrayBuffer) return new Uint8Array(c);
  throw invalid('input', 'a byte stream yielding Uint8Arrays', c, 'one of its chunks');
}
