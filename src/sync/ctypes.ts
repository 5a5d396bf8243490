/**
 * Element types of Value and SharedArray: poolkit's names (i8 … f64, i64/u64 as BigInt) and Python's array codes,
 * mapped to the typed array that holds them.
 */
import { invalid } from '../core/validate.js';

export type CType = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64' | 'i64' | 'u64';
/** Python's codes: b B h H i I l L q Q f d, and c (one byte). 'l'/'L' are 64 bits, as on 64-bit Linux. */
export type PythonTypeCode = 'b' | 'B' | 'c' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';
export type TypeCode = CType | PythonTypeCode;

type BigType = 'i64' | 'u64';
/** The JavaScript value of an element: bigint for 64-bit integers, number for the rest. */
export type ElementOf<T extends TypeCode> = T extends BigType | 'l' | 'L' | 'q' | 'Q' ? bigint : number;

export interface ArrayOf {
  i8: Int8Array;
  u8: Uint8Array;
  i16: Int16Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
  i64: BigInt64Array;
  u64: BigUint64Array;
  b: Int8Array;
  B: Uint8Array;
  c: Uint8Array;
  h: Int16Array;
  H: Uint16Array;
  i: Int32Array;
  I: Uint32Array;
  l: BigInt64Array;
  L: BigUint64Array;
  q: BigInt64Array;
  Q: BigUint64Array;
  f: Float32Array;
  d: Float64Array;
}

const PYTHON: Record<PythonTypeCode, CType> = {
  b: 'i8',
  B: 'u8',
  c: 'u8',
  h: 'i16',
  H: 'u16',
  i: 'i32',
  I: 'u32',
  l: 'i64',
  L: 'u64',
  q: 'i64',
  Q: 'u64',
  f: 'f32',
  d: 'f64',
};

type TypedArrayCtor = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => ArrayOf[CType];
const CTORS: Record<CType, TypedArrayCtor> = {
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  f32: Float32Array,
  f64: Float64Array,
  i64: BigInt64Array,
  u64: BigUint64Array,
} as Record<CType, TypedArrayCtor>;

/** The canonical type of `code`; `argument` names it in the error. */
export function ctypeOf(code: unknown, argument: string): CType {
  if (typeof code === 'string') {
    if (Object.hasOwn(CTORS, code)) return code as CType;
    if (Object.hasOwn(PYTHON, code)) return PYTHON[code as PythonTypeCode];
  }
  throw invalid(
    argument,
    `one of ${Object.keys(CTORS).join(' ')} or a Python code (${Object.keys(PYTHON).join(' ')})`,
    code,
  );
}

export function arrayCtor(type: CType): TypedArrayCtor {
  return CTORS[type];
}

export function isBigType(type: CType): boolean {
  return type === 'i64' || type === 'u64';
}

/** Atomics work on integer arrays only. */
export function isAtomicType(type: CType): boolean {
  return type !== 'f32' && type !== 'f64';
}
