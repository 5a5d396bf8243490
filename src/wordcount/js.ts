/**
 * The js backend: the reference tokenization (docs/ARCHITECTURE.md, "Word tokenization"), streamed. Bytes are decoded with one streaming
 * TextDecoder (a leading BOM dropped, invalid bytes U+FFFD), words matched with /[\p{L}\p{M}\p{N}]+/gu and lower-cased
 * with toLowerCase; a word touching the end of a chunk is carried into the next one, so chunking never changes counts.
 */
import { throwIfAborted } from '../bytes/source.js';

/** Counts words of `chunks` into `counts`; returns [total words, bytes read]. */
export async function countWordsJs(
  chunks: AsyncIterable<Uint8Array>,
  counts: Map<string, number>,
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<{ total: number; bytes: number }> {
  const decoder = new TextDecoder();
  const re = /[\p{L}\p{M}\p{N}]+/gu;
  let carry = '';
  let total = 0;
  let bytes = 0;
  const scan = (text: string, final: boolean): void => {
    re.lastIndex = 0;
    carry = '';
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const w = m[0];
      if (!final && m.index + w.length === text.length) {
        carry = w;
        break;
      }
      const lw = w.toLowerCase();
      counts.set(lw, (counts.get(lw) ?? 0) + 1);
      total++;
    }
  };
  for await (const chunk of chunks) {
    throwIfAborted(signal);
    bytes += chunk.length;
    scan(carry + decoder.decode(chunk, { stream: true }), false);
    onBytes?.(bytes);
  }
  scan(carry + decoder.decode(), true);
  return { total, bytes };
}

/** The tokenization contract (docs/ARCHITECTURE.md), verbatim: the words of `bytes`, lower-cased, in order. */
export function referenceWords(bytes: Uint8Array): string[] {
  return (
    new TextDecoder()
      .decode(bytes)
      .match(/[\p{L}\p{M}\p{N}]+/gu)
      ?.map((w) => w.toLowerCase()) ?? []
  );
}
