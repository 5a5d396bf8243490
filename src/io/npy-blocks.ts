/** A .npy byte stream (2-D float32 / float64, C order) read as blocks of rows; see matrix-blocks.ts. */
import { DataFormatError } from './matrix.js';
import { blockRows, type BlockOptions, type MatrixBlock, type MatrixBlocks } from './blocks.js';

interface NpyHeader {
  n: number;
  dims: number;
  size: 4 | 8;
  little: boolean;
  /** Byte offset of the first value. */
  dataStart: number;
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The header of a .npy file from its first bytes, or null when more bytes are needed. */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader | null {
  if (bytes.length < 12) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) throw new DataFormatError(file, `unsupported .npy version ${major}`);
  const offset = major === 1 ? 10 : 12;
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (bytes.length < offset + headerLen) return null;
  const header = new TextDecoder().decode(bytes.subarray(offset, offset + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new DataFormatError(file, `malformed .npy header ${JSON.stringify(header.trim())}`);
  const type = /^([<>|=])f([48])$/.exec(descr);
  if (!type) throw new DataFormatError(file, `dtype '${descr}' is not supported (float32 '<f4' or float64 '<f8')`);
  if (fortran === 'True')
    throw new DataFormatError(file, 'is in Fortran order; save it in C order (np.ascontiguousarray)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length !== 2 || shape.some((s) => !Number.isInteger(s) || s < 0))
    throw new DataFormatError(file, `shape (${shapeText.trim()}) is not 2-D; expected (rows, columns)`);
  const [n, dims] = shape as [number, number];
  if (n === 0 || dims === 0) throw new DataFormatError(file, `is empty (shape ${n} × ${dims})`);
  return { n, dims, size: type[2] === '4' ? 4 : 8, little: type[1] !== '>', dataStart: offset + headerLen };
}

/** Reads a .npy byte stream in blocks; each block's bytes are copied once, from the chunks into the block. */
export async function readNpyBlocks(chunks: AsyncIterable<Uint8Array>, options: BlockOptions): Promise<MatrixBlocks> {
  const { file } = options;
  const it = chunks[Symbol.asyncIterator]();
  let head = new Uint8Array(0);
  let h: NpyHeader | null = null;
  while (!h) {
    const r = await it.next();
    if (r.done) throw new DataFormatError(file, 'truncated header');
    const joined = new Uint8Array(head.length + r.value.length);
    joined.set(head);
    joined.set(r.value, head.length);
    head = joined;
    h = parseNpyHeader(head, file);
  }
  const header = h;
  const rowBytes = header.dims * header.size;
  const rows = Math.min(blockRows(options, header.dims), header.n);
  async function* blocks(): AsyncGenerator<MatrixBlock> {
    let finished = false;
    try {
      let firstRow = 0;
      let buf = new Uint8Array(Math.min(rows, header.n) * rowBytes);
      let fill = 0;
      let pending: Uint8Array | undefined = head.subarray(header.dataStart);
      for (;;) {
        while (pending && pending.length > 0 && firstRow < header.n) {
          const take = Math.min(pending.length, buf.length - fill);
          buf.set(pending.subarray(0, take), fill);
          fill += take;
          pending = pending.subarray(take);
          if (fill === buf.length) {
            const n = fill / rowBytes;
            yield { values: decode(buf, header, firstRow, file), n, firstRow };
            firstRow += n;
            buf = new Uint8Array(Math.min(rows, header.n - firstRow) * rowBytes);
            fill = 0;
          }
        }
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
  return { dims: header.dims, n: header.n, header: null, blocks: blocks() };
}

/** The block's values (a view of `bytes` when the byte order is the host's), checked to be finite. */
function decode(bytes: Uint8Array, h: NpyHeader, firstRow: number, file: string): Float32Array | Float64Array {
  const count = bytes.length / h.size;
  let values: Float32Array | Float64Array;
  if (h.little === HOST_LITTLE)
    values = h.size === 4 ? new Float32Array(bytes.buffer, 0, count) : new Float64Array(bytes.buffer, 0, count);
  else {
    const dv = new DataView(bytes.buffer);
    values = h.size === 4 ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++)
      values[i] = h.size === 4 ? dv.getFloat32(i * 4, h.little) : dv.getFloat64(i * 8, h.little);
  }
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
}
