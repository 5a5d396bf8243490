/**
 * Input checking for `kmeans` and `predict`: done once, before any backend runs. Every problem is reported as an
 * `InvalidArgumentError` naming the argument ('data', 'k', 'dims', 'options.tol', ...) and, for data, the row and
 * column. Data is converted to row-major float64 here (centring happens in float64 before the float32 conversion).
 */
import { InvalidArgumentError } from '../core/errors.js';

/** What `kmeans` and `predict` accept as data: row-major typed arrays (with `dims`) or an array of rows. */
export type KMeansData = Float32Array | Float64Array | ArrayLike<number>[];

/** Row-major matrix, validated: finite values, n ≥ 1 rows of dims ≥ 1. */
export interface Matrix {
  readonly values: Float32Array | Float64Array;
  readonly n: number;
  readonly dims: number;
}

/** Reads `data` as an n × dims matrix (dims from the rows for arrays of rows; required for typed arrays). */
export function readMatrix(data: unknown, dims: unknown, argument = 'data', dimsArgument = 'dims'): Matrix {
  if (dims !== undefined) checkInt(dims, dimsArgument, 1);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    if (dims === undefined) throw new InvalidArgumentError(dimsArgument, `is required when ${argument} is a ${data.constructor.name} (row-major values)`);
    const d = dims as number;
    if (data.length === 0) throw new InvalidArgumentError(argument, 'is empty');
    if (data.length % d !== 0) throw new InvalidArgumentError(argument, `length ${data.length} is not a multiple of ${dimsArgument} = ${d}`);
    checkFinite(data, d, argument);
    return { values: data, n: data.length / d, dims: d };
  }
  if (Array.isArray(data)) {
    if (data.length === 0) throw new InvalidArgumentError(argument, 'is empty');
    const first = data[0] as unknown;
    if (!isRow(first)) throw new InvalidArgumentError(argument, `must be a Float32Array, a Float64Array or an array of rows (number arrays); row 0 is ${describe(first)}`);
    const d = first.length;
    if (d === 0) throw new InvalidArgumentError(argument, 'row 0 is empty');
    if (dims !== undefined && dims !== d) throw new InvalidArgumentError(dimsArgument, `is ${dims as number} but the rows of ${argument} have ${d} values`);
    const values = new Float64Array(data.length * d);
    for (let r = 0; r < data.length; r++) {
      const row = data[r] as unknown;
      if (!isRow(row)) throw new InvalidArgumentError(argument, `row ${r} is ${describe(row)}, not an array of numbers`);
      if (row.length !== d) throw new InvalidArgumentError(argument, `ragged rows: row ${r} has ${row.length} values, row 0 has ${d}`);
      for (let j = 0; j < d; j++) {
        const v = row[j] as unknown;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(argument, `row ${r}, column ${j} is ${describe(v)}; values must be finite numbers`);
        values[r * d + j] = v;
      }
    }
    return { values, n: data.length, dims: d };
  }
  throw new InvalidArgumentError(argument, `must be a Float32Array, a Float64Array or an array of rows; got ${describe(data)}`);
}

function isRow(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array;
}

function checkFinite(values: Float32Array | Float64Array, dims: number, argument: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InvalidArgumentError(argument, `row ${Math.floor(i / dims)}, column ${i % dims} is ${values[i]}; values must be finite`);
  }
}

/** Checks an integer option (≥ min). */
export function checkInt(v: unknown, argument: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new InvalidArgumentError(argument, `must be an integer, got ${describe(v)}`);
  if (v < min) throw new InvalidArgumentError(argument, `must be at least ${min}, got ${v}`);
  if (v > max) throw new InvalidArgumentError(argument, `must be at most ${max}, got ${v}`);
  return v;
}

/** Checks a finite number option (≥ min). */
export function checkNumber(v: unknown, argument: string, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(argument, `must be a finite number, got ${describe(v)}`);
  if (v < min) throw new InvalidArgumentError(argument, `must be at least ${min}, got ${v}`);
  return v;
}

/** Rejects keys of `options` not in `known`. */
export function checkKeys(options: object, known: readonly string[], prefix = 'options'): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidArgumentError(`${prefix}.${key}`, `unknown option (known: ${known.join(', ')})`);
  }
}

/** Per-row weights: n finite non-negative numbers with a positive sum. */
export function readWeights(w: unknown, n: number, argument = 'options.sampleWeight'): Float64Array {
  if (!(w instanceof Float32Array || w instanceof Float64Array || Array.isArray(w))) throw new InvalidArgumentError(argument, `must be an array of n numbers, got ${describe(w)}`);
  if (w.length !== n) throw new InvalidArgumentError(argument, `has ${w.length} values for ${n} rows`);
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(argument, `value ${i} is ${describe(v)}; weights must be finite and non-negative`);
    out[i] = v;
    sum += v;
  }
  if (!(sum > 0)) throw new InvalidArgumentError(argument, 'weights sum to 0');
  return out;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
