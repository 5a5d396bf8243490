/**
 * A CSV byte stream read as blocks of rows, with parseCsv's rules (matrix.ts): comma-, tab- or semicolon-separated
 * numbers, one row per line, an optional header row (a first line with a field that is not a number), errors at
 * "file:line:column". Lines are decoded as UTF-8 chunk by chunk, so a line may straddle chunks.
 */
import { DataFormatError } from './matrix.js';
import { blockRows, closingOnError, type BlockOptions, type MatrixBlock, type MatrixBlocks } from './blocks.js';

/** Splits a byte stream into text lines (without their line ends), numbered from 1. */
async function* lines(chunks: AsyncIterator<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  let first = true;
  for (;;) {
    const r = await chunks.next();
    let text = rest + (r.done ? decoder.decode() : decoder.decode(r.value, { stream: true }));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let pos = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', pos)) {
      yield text.slice(pos, end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      pos = end + 1;
    }
    rest = text.slice(pos);
    if (r.done) {
      if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
      return;
    }
  }
}

function unquote(f: string): string {
  const t = f.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : f;
}

const isNumeric = (f: string) => f.trim() !== '' && !Number.isNaN(Number(f));

/** Reads CSV in blocks of float64 rows; the first data row (or header) is read before this resolves. */
export async function readCsvBlocks(chunks: AsyncIterable<Uint8Array>, options: BlockOptions): Promise<MatrixBlocks> {
  const { file } = options;
  const input = chunks[Symbol.asyncIterator]();
  const source = lines(input);
  let line = 0;
  // The first non-empty line sets the delimiter and the width; it is a header when a field is not a number.
  const start = await closingOnError(input, async () => {
    let delim = '';
    let header: string[] | null = null;
    for (;;) {
      const r = await source.next();
      if (r.done) throw new DataFormatError(file, header ? 'has a header row but no data rows' : 'has no data rows');
      line++;
      if (r.value.trim() === '') continue;
      if (!delim)
        delim = r.value.includes(',') ? ',' : r.value.includes('\t') ? '\t' : r.value.includes(';') ? ';' : ',';
      const fields = r.value.split(delim);
      if (!header && fields.some((f) => !isNumeric(unquote(f)))) {
        header = fields.map((f) => unquote(f).trim());
        continue;
      }
      return { delim, header, firstData: { fields, line } };
    }
  });
  const { delim, header, firstData } = start;
  const dims = header ? header.length : firstData.fields.length;
  const rows = blockRows(options, dims);
  const parse = (fields: string[], at: number, out: Float64Array, offset: number) => {
    if (fields.length !== dims)
      throw new DataFormatError(
        `${file}:${at}`,
        `row has ${fields.length} fields, expected ${dims} (as ${header ? 'the header' : `line ${firstData.line}`})`,
      );
    let col = 1;
    for (let j = 0; j < dims; j++) {
      const f = unquote(fields[j]!);
      const v = f.trim() === '' ? NaN : Number(f);
      if (!Number.isFinite(v)) {
        const what = f.trim() === '' ? 'is empty' : `is ${JSON.stringify(f.trim())}, not a finite number`;
        throw new DataFormatError(`${file}:${at}:${col}`, `field ${j + 1} ${what}`);
      }
      out[offset + j] = v;
      col += fields[j]!.length + 1;
    }
  };
  async function* blocks(): AsyncGenerator<MatrixBlock> {
    try {
      // One buffer for every block (see MatrixBlocks.blocks).
      const block = new Float64Array(rows * dims);
      parse(firstData.fields, firstData.line, block, 0);
      let count = 1;
      let firstRow = 0;
      for await (const text of { [Symbol.asyncIterator]: () => source }) {
        line++;
        if (text.trim() === '') continue;
        if (count === rows) {
          yield { values: block, n: count, firstRow };
          firstRow += count;
          count = 0;
        }
        parse(text.split(delim), line, block, count * dims);
        count++;
      }
      yield { values: count === rows ? block : block.subarray(0, count * dims), n: count, firstRow };
    } finally {
      await source.return(undefined);
      await input.return?.();
    }
  }
  return {
    dims,
    n: undefined,
    header,
    blocks: blocks(),
    close: async () => {
      await source.return(undefined);
      await input.return?.();
    },
  };
}
