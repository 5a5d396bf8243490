/** Reading the chosen file (or the sample) in the job worker, with progress, and the checks that name what is wrong. */
import type { Input } from './protocol.js';

/** A problem with the person's input: shown on the page as is. */
export class InputError extends Error {}

/** The file's bytes, read as a stream in slices so progress can be shown; rejects an empty file. */
export async function readAll(
  file: File,
  signal: AbortSignal,
  progress: (fraction: number) => void,
): Promise<Uint8Array> {
  if (file.size === 0) throw new InputError(`${file.name}: the file is empty`);
  const out = new Uint8Array(file.size);
  let at = 0;
  const reader = file.stream().getReader();
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, at);
      at += value.length;
      progress(at / file.size);
    }
  } finally {
    reader.releaseLock();
  }
  return out;
}

/** Names the input in messages and downloads. */
export function inputName(input: Input, sample: string): string {
  return input.kind === 'file' ? input.file.name : sample;
}

const startsWith = (b: Uint8Array, ...sig: number[]) => sig.every((v, i) => b[i] === v);

/** Accepts PNG, JPEG and WebP by their first bytes, so a text file gets a clear message rather than a decoder's. */
export function checkImage(bytes: Uint8Array, name: string): string {
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(bytes, 0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP')
    return 'image/webp';
  throw new InputError(`${name}: not a PNG, JPEG or WebP image (its first bytes are not an image signature)`);
}
