/**
 * The sync heap: SharedArrayBuffers of 1 MiB in which the small primitives (Lock, RLock, Semaphore, Event, Condition,
 * Barrier, Value) keep their words. A word there is named by (heap id, offset), numbers that can be written into a
 * Queue or Pipe item as bytes, so a primitive can travel inside an item (a Queue of Locks) to any thread that knows
 * the heap. Structured clone carries heaps to other threads: the descriptors of Queues, Pipes and Manager proxies list
 * the heaps their sender knows, and a thread that receives one adopts them (and allocates in the first, so the
 * primitives it makes live where its peers can find them).
 *
 * Allocation only bumps an offset: a primitive's words are never reused (4 to 16 bytes each), since no thread can
 * know that every other has dropped it. A full heap is followed by a new one.
 *
 * Words of a heap: [0] its id, [1] bytes handed out, [2] a magic number, [3] the id's complement.
 */
import { invalid } from '../core/validate.js';
import { SharedMemoryUnavailableError } from './shared-memory.js';

const HEAP_BYTES = 1 << 20;
const HEADER_BYTES = 16;
const MAGIC = 0x706f6f6c;

interface Heaps {
  /** Where this thread allocates. */
  current: Int32Array | undefined;
  byId: Map<number, SharedArrayBuffer>;
}

// One per thread, shared by every copy of this module the thread loads (as the shareable registry is).
const heaps: Heaps = ((globalThis as Record<symbol, Heaps | undefined>)[Symbol.for('poolkit.syncHeaps')] ??= {
  current: undefined,
  byId: new Map(),
});

function newHeap(what: string): Int32Array {
  if (typeof SharedArrayBuffer !== 'function') throw new SharedMemoryUnavailableError(what);
  const words = new Int32Array(new SharedArrayBuffer(HEAP_BYTES));
  let id = 0;
  while (id === 0 || heaps.byId.has(id)) id = (Math.random() * 0x7fffffff) | 0;
  words[0] = id;
  words[1] = HEADER_BYTES;
  words[2] = MAGIC;
  words[3] = ~id;
  heaps.byId.set(id, words.buffer as SharedArrayBuffer);
  return words;
}

/**
 * Makes sure this thread has a heap. Queues, Pipes and Managers call it when made: their descriptors then carry it,
 * so the primitives made after them (in it) can still travel through them.
 */
export function ensureHeap(what: string): void {
  heaps.current ??= newHeap(what);
}

/** `bytes` zeroed bytes in a heap, aligned to 8: the buffer and the offset. */
export function heapBytes(bytes: number, what: string): { buffer: SharedArrayBuffer; byteOffset: number } {
  const size = (bytes + 7) & ~7;
  for (;;) {
    const h = (heaps.current ??= newHeap(what));
    const at = Atomics.add(h, 1, size);
    if (at + size <= HEAP_BYTES) return { buffer: h.buffer as SharedArrayBuffer, byteOffset: at };
    // Full (the failed add is harmless: every later one fails too).
    heaps.current = newHeap(what);
  }
}

/** `words` zeroed Int32 words in a heap. */
export function heapInt32(words: number, what: string): Int32Array {
  const { buffer, byteOffset } = heapBytes(4 * words, what);
  return new Int32Array(buffer, byteOffset, words);
}

/** The id of the heap `buffer` is, or undefined when it is none (checked by its header, for buffers not seen yet). */
export function heapIdOf(buffer: ArrayBufferLike): number | undefined {
  if (buffer.byteLength !== HEAP_BYTES || !(buffer instanceof SharedArrayBuffer)) return undefined;
  const h = new Int32Array(buffer, 0, 4);
  const id = Atomics.load(h, 0);
  if (Atomics.load(h, 2) !== MAGIC || Atomics.load(h, 3) !== ~id) return undefined;
  if (!heaps.byId.has(id)) adoptHeaps([buffer]);
  return id;
}

/** The heap with this id, if this thread knows it. */
export function heapById(id: number): SharedArrayBuffer | undefined {
  return heaps.byId.get(id);
}

/** The heaps this thread knows, for a descriptor to carry. */
export function knownHeaps(): SharedArrayBuffer[] {
  return [...heaps.byId.values()];
}

/** Learns heaps another thread sent; the first becomes this thread's own if it has none yet. */
export function adoptHeaps(buffers: readonly SharedArrayBuffer[] | undefined): void {
  if (!buffers) return;
  for (const b of buffers) {
    const h = new Int32Array(b, 0, 4);
    const id = h[0]!;
    if (h[2] !== MAGIC || h[3] !== ~id || heaps.byId.has(id)) continue;
    heaps.byId.set(id, b);
    heaps.current ??= new Int32Array(b);
  }
}

/**
 * The words a primitive revived in another thread was handed (`shared`, at least `words` long), or new ones when
 * there are none. Only revival passes words, so anything else is a caller passing an argument the constructor does
 * not take.
 */
export function ownWords(shared: unknown, words: number, what: string): Int32Array {
  if (shared === undefined) return heapInt32(words, what);
  if (
    shared instanceof Int32Array &&
    shared.length >= words &&
    typeof SharedArrayBuffer === 'function' &&
    shared.buffer instanceof SharedArrayBuffer
  )
    return shared;
  throw invalid(
    'shared',
    `no argument (${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what} allocates its own shared memory)`,
    shared,
  );
}
