/**
 * A channel of byte messages in one SharedArrayBuffer, for many writers and many readers on any threads: a ring of
 * bytes with a single writer and a single reader at a time (a put lock and a get lock take turns). A message longer
 * than the ring streams through it: the writer fills what is free while the reader drains, so a message's size is
 * not limited by the ring's. The algorithms are step generators (src/sync/steps.ts): blocking and async forms share
 * them.
 *
 * A writer or reader that dies in the middle of a message leaves the channel stuck for the others (as a Python
 * process killed while writing to a Queue's pipe does): the wait of the others ends only at their timeouts.
 */
import { sharedInt32 } from './shared-memory.js';
import { lockSteps, notifySleepers, unlockWord, type Steps } from './steps.js';
import type { Deadline } from './wait.js';

const PUT_LOCK = 0;
const GET_LOCK = 1;
/** Bytes written, ever (wraps at 2^32; only differences count). */
const HEAD = 2;
/** Bytes read, ever. */
const TAIL = 3;
/** Messages whose length is in the ring and that no reader has claimed yet. */
const READY = 4;
/** Messages put (or being put) and not yet claimed: what `qsize` reports and `maxsize` bounds. */
const SIZE = 5;
const CLOSED = 6;
const MAXSIZE = 7;
/** Free for the layer above (JoinableQueue's unfinished tasks). */
export const USER_WORD = 8;
/** Threads asleep on HEAD, TAIL, READY or SIZE: the other side notifies only when there are some. */
const SLEEPERS = 9;
const HEADER_WORDS = 16;

/** What a put or get ended with, besides success. */
export const enum Outcome {
  Ok,
  TimedOut,
  Closed,
}

export class ByteChannel {
  readonly words: Int32Array;
  private readonly ring: Uint8Array;
  private readonly mask: number;
  /** Length prefixes, one for each side: an async put and get on one thread may both be midway. */
  private readonly putHeader = new Uint8Array(4);
  private readonly putHeaderView = new DataView(this.putHeader.buffer);
  private readonly getHeader = new Uint8Array(4);
  private readonly getHeaderView = new DataView(this.getHeader.buffer);

  /** `capacity`: ring bytes, rounded up to a power of two. `maxsize`: messages at most (0: unbounded). */
  static create(capacity: number, maxsize: number, what: string): ByteChannel {
    let cap = 1024;
    while (cap < capacity) cap *= 2;
    const words = sharedInt32(HEADER_WORDS + cap / 4, what);
    words[MAXSIZE] = maxsize;
    return new ByteChannel(words);
  }

  constructor(words: Int32Array) {
    this.words = words;
    this.ring = new Uint8Array(words.buffer, words.byteOffset + HEADER_WORDS * 4, words.byteLength - HEADER_WORDS * 4);
    this.mask = this.ring.length - 1;
  }

  get maxsize(): number {
    return this.words[MAXSIZE]!;
  }

  size(): number {
    return Math.max(0, Atomics.load(this.words, SIZE));
  }

  closed(): boolean {
    return Atomics.load(this.words, CLOSED) === 1;
  }

  /** No more puts; readers that find nothing left get Outcome.Closed instead of waiting. */
  close(): void {
    Atomics.store(this.words, CLOSED, 1);
    Atomics.notify(this.words, READY);
    Atomics.notify(this.words, SIZE);
  }

  /**
   * Writes one message. The deadline bounds the wait for room under `maxsize` and for the put lock; once the message
   * has started it is finished whatever the time (a half-written message cannot be taken back).
   */
  *put(msg: Uint8Array, deadline: Deadline): Steps<Outcome> {
    const w = this.words;
    if (this.closed()) return Outcome.Closed;
    const max = w[MAXSIZE]!;
    if (max > 0) {
      for (;;) {
        const n = Atomics.load(w, SIZE);
        if (n < max) {
          if (Atomics.compareExchange(w, SIZE, n, n + 1) === n) break;
          continue;
        }
        if (!(yield [w, SIZE, n, deadline, SLEEPERS])) return Outcome.TimedOut;
        if (this.closed()) return Outcome.Closed;
      }
    } else Atomics.add(w, SIZE, 1);
    if (!(yield* lockSteps(w, PUT_LOCK, deadline))) {
      this.unreserve();
      return Outcome.TimedOut;
    }
    try {
      this.putHeaderView.setUint32(0, msg.length, true);
      if (this.writeWhole(msg)) {
        // All of it is in the ring: a reader never waits for its bytes.
        Atomics.add(w, READY, 1);
        notifySleepers(w, READY, SLEEPERS, 1);
      } else {
        // Longer than the room left: announce it after its length, so a reader drains the ring while it streams.
        yield* this.write(this.putHeader);
        Atomics.add(w, READY, 1);
        notifySleepers(w, READY, SLEEPERS, 1);
        yield* this.write(msg);
      }
    } finally {
      unlockWord(w, PUT_LOCK);
    }
    return Outcome.Ok;
  }

