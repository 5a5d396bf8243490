/**
 * Where word-count input may be cut: the byte rules that keep every word and every multi-byte character whole on
 * one side of a cut (docs/ARCHITECTURE.md, "Word tokenization").
 */
import type { CutFinder } from '../bytes/split.js';

/** An ASCII byte that is not [0-9A-Za-z]: always a whole character and a word separator. */
function isAsciiSeparator(b: number): boolean {
  return b < 0x80 && !((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a));
}

/** Cut after the last ASCII separator. */
export const cutAtAsciiSeparator: CutFinder = (buf, from, to) => {
  for (let i = to - 1; i >= from; i--) if (isAsciiSeparator(buf[i]!)) return i + 1;
  return -1;
};

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** Bytes of the UTF-8 encoding of code point `cp`, which is at least 0x80. */
function utf8Length(cp: number): number {
  return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function isWordChar(cp: number): boolean {
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/**
 * Word-count cuts: after the last ASCII separator; in text without one (Chinese, Japanese), after the last complete,
 * valid non-word character (。、「 U+3000, ...) in the last 64 KiB. A valid lead byte is never a continuation byte, so
 * the decoder reads the same characters on both sides of such a cut as it would across it.
 */
export const cutAtSeparator: CutFinder = (buf, from, to) => {
  const c = cutAtAsciiSeparator(buf, from, to);
  if (c >= 0) return c;
  for (let i = to - 1; i >= from && i >= to - 65536; i--) {
    const b = buf[i]!;
    if (b < 0xc2 || b > 0xf4) continue;
    const cp = decodeAt(buf, i, to);
    if (cp >= 0 && !isWordChar(cp)) return i + utf8Length(cp);
  }
  return -1;
};

/**
 * The first word-count cut at or after `x` in `buf[0, end)`, by the same rule as `cutAtSeparator` read forwards: the
 * smallest q >= x (q <= end) just after an ASCII separator or after a complete, valid non-word character; -1 when
 * there is none. It depends only on the bytes before q, so workers reading overlapping ranges agree on every cut.
 */
export function cutAtOrAfter(buf: Uint8Array, x: number, end: number): number {
  // A character that ends at or after x may start up to 3 bytes before it.
  for (let i = Math.max(0, x - 4); i < end; i++) {
    const b = buf[i]!;
    if (b < 0x80) {
      if (i + 1 >= x && isAsciiSeparator(b)) return i + 1;
    } else if (b >= 0xc2 && b <= 0xf4) {
      const cp = decodeAt(buf, i, end);
      if (cp < 0) continue;
      const n = utf8Length(cp);
      if (i + n >= x && !isWordChar(cp)) return i + n;
      i += n - 1;
    }
  }
  return -1;
}

/** The code point of the valid UTF-8 sequence at `buf[i]` (a lead byte) ending before `end`, or -1 (WHATWG rules). */
function decodeAt(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i]!;
  const n = b0 < 0xe0 ? 2 : b0 < 0xf0 ? 3 : 4;
  if (i + n > end) return -1;
  const b1 = buf[i + 1]!;
  const lo = b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
  const hi = b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
  if (b1 < lo || b1 > hi) return -1;
  if (n === 2) return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  const b2 = buf[i + 2]!;
  if ((b2 & 0xc0) !== 0x80) return -1;
  if (n === 3) return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  const b3 = buf[i + 3]!;
  if ((b3 & 0xc0) !== 0x80) return -1;
  return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
}
