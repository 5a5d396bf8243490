// Word-count kernel (the tokenization of docs/ARCHITECTURE.md) for multithreaded WebAssembly over one shared memory.
//
// The host owns the memory layout: it assigns each thread a table state (WordTableState, see lib/wordtable.ts) and
// input splits
// that start and end at separators. `count` scans a split with an ASCII fast path and the generated Unicode tables,
// writes each word lower-cased (UTF-8) into the thread's key arena and counts it in the thread's open-addressing
// table; it stops early, reporting how far it got, when the table or arena needs growing. Then `stats` and `merge`
// combine the thread tables by hash partition, in parallel, into per-partition key blobs and counts for the host.
import { UNI_VERSION } from './generated/unicode';
import { ASCII_CLASS, decodeAt, propOf, putUtf8 } from './lib/utf8';
import {
  RAW, SLOT_COUNT, SLOT_HASH, SLOT_KEY, SLOT_LEN, SLOT_SHIFT, STATE_AEND, STATE_ATOP, STATE_BYTES, STATE_LIMIT,
  STATE_MASK, STATE_ORDER, STATE_SLOTS, STATE_STATUS, STATE_TOTAL, STATE_USED,
} from './generated/wordcount-layout';
import {
  INLINE, findLong, findShort, hashKey, hashShort, shortMask, keyOf, partitionOf, rehashTable,
} from './lib/wordtable';

/** 0xFF in each lane holding an ASCII letter or digit. */
// @ts-ignore: decorator
@inline
function asciiWordLanes(v: v128): v128 {
  const alpha = i8x16.lt_u(i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(26));
  const digit = i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(10));
  return v128.or(alpha, digit);
}

/** Where the host may start its own allocations. */
export function heapBase(): usize {
  return __heap_base;
}

/** Unicode version of the generated tables (major * 100 + minor). */
export function unicodeVersion(): i32 {
  return UNI_VERSION;
}

/** Sets up a table state: an empty slot array (zeroed here), its occupancy limit, a key arena and an order array. */
export function initTable(
  st: usize, slots: usize, mask: u32, limit: u32, arena: usize, arenaEnd: usize, order: usize,
): void {
  memory.fill(st, 0, STATE_BYTES);
  memory.fill(slots, 0, (<usize>mask + 1) << SLOT_SHIFT);
  store<u32>(st, <u32>slots, STATE_SLOTS);
  store<u32>(st, mask, STATE_MASK);
  store<u32>(st, limit, STATE_LIMIT);
  store<u32>(st, <u32>arena, STATE_ATOP);
  store<u32>(st, <u32>arenaEnd, STATE_AEND);
  store<u32>(st, <u32>order, STATE_ORDER);
}

/** Moves the table at `st` to a larger slot array; the host sets the new limit. */
export function rehash(st: usize, slots: usize, mask: u32, limit: u32): void {
  rehashTable(st, slots, mask);
  store<u32>(st, limit, STATE_LIMIT);
}

/**
 * Counts the words of the `len` bytes at `ptr` into the table at `st`. Returns the bytes consumed: `len` when done,
 * less when the table is full (status 1; the rest starts at a word) or the arena is low (status 2, returns 0).
 * Reads up to 15 bytes past the input and writes up to 15 past a key (the host leaves that slack).
 * The arena must have 4 * len + 64 free bytes (keys grow at most 1.5× when lower-cased).
 */
