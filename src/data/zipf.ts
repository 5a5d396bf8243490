/** Zipf-distributed text: the word-count data of the benchmarks and the demo. */
import { intInRange, invalid, optionsObject, positiveInt } from '../core/validate.js';
import { seededRandom } from './random.js';

/** What `zipfTextChunks` writes. */
export interface ZipfTextOptions {
  /** The words to draw from (at least one); rank follows a seeded shuffle, not the given order. */
  vocabulary: readonly string[];
  /** Stop at this many UTF-8 bytes or a few less: the text ends at a line end. */
  bytes: number;
  /** Seed of the stream (shuffle, then draws). */
  seed: number;
  /** Words per line (default 12). */
  wordsPerLine?: number;
  /** Lines per yielded chunk (default 2000). */
  linesPerChunk?: number;
}

/**
 * UTF-8 text in chunks: words drawn with weight 1/rank (Zipf, s = 1), `wordsPerLine` per line, each line ending in
 * `\n`. Chunks let a caller write a file larger than memory; the concatenation does not depend on who consumes it.
 */
export function* zipfTextChunks(options: ZipfTextOptions): Generator<Uint8Array> {
  optionsObject(options, 'options', ['vocabulary', 'bytes', 'seed', 'wordsPerLine', 'linesPerChunk'], true);
  const { vocabulary, bytes, seed, wordsPerLine = 12, linesPerChunk = 2000 } = options;
  if (!Array.isArray(vocabulary) || vocabulary.length === 0)
    throw invalid('options.vocabulary', 'an array of at least one word', vocabulary);
  intInRange(bytes, 'options.bytes', 0);
  positiveInt(wordsPerLine, 'options.wordsPerLine');
  positiveInt(linesPerChunk, 'options.linesPerChunk');
  const words = [...vocabulary];
  const random = seededRandom(seed);
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  const cdf = new Float64Array(words.length);
  let acc = 0;
  for (let i = 0; i < words.length; i++) cdf[i] = acc += 1 / (i + 1);
  const encoder = new TextEncoder();
  let written = 0;
  while (written < bytes) {
    const lines: string[] = [];
    for (let l = 0; l < linesPerChunk; l++) {
      const line: string[] = [];
      for (let w = 0; w < wordsPerLine; w++) {
        const x = random() * acc;
        let lo = 0;
        let hi = cdf.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid]! < x) lo = mid + 1;
          else hi = mid;
        }
        line.push(words[lo]!);
      }
      lines.push(line.join(' '));
    }
    let chunk = encoder.encode(`${lines.join('\n')}\n`);
    if (written + chunk.length > bytes) {
      let cut = bytes - written;
      while (cut > 0 && chunk[cut - 1] !== 0x0a) cut--;
      // A chunk whose first line is longer than what is left is kept whole: the text always ends at a line end.
      chunk = chunk.subarray(0, cut || chunk.length);
    }
    written += chunk.length;
    yield chunk;
  }
}

/** The whole of `zipfTextChunks(options)` as one array. */
export function zipfText(options: ZipfTextOptions): Uint8Array {
  const chunks = [...zipfTextChunks(options)];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'der', 'ün', 'ça', 'λό', 'γος', 'мир', '数'];

/** `size` distinct-ish words of 1–3 syllables in several scripts (Latin, Greek, Cyrillic, CJK), from `seed`. */
export function mixedScriptVocabulary(size: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
  return Array.from({ length: size }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join(''));
}
