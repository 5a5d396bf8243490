/**
 * Readers for k-means input files: CSV (numeric columns, optional header row) and NumPy .npy (float32 / float64,
 * 2-D, C order). Both take the file's bytes and return a row-major matrix; problems are `DataFormatError`s that say
 * where (file, line and column for CSV; byte offset for .npy).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { invalid, string } from '../core/validate.js';

export interface NumericTable {
  values: Float32Array | Float64Array;
  n: number;
  dims: number;
  /** Column names from the CSV header row, if there was one. */
  header: string[] | null;
}

/** A malformed input file; `where` is "file:line:column" (CSV) or "file" (npy). */
export class DataFormatError extends InvalidArgumentError {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super('data', message);
    this.message = `${where}: ${message}`;
  }
}

/** Parses CSV text: comma- (or tab- / semicolon-) separated numbers, one row per line, optional header row. */
export function parseCsv(text: string, file = 'input.csv'): NumericTable {
  string(text, 'text', true);
  string(file, 'file');
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  let delim = '';
  let header: string[] | null = null;
  let dims = -1;
  let firstDataLine = 0;
  let values = new Float64Array(1024);
  let count = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const raw = text.slice(pos, end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    pos = end + 1;
    line++;
    if (raw.trim() === '') continue;
    if (!delim) delim = raw.includes(',') ? ',' : raw.includes('\t') ? '\t' : raw.includes(';') ? ';' : ',';
    const fields = raw.split(delim);
    if (dims < 0) {
      // The first non-empty line is a header when any of its fields is not a number.
      if (fields.some((f) => !isNumeric(unquote(f)))) {
        header = fields.map((f) => unquote(f).trim());
        dims = fields.length;
        continue;
      }
      dims = fields.length;
    }
    if (fields.length !== dims) {
      throw new DataFormatError(
        `${file}:${line}`,
        `row has ${fields.length} fields, expected ${dims} (as ${header ? 'the header' : `line ${firstDataLine || line}`})`,
      );
    }
    if (!firstDataLine) firstDataLine = line;
    if (count + dims > values.length) {
      const bigger = new Float64Array(Math.max(values.length * 2, count + dims));
      bigger.set(values);
      values = bigger;
    }
    let col = 1;
    for (let j = 0; j < dims; j++) {
      const f = unquote(fields[j]);
      const v = f.trim() === '' ? NaN : Number(f);
      if (!Number.isFinite(v)) {
        const what = f.trim() === '' ? 'is empty' : `is ${JSON.stringify(f.trim())}, not a finite number`;
        throw new DataFormatError(`${file}:${line}:${col}`, `field ${j + 1} ${what}`);
      }
      values[count++] = v;
      col += fields[j].length + 1;
    }
  }
  if (count === 0) throw new DataFormatError(file, header ? 'has a header row but no data rows' : 'has no data rows');
  return { values: values.slice(0, count), n: count / dims, dims, header };
}

function unquote(f: string): string {
  const t = f.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : f;
}

function isNumeric(f: string): boolean {
  return f.trim() !== '' && !Number.isNaN(Number(f));
}

/** What a .npy header says: shape, value size, byte order, and where the values start. */
export interface NpyHeader {
  n: number;
  dims: number;
  size: 4 | 8;
  little: boolean;
  /** Byte offset of the first value. */
  dataStart: number;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** True when `bytes` start with the .npy magic (`\x93NUMPY`). */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= NPY_MAGIC.length && NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The header of a .npy file (2-D float32 / float64, C order) from its first bytes, or null when more bytes are
 * needed to read it. Throws DataFormatError for anything else.
 */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader | null {
  if (bytes.length < 10) return null;
  if (!isNpy(bytes)) throw new DataFormatError(file, 'is not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) throw new DataFormatError(file, `unsupported .npy version ${major}`);
  const offset = major === 1 ? 10 : 12;
  if (bytes.length < offset) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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

/** Parses a NumPy .npy file holding a 2-D float32 or float64 array in C order. */
export function parseNpy(bytes: Uint8Array, file = 'input.npy'): NumericTable {
  if (!(bytes instanceof Uint8Array)) throw invalid('bytes', 'a Uint8Array', bytes);
  string(file, 'file');
  if (bytes.length < NPY_MAGIC.length || !isNpy(bytes))
    throw new DataFormatError(file, 'is not a .npy file (no \\x93NUMPY magic)');
  const h = parseNpyHeader(bytes, file);
  if (!h) throw new DataFormatError(file, 'truncated header');
  const { n, dims, size, little, dataStart } = h;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = n * dims * size;
  if (bytes.length - dataStart < need)
    throw new DataFormatError(
      file,
      `truncated: shape ${n} × ${dims} needs ${need} data bytes, the file has ${bytes.length - dataStart}`,
    );
  const values = size === 4 ? new Float32Array(n * dims) : new Float64Array(n * dims);
  for (let i = 0; i < n * dims; i++) {
    const v = size === 4 ? dv.getFloat32(dataStart + i * 4, little) : dv.getFloat64(dataStart + i * 8, little);
    if (!Number.isFinite(v))
      throw new DataFormatError(
        file,
        `row ${(i / dims) | 0}, column ${i % dims} (byte ${dataStart + i * size}) is ${v}; values must be finite`,
      );
    values[i] = v;
  }
  return { values, n, dims, header: null };
}

/** Serialises a 2-D float32 matrix as .npy (for benchmarks and tests). */
export function toNpy(values: Float32Array | Float64Array, n: number, dims: number): Uint8Array {
  const descr = values instanceof Float32Array ? '<f4' : '<f8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${n}, ${dims}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += `${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}
