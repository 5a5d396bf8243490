/**
 * Cuts a stream of byte chunks into splits of about `size` bytes, each ending just after a cut byte (a record
 * delimiter, or a word-count cut), so no record, word or multi-byte character straddles two splits.
 * A split grows past `size` only when no cut byte appears (one enormous word or record).
 *
 * Splits come as lists of pieces (views of the input chunks, or of a small copied carry) so a consumer copies each
 * byte once, straight to where it is processed.
 */

/** Finds a cut in `buf[from, to)`: the index just after the last cut byte, or -1 when there is none. */
export type CutFinder = (buf: Uint8Array, from: number, to: number) => number;

/** One split: its pieces in order and their total length. */
export interface Split {
  pieces: Uint8Array[];
  length: number;
}

/**
 * Yields splits of the chunks. Pieces may view the chunks themselves: a source must not reuse a chunk's memory
 * until the split holding it has been consumed (the next iteration step).
 */
export async function* splitBytes(
  chunks: AsyncIterable<Uint8Array>,
  size: number,
  findCut: CutFinder,
): AsyncGenerator<Split> {
  let pieces: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    let pos = 0;
    while (pos < chunk.length) {
      const want = size - length; // bytes of this chunk that would complete the split
      if (chunk.length - pos < want) {
        pieces.push(chunk.subarray(pos));
        length += chunk.length - pos;
        break;
      }
      // Last cut at or before the target, else the first one after it.
      let cut = findCut(chunk, pos, pos + Math.max(want, 1));
      if (cut < 0) cut = firstCut(chunk, pos + Math.max(want, 1), findCut);
      if (cut < 0) {
        pieces.push(chunk.subarray(pos));
        length += chunk.length - pos;
        break;
      }
      pieces.push(chunk.subarray(pos, cut));
      length += cut - pos;
      pos = cut;
      yield { pieces, length };
      pieces = [];
      length = 0;
    }
    // Keep only small tails by reference; copy them so the source may recycle its chunk.
    if (pieces.length && length < size / 4) pieces = [concat(pieces, length)];
  }
  if (length > 0) yield { pieces, length };
}

/** The first cut in `buf[from, end)`, scanning forward in steps. */
function firstCut(buf: Uint8Array, from: number, findCut: CutFinder): number {
  for (let a = from; a < buf.length; a += 4096) {
    const cut = findCut(buf, a, Math.min(buf.length, a + 4096));
    if (cut >= 0) return cut;
  }
  return -1;
}

/** Copies pieces into one new array. */
export function concat(pieces: Uint8Array[], length: number): Uint8Array {
  if (pieces.length === 1) return pieces[0]!.slice();
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Cut after the last delimiter byte. The delimiter is one byte (newline by default), so a cut never falls inside
 * a multi-byte character when the delimiter is ASCII.
 */
export function cutAtByte(delimiter: number): CutFinder {
  return (buf, from, to) => {
    const i = buf.lastIndexOf(delimiter, to - 1);
    return i >= from ? i + 1 : -1;
  };
}
