// Open-addressing hash tables of byte keys in host-assigned memory (the kernel allocates nothing).
//
// A table state (WordTableState, at an offset the host assigns) points at a slot array and a key arena; a slot
// (WordSlot) holds a key's hash, length (bit 31 RAW: the original bytes, lower-cased by the host), count, and the
// key's bytes when it has at most 16, else their address. Both layouts are generated from scripts/layouts.mjs.
// A lookup touches one cache line for the common short keys. Linear probing on the low hash bits; the host sizes
// slots and arena and grows them when a call reports so.
import {
  RAW, SLOT_BYTES, SLOT_HASH, SLOT_KEY, SLOT_KEY_BYTES, SLOT_LEN, SLOT_SHIFT, STATE_MASK, STATE_SLOTS,
} from '../generated/wordcount-layout';

/** Keys of at most this many bytes live in their slot. */
export const INLINE: u32 = <u32>SLOT_KEY_BYTES;

const M1: u64 = 0x9e3779b97f4a7c15;
const M2: u64 = 0xff51afd7ed558ccd;

/** Hash of `n` key bytes at `p` (`lenField` mixes in the raw flag). Reads up to 7 bytes past the key. */
// @ts-ignore: decorator
@inline
export function hashKey(p: usize, n: u32, lenField: u32): u32 {
  let h: u64 = <u64>lenField * M1;
  let q = p;
  let r = n;
  while (r >= 8) {
    h = (h ^ load<u64>(q)) * M1;
    h ^= h >> 32;
    q += 8;
    r -= 8;
  }
  if (r) {
    const tail = load<u64>(q) & ((<u64>1 << (<u64>r << 3)) - 1);
    h = (h ^ tail) * M1;
  }
  h ^= h >> 33;
  h *= M2;
  h ^= h >> 29;
  return <u32>h;
}

/** True when the `n` bytes at `a` and `b` are equal. May read up to 7 bytes past either key. */
// @ts-ignore: decorator
@inline
export function keysEqual(a: usize, b: usize, n: u32): bool {
  let r = n;
  let x = a;
  let y = b;
  while (r >= 8) {
    if (load<u64>(x) != load<u64>(y)) return false;
    x += 8;
    y += 8;
    r -= 8;
  }
  if (r == 0) return true;
  const mask = (<u64>1 << (<u64>r << 3)) - 1;
  return ((load<u64>(x) ^ load<u64>(y)) & mask) == 0;
}

/** 0xFF in the first `n` lanes (n <= 16). */
// @ts-ignore: decorator
@inline
export function shortMask(n: u32): v128 {
  return i8x16.lt_u(i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), i8x16.splat(<i8>n));
}

/** Hash of a key of at most 16 bytes, zero-padded in `kv`. */
// @ts-ignore: decorator
@inline
export function hashShort(kv: v128, lenField: u32): u32 {
  let h: u64 = (<u64>i64x2.extract_lane(kv, 0) ^ (<u64>lenField * M2)) * M1;
  h ^= h >> 32;
  h = (h ^ <u64>i64x2.extract_lane(kv, 1)) * M1;
  h ^= h >> 33;
  h *= M2;
  h ^= h >> 29;
  return <u32>h;
}

/** Finds the slot for a key of at most 16 bytes (zero-padded in `kv`): the matching one, or the empty one. */
// @ts-ignore: decorator
@inline
export function findShort(slots: usize, mask: u32, h: u32, kv: v128, lenField: u32): usize {
  // One u64 load compares hash and length together, and one v128 the inline key.
  if (SLOT_LEN != SLOT_HASH + 4 || SLOT_KEY_BYTES != 16) ERROR('WordSlot: len must follow hash, and keys be 16 bytes');
  const tag = (<u64>lenField << 32) | <u64>h;
  let i = h & mask;
  while (true) {
    const s = slots + (<usize>i << SLOT_SHIFT);
    const head = load<u64>(s);
    if (head == tag && !v128.any_true(v128.xor(v128.load(s, SLOT_KEY), kv))) return s;
    if ((head >> 32) == 0) return s;
    i = (i + 1) & mask;
  }
}

/** Address of the key bytes of an occupied slot. */
// @ts-ignore: decorator
@inline
export function keyOf(s: usize): usize {
  return (load<u32>(s, SLOT_LEN) & ~RAW) <= INLINE ? s + SLOT_KEY : <usize>load<u32>(s, SLOT_KEY);
}

/** Partition of a hash among `parts` (high bits; slots use the low bits). */
// @ts-ignore: decorator
@inline
export function partitionOf(h: u32, parts: u32): u32 {
  return <u32>((<u64>h * <u64>parts) >> 32);
}

/** Finds the slot for a key of more than 16 bytes at `kp`: the matching one, or the empty one. */
// @ts-ignore: decorator
@inline
export function findLong(slots: usize, mask: u32, h: u32, kp: usize, lenField: u32): usize {
  const n = lenField & ~RAW;
  let i = h & mask;
  while (true) {
    const s = slots + (<usize>i << SLOT_SHIFT);
    const len = load<u32>(s, SLOT_LEN);
    if (len == 0) return s;
    if (load<u32>(s, SLOT_HASH) == h && len == lenField && keysEqual(<usize>load<u32>(s, SLOT_KEY), kp, n)) return s;
    i = (i + 1) & mask;
  }
}

/** Re-inserts every entry of the table at `st` into a new slot array (`slots`, `mask`), and switches to it. */
export function rehashTable(st: usize, slots: usize, mask: u32): void {
  // A slot is copied as two v128 halves.
  if (SLOT_BYTES != 32 || SLOT_KEY != 16) ERROR('WordSlot: slots are copied as two 16-byte halves');
  memory.fill(slots, 0, (<usize>mask + 1) << SLOT_SHIFT);
  const old = <usize>load<u32>(st, STATE_SLOTS);
  const oldMask = load<u32>(st, STATE_MASK);
  for (let i: u32 = 0; i <= oldMask; i++) {
    const s = old + (<usize>i << SLOT_SHIFT);
    if (load<u32>(s, SLOT_LEN) == 0) continue;
    let j = load<u32>(s, SLOT_HASH) & mask;
    while (load<u32>(slots + (<usize>j << SLOT_SHIFT), SLOT_LEN) != 0) j = (j + 1) & mask;
    const d = slots + (<usize>j << SLOT_SHIFT);
    v128.store(d, v128.load(s));
    v128.store(d, v128.load(s, SLOT_KEY), SLOT_KEY);
  }
  store<u32>(st, <u32>slots, STATE_SLOTS);
  store<u32>(st, mask, STATE_MASK);
}