export function count(st: usize, ptr: usize, len: u32): u32 {
  const end = ptr + <usize>len;
  let atop = <usize>load<u32>(st, STATE_ATOP);
  if (<usize>load<u32>(st, STATE_AEND) - atop < (<usize>len << 2) + 64) {
    store<u32>(st, 2, STATE_STATUS);
    return 0;
  }
  const slots = <usize>load<u32>(st, STATE_SLOTS);
  const mask = load<u32>(st, STATE_MASK);
  const limit = load<u32>(st, STATE_LIMIT);
  let used = load<u32>(st, STATE_USED);
  let total: u64 = 0;
  let status: u32 = 0;
  let i = ptr;
  let known = false; // i is known to start a word or a non-ASCII character
  while (i < end) {
    if (!known) {
      // Skip separators 16 bytes at a time: stop at an ASCII word byte or any non-ASCII byte.
      const v = v128.load(i);
      let m = <u32>(i8x16.bitmask(v128.or(asciiWordLanes(v), v)));
      if (end - i < 16) m &= (<u32>1 << <u32>(end - i)) - 1;
      if (m == 0) {
        i += 16;
        continue;
      }
      i += <usize>ctz(m);
    }
    known = false;
    const start = i;
    const kp = atop;
    let lenField: u32 = 0;
    let kv = i64x2.splat(0);
    let fast = false;
    if (load<u8>(i) < 0x80) {
      // ASCII fast path: a word of at most 15 bytes ended by an ASCII byte is lower-cased and keyed in registers.
      const x = v128.load(i);
      const alpha = i8x16.lt_u(i8x16.sub(v128.or(x, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(26));
      const digit = i8x16.lt_u(i8x16.sub(x, i8x16.splat(0x30)), i8x16.splat(10));
      const wm = <u32>i8x16.bitmask(v128.or(alpha, digit));
      let run = <usize>ctz(~wm);
      if (run > end - i) run = end - i;
      if (run < 16 && (i + run >= end || load<u8>(i + run) < 0x80)) {
        fast = true;
        lenField = <u32>run;
        kv = v128.and(v128.or(x, v128.and(alpha, i8x16.splat(0x20))), shortMask(<u32>run));
        // The next word often starts in the same 16 bytes: find it without another separator scan.
        let next = (wm | <u32>i8x16.bitmask(x)) & ~((<u32>2 << <u32>run) - 1);
        if (end - i < 16) next &= (<u32>1 << <u32>(end - i)) - 1;
        if (next) {
          i += <usize>ctz(next);
          known = true;
        } else i += run;
      }
    }
    if (!fast) {
      let w = kp;
      let raw: i32 = 0;
      // ASCII bytes, 16 at a time, lower-cased into the arena.
      while (i < end && load<u8>(i) < 0x80) {
        const x = v128.load(i);
        const alpha = i8x16.lt_u(i8x16.sub(v128.or(x, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(26));
        const digit = i8x16.lt_u(i8x16.sub(x, i8x16.splat(0x30)), i8x16.splat(10));
        v128.store(w, v128.or(x, v128.and(alpha, i8x16.splat(0x20))));
        let run = <usize>ctz(~<u32>i8x16.bitmask(v128.or(alpha, digit)));
        if (run > end - i) run = end - i;
        w += run;
        i += run;
        if (run < 16) break;
      }
      // Scalar path from a non-ASCII byte: decode, classify, lower-case with the generated tables.
      while (i < end) {
        const t = <u32>load<u8>(ASCII_CLASS + <usize>load<u8>(i));
        if (t == 0) break;
        if (t < 0x80) {
          store<u8>(w, t);
          w++;
          i++;
          continue;
        }
        const d = decodeAt(i, end);
        if (d == 0) break;
        const p = propOf(d & 0x1fffff);
        if ((p & 1) == 0) {
          if (w == kp) i += <usize>(d >> 24);
          break;
        }
        raw |= p & 2;
        w = putUtf8(w, <u32>(<i32>(d & 0x1fffff) + (p >> 2)));
        i += <usize>(d >> 24);
      }
      if (w == kp) {
        if (i == start) i++; // an invalid byte: one separator
        continue;
      }
      let n = <u32>(w - kp);
      if (raw) {
        // Σ or İ: keep the original bytes; the host applies toLowerCase (final sigma, multi-character mappings).
        n = <u32>(i - start);
        memory.copy(kp, start, n);
      }
      lenField = raw ? n | RAW : n;
      if (n <= INLINE) kv = v128.and(v128.load(kp), shortMask(n));
    }
    const n = lenField & ~RAW;
    let s: usize;
    let h: u32;
    if (n <= INLINE) {
      h = hashShort(kv, lenField);
      s = findShort(slots, mask, h, kv, lenField);
    } else {
      h = hashKey(kp, n, lenField);
      s = findLong(slots, mask, h, kp, lenField);
    }
    if (load<u32>(s, SLOT_LEN) == 0) {
      if (used >= limit) {
        status = 1;
        i = start;
        break;
      }
      store<u32>(s, h, SLOT_HASH);
      store<u32>(s, lenField, SLOT_LEN);
      store<u64>(s, 1, SLOT_COUNT);
      if (n <= INLINE) v128.store(s, kv, SLOT_KEY);
      else {
        store<u32>(s, <u32>kp, SLOT_KEY);
        atop = kp + <usize>n;
      }
      used++;
    } else {
      store<u64>(s, load<u64>(s, SLOT_COUNT) + 1, SLOT_COUNT);
    }
    total++;
  }
  if (i > end) i = end; // separator skipping steps 16 bytes at a time
  store<u32>(st, <u32>atop, STATE_ATOP);
  store<u32>(st, used, STATE_USED);
  store<u64>(st, load<u64>(st, STATE_TOTAL) + total, STATE_TOTAL);
  store<u32>(st, status, STATE_STATUS);
  return <u32>(i - ptr);
}

/** Adds, per partition p < parts, the table's key count to out[2p] and key bytes (+2 each) to out[2p+1] (u32). */
export function stats(st: usize, parts: u32, out: usize): void {
  const slots = <usize>load<u32>(st, STATE_SLOTS);
  const mask = load<u32>(st, STATE_MASK);
  for (let i: u32 = 0; i <= mask; i++) {
    const s = slots + (<usize>i << SLOT_SHIFT);
    const len = load<u32>(s, SLOT_LEN);
    if (len == 0) continue;
    const o = out + (<usize>partitionOf(load<u32>(s, SLOT_HASH), parts) << 3);
    store<u32>(o, load<u32>(o) + 1);
    store<u32>(o, load<u32>(o, 4) + (len & ~RAW) + 2, 4);
  }
}

/**
 * Merges partition `p` of the `nSrc` tables whose states are listed (u32) at `srcs` into a new table at `dst`, set
 * up here over `mask + 1` slots at `slots` (room for every key: it never grows) and an insertion-order array at
 * `order`; its keys point into the source arenas. Setting it up here zeroes the slots on the thread that merges.
 * Then writes, in insertion order, each key followed by '\n' (a raw key prefixed by byte 1) at `blob`, its count
 * as f64 at `counts`, and the blob offset just past its '\n' as u32 at `ends`. Returns the blob's length.
 */
export function merge(
  dst: usize, slots: usize, mask: u32, order: usize, srcs: usize, nSrc: u32, parts: u32, p: u32,
  blob: usize, counts: usize, ends: usize,
): u32 {
  initTable(dst, slots, mask, mask + 1, 0, 0, order);
  let used: u32 = 0;
  let total: u64 = 0;
  for (let k: u32 = 0; k < nSrc; k++) {
    const src = <usize>load<u32>(srcs + (<usize>k << 2));
    const sSlots = <usize>load<u32>(src, STATE_SLOTS);
    const sMask = load<u32>(src, STATE_MASK);
    for (let i: u32 = 0; i <= sMask; i++) {
      const s = sSlots + (<usize>i << SLOT_SHIFT);
      const lenField = load<u32>(s, SLOT_LEN);
      if (lenField == 0) continue;
      const h = load<u32>(s, SLOT_HASH);
      if (partitionOf(h, parts) != p) continue;
      const c = load<u64>(s, SLOT_COUNT);
      total += c;
      const d = (lenField & ~RAW) <= INLINE
        ? findShort(slots, mask, h, v128.load(s, SLOT_KEY), lenField)
        : findLong(slots, mask, h, keyOf(s), lenField);
      if (load<u32>(d, SLOT_LEN) == 0) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, SLOT_KEY), SLOT_KEY);
        store<u32>(order + (<usize>used << 2), <u32>((d - slots) >> SLOT_SHIFT));
        used++;
      } else {
        store<u64>(d, load<u64>(d, SLOT_COUNT) + c, SLOT_COUNT);
      }
    }
  }
  store<u32>(dst, used, STATE_USED);
  store<u64>(dst, total, STATE_TOTAL);
  let w = blob;
  for (let j: u32 = 0; j < used; j++) {
    const d = slots + (<usize>load<u32>(order + (<usize>j << 2)) << SLOT_SHIFT);
    const lenField = load<u32>(d, SLOT_LEN);
    const n = <usize>(lenField & ~RAW);
    if (lenField & RAW) {
      store<u8>(w, 1);
      w++;
    }
    memory.copy(w, keyOf(d), n);
    w += n;
    store<u8>(w, 10);
    w++;
    store<f64>(counts + (<usize>j << 3), <f64>load<u64>(d, SLOT_COUNT));
    store<u32>(ends + (<usize>j << 2), <u32>(w - blob));
  }
  return <u32>(w - blob);
}
