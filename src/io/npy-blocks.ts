/** A .npy byte stream (2-D float32 / float64, C order) read as blocks of rows; see matrix-blocks.ts. */
import { DataFormatError, parseNpyHeader, type NpyHeader } from './matrix.js';
import { blockRows, closingOnError, type BlockOptions, type MatrixBlock, type MatrixBlocks } from './blocks.js';

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads a .npy byte stream in blocks. Each chunk's bytes are copied once, into one block buffer that every block
 * reuses (so memory stays at one block and one chunk however long the file); a chunk is released before the next
 * is asked for.
 */
export async function readNpyBlocks(chunks: AsyncIterable<Uint8Array>, options: BlockOptions): Promise<MatrixBlocks> {
  const { file } = options;
  const it = chunks[Symbol.asyncIterator]();
  let head = new Uint8Array(0);
  const header = await closingOnError(it, async () => {
    for (;;) {
      const r = await it.next();
      if (r.done) throw new DataFormatError(file, 'truncated header');
      const joined = new Uint8Array(head.length + r.value.length);
      joined.set(head);
      joined.set(r.value, head.length);
      head = joined;
      const h = parseNpyHeader(head, file);
      if (h) return h;
    }
  });
  const rowBytes = header.dims * header.size;
  const rows = Math.min(blockRows(options, header.dims), header.n);
  // The bytes after the header in the first chunks; dropped once copied.
  let first: Uint8Array | undefined = head.subarray(header.dataStart);
  async function* blocks(): AsyncGenerator<MatrixBlock> {
    let finished = false;
    try {
      const buf = new Uint8Array(rows * rowBytes);
      const decoded = decoder(buf, header);
      let firstRow = 0;
      let fill = 0;
      let pending = first;
      first = undefined;
      for (;;) {
        while (pending && pending.length > 0 && firstRow < header.n) {
          const want = Math.min(rows, header.n - firstRow) * rowBytes;
          const take = Math.min(pending.length, want - fill);
          buf.set(pending.subarray(0, take), fill);
          fill += take;
          pending = pending.subarray(take);
          if (fill === want) {
            const n = fill / rowBytes;
            yield { values: decoded(n, firstRow, file), n, firstRow };
            firstRow += n;
            fill = 0;
          }
        }
        pending = undefined;
        if (firstRow >= header.n) break;
        const r = await it.next();
        if (r.done) {
          finished = true;
          const have = header.dataStart + firstRow * rowBytes + fill;
          throw new DataFormatError(
            file,
            `truncated: shape ${header.n} × ${header.dims} needs ${header.n * rowBytes} data bytes, the file has ${have - header.dataStart}`,
          );
        }
        pending = r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  return {
    dims: header.dims,
    n: header.n,
    header: null,
    blocks: blocks(),
    close: async () => void (await it.return?.()),
  };
}

/**
 * Decodes the first `n` rows of `bytes` into values checked to be finite: a view of `bytes` when the byte order is
 * the host's, else one array reused for every block.
 */
function decoder(
  bytes: Uint8Array,
  h: NpyHeader,
): (n: number, firstRow: number, file: string) => Float32Array | Float64Array {
  const capacity = bytes.length / h.size;
  const same = h.little === HOST_LITTLE;
  const all: Float32Array | Float64Array = same
    ? h.size === 4
      ? new Float32Array(bytes.buffer, bytes.byteOffset, capacity)
      : new Float64Array(bytes.buffer, bytes.byteOffset, capacity)
    : h.size === 4
      ? new Float32Array(capacity)
      : new Float64Array(capacity);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (n, firstRow, file) => {
    const count = n * h.dims;
    const values = all.subarray(0, count);
    if (!same)
      for (let i = 0; i < count; i++)
        values[i] = h.size === 4 ? dv.getFloat32(i * 4, h.little) : dv.getFloat64(i * 8, h.little);
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(values[i]!)) {
        const row = firstRow + Math.floor(i / h.dims);
        throw new DataFormatError(
          file,
          `row ${row}, column ${i % h.dims} (byte ${h.dataStart + (firstRow * h.dims + i) * h.size}) is ${values[i]}; values must be finite`,
        );
      }
    }
    return values;
  };
}
