// UTF-8 decoding exactly as the WHATWG decoder (`new TextDecoder()`) classifies bytes, plus the word-character table.
//
// Only whether bytes form a valid character matters to word counting: every U+FFFD the decoder would emit is a
// separator. With the maximal-subpart rule, an invalid sequence's lead and valid continuation bytes become one
// U+FFFD and decoding restarts at the offending byte; treating the lead as one separator and restarting at the next
// byte gives the same separators, because a continuation byte on its own is always invalid.
import { UNI_SHIFT, UNI_STAGE1, UNI_STAGE2 } from '../generated/unicode';

/** Per byte: 0 = ASCII separator, 1..127 = ASCII word character (its lower case), 0x80 = not ASCII. */
export const ASCII_CLASS: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 0, 0, 0, 0, 0, 0,
  0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
  112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
  0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
  112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
]);

/**
 * Decodes the character starting at `p` (a byte >= 0x80) with `end` the first byte past the input.
 * Returns (length << 24) | code point, or 0 when the bytes at `p` are not a complete valid sequence.
 */
// @ts-ignore: decorator
@inline
export function decodeAt(p: usize, end: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0xc2) return 0;
  if (b0 < 0xe0) {
    if (p + 1 >= end) return 0;
    const b1 = <u32>load<u8>(p, 1);
    if ((b1 & 0xc0) != 0x80) return 0;
    return (2 << 24) | ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  }
  if (b0 < 0xf0) {
    if (p + 2 >= end) return 0;
    const b1 = <u32>load<u8>(p, 1);
    const lo: u32 = b0 == 0xe0 ? 0xa0 : 0x80;
    const hi: u32 = b0 == 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    const b2 = <u32>load<u8>(p, 2);
    if ((b2 & 0xc0) != 0x80) return 0;
    return (3 << 24) | ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  }
  if (b0 < 0xf5) {
    if (p + 3 >= end) return 0;
    const b1 = <u32>load<u8>(p, 1);
    const lo: u32 = b0 == 0xf0 ? 0x90 : 0x80;
    const hi: u32 = b0 == 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    const b2 = <u32>load<u8>(p, 2);
    if ((b2 & 0xc0) != 0x80) return 0;
    const b3 = <u32>load<u8>(p, 3);
    if ((b3 & 0xc0) != 0x80) return 0;
    return (4 << 24) | ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
  }
  return 0;
}

/** The generated property of a code point: 0 = separator; bit 0 word char; bit 1 raw; bits 2.. lower-case delta. */
// @ts-ignore: decorator
@inline
export function propOf(cp: u32): i32 {
  const block = <usize>load<u16>(UNI_STAGE1 + (<usize>(cp >> UNI_SHIFT) << 1));
  return load<i32>(UNI_STAGE2 + ((block << UNI_SHIFT) + <usize>(cp & ((1 << UNI_SHIFT) - 1)) << 2));
}

/** Writes `cp` as UTF-8 at `w`; returns the byte after it. */
// @ts-ignore: decorator
@inline
export function putUtf8(w: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(w, cp);
    return w + 1;
  }
  if (cp < 0x800) {
    store<u8>(w, 0xc0 | (cp >> 6));
    store<u8>(w, 0x80 | (cp & 0x3f), 1);
    return w + 2;
  }
  if (cp < 0x10000) {
    store<u8>(w, 0xe0 | (cp >> 12));
    store<u8>(w, 0x80 | ((cp >> 6) & 0x3f), 1);
    store<u8>(w, 0x80 | (cp & 0x3f), 2);
    return w + 3;
  }
  store<u8>(w, 0xf0 | (cp >> 18));
  store<u8>(w, 0x80 | ((cp >> 12) & 0x3f), 1);
  store<u8>(w, 0x80 | ((cp >> 6) & 0x3f), 2);
  store<u8>(w, 0x80 | (cp & 0x3f), 3);
  return w + 4;
}
