/**
 * Queue and SimpleQueue: Python's multiprocessing queues. Any number of producers and consumers, on the host and in
 * workers; items are copied (structured-clone data of any size, src/sync/serialize.ts) through a byte channel in
 * shared memory (src/sync/byte-channel.ts). `put`/`get` block (workers, Node's main thread); `putAsync`/`getAsync`
 * work everywhere.
 */
import { boolean, intInRange, optional, optionsObject } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { ByteChannel, Outcome } from './byte-channel.js';
import { ClosedError, QueueEmptyError, QueueFullTimeoutError } from './errors.js';
import { deserialize, serialize } from './serialize.js';
import { runAsync, runBlocking } from './steps.js';
import { deadlineOf } from './wait.js';
import { adoptHeaps, ensureHeap, knownHeaps } from './heap.js';

export interface QueueOptions {
  /** At most this many items queued (default 0: no limit); `put` waits for room. */
  maxsize?: number;
  /** Bytes of shared ring buffer (default 256 KiB). Items larger than this still pass, streamed through it. */
  capacity?: number;
}

export interface PutOptions {
  /** false: do not wait for room (Python's block=False). Default true. */
  block?: boolean;
  /** Milliseconds to wait for room; then QueueFullError. */
  timeout?: number;
}

export interface GetOptions {
  /** false: do not wait for an item. Default true. */
  block?: boolean;
  /** Milliseconds to wait for an item; then QueueEmptyError. */
  timeout?: number;
}

const DEFAULT_CAPACITY = 256 * 1024;

export class Queue<T = unknown> {
  /** @internal */
  readonly channel: ByteChannel;

  constructor(options?: QueueOptions, /** @internal */ shared?: Int32Array) {
    if (shared) this.channel = new ByteChannel(shared);
    else {
      const opts = optionsObject(
        options,
        'options',
        new.target === SimpleQueue ? ['capacity'] : ['maxsize', 'capacity'],
      );
      const maxsize = optional(opts.maxsize, 'options.maxsize', (v, path) => intInRange(v, path, 0)) ?? 0;
      const capacity =
        optional(opts.capacity, 'options.capacity', (v, path) =>
          intInRange(v, path, 1024, 2 ** 30, 'bytes, 1 KiB to 1 GiB'),
        ) ?? DEFAULT_CAPACITY;
      this.channel = ByteChannel.create(capacity, maxsize, new.target.name);
      ensureHeap(new.target.name);
    }
    markShareable(this, queueCodecs.get(new.target) ?? queueType);
  }

  /** Puts `item` (a copy), waiting for room when the queue is bounded and full. */
  put(item: T, options?: PutOptions): void {
    const deadline = callDeadline(options);
    const bytes = serialize(item);
    this.counted(1);
    let out = Outcome.Closed;
    try {
      out = runBlocking(this.channel.put(bytes, deadline), 'Queue.put');
    } finally {
      this.afterPut(out, options);
    }
  }

  async putAsync(item: T, options?: PutOptions): Promise<void> {
    const deadline = callDeadline(options);
    // Copied: the serializer's buffer is reused by the next put on this thread, which may run while this one waits.
    const bytes = serialize(item).slice();
    this.counted(1);
    let out = Outcome.Closed;
    try {
      out = await runAsync(this.channel.put(bytes, deadline));
    } finally {
      this.afterPut(out, options);
    }
  }

  /** Equivalent to `put(item, { block: false })`. */
  putNowait(item: T): void {
    this.put(item, { block: false });
  }

  /** Takes the oldest item, waiting for one (up to `timeout`); QueueEmptyError when none came. */
  get(options?: GetOptions): T {
    const out = runBlocking(this.channel.get(callDeadline(options), bytesFor), 'Queue.get');
    return this.afterGet(out, options);
  }

  async getAsync(options?: GetOptions): Promise<T> {
    const out = await runAsync(this.channel.get(callDeadline(options), bytesFor));
    return this.afterGet(out, options);
  }

  getNowait(): T {
    return this.get({ block: false });
  }

  /** Items queued now (a snapshot: others may be putting and getting). */
  qsize(): number {
    return this.channel.size();
  }

  empty(): boolean {
    return !this.channel.hasMessage();
  }

  full(): boolean {
    const max = this.channel.maxsize;
    return max > 0 && this.channel.size() >= max;
  }

  get maxsize(): number {
    return this.channel.maxsize;
  }

  /** No more items may be put (by anyone); getters drain what is left, then get ClosedError instead of waiting. */
  close(): void {
    this.channel.close();
  }

  /** @internal Counts an item about to be put (+1) or that could not be (-1); JoinableQueue's unfinished count. */
  protected counted(_delta: number): void {}

  private afterPut(out: Outcome, options: PutOptions | undefined): void {
    if (out !== Outcome.Ok) this.counted(-1);
    if (out === Outcome.TimedOut)
      throw new QueueFullTimeoutError(this.channel.maxsize, options?.block === false ? 0 : options?.timeout);
    if (out === Outcome.Closed) throw new ClosedError('put() on a closed queue');
  }

  private afterGet(out: Uint8Array | Outcome, options: GetOptions | undefined): T {
    if (out === Outcome.TimedOut) throw new QueueEmptyError(options?.block === false ? 0 : options?.timeout);
    if (out === Outcome.Closed) throw new ClosedError('get() on a closed queue with nothing left');
    return deserialize(out as Uint8Array) as T;
  }
}

/** Python's SimpleQueue: an unbounded Queue. */
export class SimpleQueue<T = unknown> extends Queue<T> {
  constructor(options?: Omit<QueueOptions, 'maxsize'>, /** @internal */ shared?: Int32Array) {
    super(options, shared);
  }
}

const bytesFor = (n: number) => new Uint8Array(n);

/** The deadline `options` ({ block, timeout }, both optional) ask for; a non-blocking call has one of now. */
function callDeadline(options: PutOptions | GetOptions | undefined): number {
  const opts = optionsObject(options, 'options', ['block', 'timeout']);
  const block = optional(opts.block, 'options.block', boolean) ?? true;
  const deadline = deadlineOf(opts.timeout as number | undefined, 'options.timeout');
  return block ? deadline : deadlineOf(0);
}

/** A queue's channel, and the heaps its sender knows: items may hold primitives that live there. */
export interface QueueDescriptor {
  words: Int32Array;
  heaps: SharedArrayBuffer[];
}

/** The descriptor of `q`. */
export const queueDescriptor = (q: Queue): QueueDescriptor => ({ words: q.channel.words, heaps: knownHeaps() });

/** The channel of a descriptor, its heaps adopted first. */
export function queueWords(d: QueueDescriptor): Int32Array {
  adoptHeaps(d.heaps);
  return d.words;
}

export const queueType = defineShareable<Queue, QueueDescriptor>({
  tag: 'poolkit.Queue',
  encode: queueDescriptor,
  revive: (d) => new Queue(undefined, queueWords(d)),
});

export const simpleQueueType = defineShareable<SimpleQueue, QueueDescriptor>({
  tag: 'poolkit.SimpleQueue',
  encode: queueDescriptor,
  revive: (d) => new SimpleQueue(undefined, queueWords(d)),
});

/** Subclasses register their codec here so the base constructor marks instances with the right one. */
export const queueCodecs = new Map<object, typeof queueType>([[SimpleQueue, simpleQueueType]]);
