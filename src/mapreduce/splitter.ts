/**
 * Cuts a stream of byte chunks into splits of about `size` bytes, each ending just after a cut byte (a record
 * delimiter, or an ASCII separator for word count), so no record, word or multi-byte character straddles two splits.
 * A split grows past `size` only when no cut byte appears (one enormous word or record).
 */

/** Finds a cut in `buf[from, to)`: the index just after the last cut byte, or -1 when there is none. */
export type CutFinder = (buf: Uint8Array, from: number, to: number) => number;

/**
 * Yields splits as views of an internal buffer, valid until the next iteration step (copy what you keep).
 * The last split is whatever remains at the end of input.
 */
export async function* splitBytes(chunks: AsyncIterable<Uint8Array>, size: number, findCut: CutFinder): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(Math.max(size * 2, 1024));
  let len = 0;
  let searched = 0; // buf[0, searched) holds no cut
  for await (const chunk of chunks) {
    let off = 0;
    while (off < chunk.length) {
      if (len === buf.length) {
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf.subarray(0, len));
        buf = bigger;
      }
      const n = Math.min(chunk.length - off, buf.length - len);
      buf.set(chunk.subarray(off, off + n), len);
      len += n;
      off += n;
      if (len < size) continue;
      const cut = findCut(buf, searched, len);
      if (cut <= 0) {
        searched = Math.max(0, len - 64); // a multi-byte delimiter may end in the bytes still to come
        continue;
      }
      yield buf.subarray(0, cut);
      buf.copyWithin(0, cut, len);
      len -= cut;
      searched = 0;
    }
  }
  if (len > 0) yield buf.subarray(0, len);
}

/** Cut after the last ASCII byte that is not [0-9A-Za-z]: always a whole character and a word separator. */
export const cutAtAsciiSeparator: CutFinder = (buf, from, to) => {
  for (let i = to - 1; i >= from; i--) {
    const b = buf[i]!;
    if (b < 0x80 && !((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a))) return i + 1;
  }
  return -1;
};

/** Cut after the last occurrence of `delimiter` (bytes). */
export function cutAtDelimiter(delimiter: Uint8Array): CutFinder {
  const d = delimiter;
  const last = d[d.length - 1]!;
  return (buf, from, to) => {
    for (let i = to - 1; i >= Math.max(from, d.length - 1); i--) {
      if (buf[i] !== last) continue;
      let ok = true;
      for (let k = 1; k < d.length && ok; k++) ok = buf[i - k] === d[d.length - 1 - k];
      if (ok) return i + 1;
    }
    return -1;
  };
}