  /** Reads one message; `into(length)` gives the buffer to read it into. */
  *get(
    deadline: Deadline,
    into: (length: number) => Uint8Array,
  ): Steps<Uint8Array | Outcome.TimedOut | Outcome.Closed> {
    const w = this.words;
    if (!(yield* lockSteps(w, GET_LOCK, deadline))) return Outcome.TimedOut;
    try {
      for (;;) {
        const ready = Atomics.load(w, READY);
        if (ready > 0) break;
        if (this.closed()) return Outcome.Closed;
        if (!(yield [w, READY, ready, deadline, SLEEPERS])) return Outcome.TimedOut;
      }
      Atomics.sub(w, READY, 1);
      yield* this.read(this.getHeader);
      const msg = into(this.getHeaderView.getUint32(0, true));
      yield* this.read(msg);
      this.unreserve();
      return msg;
    } finally {
      unlockWord(w, GET_LOCK);
    }
  }

  /** Waits until a message is ready or the channel is closed; false when the deadline passed first. */
  *poll(deadline: Deadline): Steps<boolean> {
    const w = this.words;
    for (;;) {
      const ready = Atomics.load(w, READY);
      if (ready > 0 || this.closed()) return true;
      if (!(yield [w, READY, ready, deadline, SLEEPERS])) return false;
    }
  }

  /** Polls, without sleeping, until a message is ready or the channel is closed (true) or `until` passes (false). */
  pollUntil(until: number): boolean {
    for (;;) {
      for (let i = 0; i < 64; i++)
        if (Atomics.load(this.words, READY) > 0 || Atomics.load(this.words, CLOSED) === 1) return true;
      if (performance.now() >= until) return false;
    }
  }

  /** True when a message is ready to be read (a snapshot). */
  hasMessage(): boolean {
    return Atomics.load(this.words, READY) > 0;
  }

  private unreserve(): void {
    Atomics.sub(this.words, SIZE, 1);
    notifySleepers(this.words, SIZE, SLEEPERS, 1);
  }

  /** Writes the header and `msg` in one go if the ring has room for both now; false (nothing written) if not. */
  private writeWhole(msg: Uint8Array): boolean {
    const w = this.words;
    const cap = this.ring.length;
    const head = w[HEAD]!;
    const n = 4 + msg.length;
    if (cap - ((head - Atomics.load(w, TAIL)) | 0) < n) return false;
    this.copyIn(this.putHeader, head);
    this.copyIn(msg, head + 4);
    Atomics.store(w, HEAD, (head + n) | 0);
    notifySleepers(w, HEAD, SLEEPERS);
    return true;
  }

  /** Copies `src` into the ring at stream position `pos`, wrapping at the end. */
  private copyIn(src: Uint8Array, pos: number): void {
    const at = pos & this.mask;
    const first = Math.min(src.length, this.ring.length - at);
    if (first === src.length && first <= 8) for (let i = 0; i < first; i++) this.ring[at + i] = src[i]!;
    else {
      this.ring.set(first === src.length ? src : src.subarray(0, first), at);
      if (first < src.length) this.ring.set(src.subarray(first), 0);
    }
  }

  private *write(src: Uint8Array): Steps<void> {
    const w = this.words;
    const cap = this.ring.length;
    let done = 0;
    while (done < src.length) {
      const head = w[HEAD]!;
      const tail = Atomics.load(w, TAIL);
      const free = cap - ((head - tail) | 0);
      if (free === 0) {
        yield [w, TAIL, tail, Infinity, SLEEPERS];
        continue;
      }
      const n = Math.min(free, src.length - done);
      const at = head & this.mask;
      const first = Math.min(n, cap - at);
      this.ring.set(src.subarray(done, done + first), at);
      if (first < n) this.ring.set(src.subarray(done + first, done + n), 0);
      done += n;
      Atomics.store(w, HEAD, (head + n) | 0);
      notifySleepers(w, HEAD, SLEEPERS);
    }
  }

  private *read(dst: Uint8Array): Steps<void> {
    const w = this.words;
    const cap = this.ring.length;
    let done = 0;
    while (done < dst.length) {
      const tail = w[TAIL]!;
      const head = Atomics.load(w, HEAD);
      const used = (head - tail) | 0;
      if (used === 0) {
        yield [w, HEAD, head, Infinity, SLEEPERS];
        continue;
      }
      const n = Math.min(used, dst.length - done);
      const at = tail & this.mask;
      const first = Math.min(n, cap - at);
      if (first === n && n <= 8) for (let i = 0; i < n; i++) dst[done + i] = this.ring[at + i]!;
      else {
        dst.set(this.ring.subarray(at, at + first), done);
        if (first < n) dst.set(this.ring.subarray(0, n - first), done + first);
      }
      done += n;
      Atomics.store(w, TAIL, (tail + n) | 0);
      notifySleepers(w, TAIL, SLEEPERS);
    }
  }
}
