/**
 * Input checking for `kmeans` and `predict`: done once, before any backend runs. Every problem is reported as an
 * `InvalidArgumentError` naming the value by its path ('data', 'options.k', 'options.tol', ...), with the row and
 * column of a bad value. Data is converted to row-major float64 here (centring happens in float64 before the
 * float32 conversion).
 */
import { invalid, positiveInt } from '../core/validate.js';

/** What `kmeans` and `predict` accept as data: row-major typed arrays (with `dims`) or an array of rows. */
export type KMeansData = Float32Array | Float64Array | ArrayLike<number>[];

/** Row-major matrix, validated: finite values, n ≥ 1 rows of dims ≥ 1. */
export interface Matrix {
  readonly values: Float32Array | Float64Array;
  readonly n: number;
  readonly dims: number;
}

/**
 * Reads `data` as an n × dims matrix (dims from the rows for arrays of rows; required for typed arrays). `path` and
 * `dimsPath` name the two as the caller wrote them.
 */
export function readMatrix(data: unknown, dims: unknown, path = 'data', dimsPath = 'options.dims'): Matrix {
  if (dims !== undefined) positiveInt(dims, dimsPath);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    if (dims === undefined)
      throw invalid(
        dimsPath,
        'a positive integer',
        dims,
        `required when ${path} is a ${data.constructor.name} of row-major values`,
      );
    const d = dims as number;
    if (data.length === 0) throw invalid(path, 'at least one row', data, 'it is empty');
    if (data.length % d !== 0) throw invalid(path, `a length that is a multiple of ${dimsPath} = ${d}`, data);
    checkFinite(data, d, path);
    return { values: data, n: data.length / d, dims: d };
  }
  if (Array.isArray(data)) {
    if (data.length === 0) throw invalid(path, 'at least one row', data, 'it is empty');
    const first = data[0] as unknown;
    if (!isRow(first))
      throw invalid(path, 'a Float32Array, a Float64Array or an array of rows (number arrays)', first, 'row 0');
    const d = first.length;
    if (d === 0) throw invalid(path, 'rows of at least one value', first, 'row 0 is empty');
    if (dims !== undefined && dims !== d) throw invalid(dimsPath, `${d} (the rows of ${path} have ${d} values)`, dims);
    const values = new Float64Array(data.length * d);
    for (let r = 0; r < data.length; r++) {
      const row = data[r] as unknown;
      if (!isRow(row)) throw invalid(path, 'rows that are arrays of numbers', row, `row ${r}`);
      if (row.length !== d)
        throw invalid(
          path,
          `rows of ${d} values each`,
          row,
          `ragged rows: row ${r} has ${row.length} values, row 0 has ${d}`,
        );
      for (let j = 0; j < d; j++) {
        const v = row[j] as unknown;
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw invalid(path, 'finite numbers', v, `at row ${r}, column ${j}`);
        values[r * d + j] = v;
      }
    }
    return { values, n: data.length, dims: d };
  }
  throw invalid(path, 'a Float32Array, a Float64Array or an array of rows', data);
}

function isRow(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array;
}

function checkFinite(values: Float32Array | Float64Array, dims: number, path: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw invalid(path, 'finite numbers', values[i], `at row ${Math.floor(i / dims)}, column ${i % dims}`);
  }
}

/** Per-row weights: n finite non-negative numbers with a positive sum. */
export function readWeights(w: unknown, n: number, path = 'options.sampleWeight'): Float64Array {
  if (!(w instanceof Float32Array || w instanceof Float64Array || Array.isArray(w)))
    throw invalid(path, `an array of ${n} numbers, one per row`, w);
  if (w.length !== n)
    throw invalid(path, `one weight per row (${n} values)`, w, `it has ${w.length} values for ${n} rows`);
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw invalid(path, 'finite non-negative weights', v, `at value ${i}`);
    out[i] = v;
    sum += v;
  }
  if (!(sum > 0)) throw invalid(path, 'weights with a positive sum', w, 'weights sum to 0');
  return out;
}
