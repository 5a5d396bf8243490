/**
 * Manager: Python's multiprocessing.Manager. The thread that creates it keeps the objects (dicts, lists,
 * namespaces) and serves operations on them from its event loop, so it never blocks; proxies sent to workers call
 * it synchronously: a request goes through a shared request queue, the answer comes back through a reply channel
 * the caller holds for the call. On the manager's own thread a proxy works on the object directly.
 * Values are copied in and out (structured-clone data, primitives such as a Lock among them: src/sync/serialize.ts), as
 * Python's proxies pickle them.
 */
import { PoolkitError } from '../core/errors.js';
import { finiteNumber, invalid } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { ByteChannel, Outcome } from './byte-channel.js';
import { ClosedError } from './errors.js';
import { Lock } from './lock.js';
import { Queue, type QueueOptions } from './queue.js';
import { RLock } from './rlock.js';
import { deserialize, serialize } from './serialize.js';
import { sharedInt32 } from './shared-memory.js';
import { adoptHeaps, ensureHeap, knownHeaps } from './heap.js';
import { macrotask } from '../core/macrotask.js';
import { runAsync, runBlocking, runSoon, type Steps } from './steps.js';
import { Value, type ValueOptions } from './value.js';
import type { ElementOf, TypeCode } from './ctypes.js';

const SLOTS = 64;
/**
 * After answering, the manager polls for the next request this long before it goes back to its event loop: a
 * worker's next call usually follows its reply within tens of microseconds (a wake-up included on a busy machine),
 * far sooner than the event loop would come back to the request queue. Costs the host at most this much CPU per
 * request when calls are sparse.
 */
const NEXT_REQUEST_MS = 0.3;
/** A run of back-to-back requests holds the manager's thread at most this long before it lets its event loop run. */
const BURST_MS = 4;
const REPLY_CAPACITY = 16 * 1024;
/** Word SLOTS of the claim array counts frees, for callers waiting for a slot. */
const FREED = SLOTS;

type Request = [objectId: number, op: string, args: unknown[], slot: number];
type Reply = [ok: 0 | 1, value: unknown];

interface Link {
  requests: Int32Array;
  claims: Int32Array;
  replies: Int32Array[];
  /** Finds the served object when the proxy is on the manager's thread. */
  serverId: number;
}

/** Objects served, per manager, on the thread that serves them. */
const servers = ((globalThis as unknown as Record<symbol, Map<number, Map<number, unknown>> | undefined>)[
  Symbol.for('poolkit.managers')
] ??= new Map());
let nextServer = Math.floor(Math.random() * 2 ** 30);

export class Manager {
  private readonly link: Link;
  private readonly requests: ByteChannel;
  private readonly objects = new Map<number, unknown>();
  private nextObject = 1;
  private serving: Promise<void>;
  private stopped = false;

  constructor() {
    const requests = ByteChannel.create(256 * 1024, 0, 'Manager');
    ensureHeap('Manager');
    this.requests = requests;
    this.link = {
      requests: requests.words,
      claims: sharedInt32(SLOTS + 1, 'Manager'),
      replies: Array.from({ length: SLOTS }, () => ByteChannel.create(REPLY_CAPACITY, 0, 'Manager').words),
      serverId: nextServer++,
    };
    servers.set(this.link.serverId, this.objects);
    this.serving = this.serve();
  }

  /** A dict proxy (a Map on the manager's side), filled from `entries` if given. */
  dict<V = unknown>(entries?: Iterable<[unknown, V]> | Record<string, V>): DictProxy<V> {
    const m = new Map<unknown, V>();
    if (entries !== undefined) {
      if (typeof entries !== 'object' || entries === null)
        throw invalid('entries', 'an iterable of [key, value] pairs, an object or undefined', entries);
      const pairs = isIterable(entries) ? entries : Object.entries(entries);
      let i = 0;
      for (const pair of pairs) {
        if (!Array.isArray(pair) || pair.length !== 2) throw invalid(`entries[${i}]`, 'a [key, value] pair', pair);
        m.set(pair[0], copy(pair[1] as V));
        i++;
      }
    }
    return new DictProxy<V>(this.link, this.add(m));
  }

  /** A list proxy, filled from `items` if given. */
  list<V = unknown>(items?: Iterable<V>): ListProxy<V> {
    if (items !== undefined && !isIterable(items)) throw invalid('items', 'an iterable or undefined', items);
    return new ListProxy<V>(this.link, this.add(items ? Array.from(items, (v) => copy(v)) : []));
  }

  /** A namespace: a proxy whose properties live in the manager (`ns.x = 1` in a worker, read on the host). */
  Namespace(init?: Record<string, unknown>): Record<string, unknown> {
    if (init !== undefined && (typeof init !== 'object' || init === null || Array.isArray(init)))
      throw invalid('init', 'an object or undefined', init);
    return namespaceProxy(this.link, this.add(new Map(Object.entries(init ?? {}))));
  }

  /** Shared-memory primitives need no server: these are the plain ones, for code written against Python's API. */
  Value<T extends TypeCode>(type: T, initial?: ElementOf<T>, options?: ValueOptions): Value<T> {
    return new Value(type, initial, options);
  }

  Queue<T = unknown>(options?: QueueOptions): Queue<T> {
    return new Queue<T>(options);
  }

  Lock(): Lock {
    return new Lock();
  }

  RLock(): RLock {
    return new RLock();
  }

  /** Stops serving; proxies then throw ClosedError. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.requests.close();
    await this.serving;
    servers.delete(this.link.serverId);
    for (const w of this.link.replies) new ByteChannel(w).close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  private add(obj: unknown): number {
    const id = this.nextObject++;
    this.objects.set(id, obj);
    return id;
  }

  private async serve(): Promise<void> {
    const replies = this.link.replies.map((w) => new ByteChannel(w));
    for (;;) {
      // Asleep on the event loop until a request comes (Atomics.waitAsync: the host thread stays free).
      const first = await runAsync(this.requests.get(Infinity, bytesFor));
      if (!(await this.answer(first, replies))) return;
      const burstEnd = performance.now() + BURST_MS;
      while (this.requests.pollUntil(Math.min(performance.now() + NEXT_REQUEST_MS, burstEnd))) {
        // Synchronous while nothing needs a wait: a promise turn per request would cost more than the request.
        let got = runSoon(this.requests.get(Infinity, bytesFor));
        if (got instanceof Promise) got = await got;
        const more = this.answer(got, replies);
        if (!(more === true || (await more))) return;
      }
      // A burst that ran to its end: let the thread's other work run (one macrotask turn) before serving on.
      if (performance.now() >= burstEnd) await macrotask();
    }
  }

  /** Answers one request; false (or a promise of it) once the manager is shut down. */
  private answer(got: Uint8Array | Outcome, replies: ByteChannel[]): boolean | Promise<boolean> {
    if (got === Outcome.Closed || got === Outcome.TimedOut) return false;
    const [id, op, args, slot] = deserialize(got as Uint8Array) as Request;
    let reply: Reply;
    try {
      reply = [0, apply(this.objects.get(id), op, args)];
    } catch (e) {
      reply = [1, e instanceof Error ? e : new Error(String(e))];
    }
    const bytes = serialize(reply);
    // A reply channel holds one reply and its caller waits for it: a reply that fits is written at once, without a
    // wait; a longer one streams, and is copied first (the serializer's buffer is reused meanwhile).
    const put = runSoon(replies[slot]!.put(bytes.length + 4 <= REPLY_CAPACITY ? bytes : bytes.slice(), Infinity));
    return put instanceof Promise ? put.then(() => true) : true;
  }
}

const bytesFor = (n: number) => new Uint8Array(n);

/** A copy made as a remote call's would be (primitives such as a Lock stay themselves, over the same memory). */
function copy<T>(value: T): T {
  return deserialize(serialize(value)) as T;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as Iterable<unknown> | null)?.[Symbol.iterator] === 'function';
}

/** Runs `op` on a served object. */
function apply(obj: unknown, op: string, args: unknown[]): unknown {
  if (obj instanceof Map) {
    const [k, v] = args;
    switch (op) {
      case 'get':
        return obj.has(k) ? obj.get(k) : v;
      case 'set':
        obj.set(k, v);
        return undefined;
      case 'has':
        return obj.has(k);
      case 'delete':
        return obj.delete(k);
      case 'size':
        return obj.size;
      case 'keys':
        return [...obj.keys()];
      case 'values':
        return [...obj.values()];
      case 'entries':
        return [...obj.entries()];
      case 'clear':
        obj.clear();
        return undefined;
      case 'update':
        for (const [a, b] of args[0] as [unknown, unknown][]) obj.set(a, b);
        return undefined;
      case 'incr': {
        const n = ((obj.get(k) as number) ?? 0) + (v as number);
        obj.set(k, n);
        return n;
      }
    }
  } else if (Array.isArray(obj)) {
    const [i, v] = args as [number, unknown];
    switch (op) {
      case 'get':
        return obj.at(i);
      case 'set':
        obj[i < 0 ? obj.length + i : i] = v;
        return undefined;
      case 'push':
        return obj.push(...args);
      case 'pop':
        return obj.pop();
      case 'length':
        return obj.length;
      case 'toArray':
        return obj;
      case 'clear':
        obj.length = 0;
        return undefined;
    }
  }
  throw new PoolkitError(`unknown manager operation ${op}`, { code: 'ERR_MANAGER_OP' });
}

/** A synchronous call to the manager: directly on its thread, else through the request queue. */
function call(link: Link, id: number, op: string, args: unknown[]): unknown {
  const local = servers.get(link.serverId);
  if (local) return copy(apply(local.get(id), op, copy(args)));
  return runBlocking(remoteCall(channelsOf(link), id, op, args), `manager ${op}`);
}

/** A link's channels, made once per thread: a call then allocates only its messages. */
interface Channels {
  claims: Int32Array;
  requests: ByteChannel;
  replies: ByteChannel[];
}
const channels = new WeakMap<Int32Array, Channels>();

function channelsOf(link: Link): Channels {
  let c = channels.get(link.requests);
  if (!c) {
    c = {
      claims: link.claims,
      requests: new ByteChannel(link.requests),
      replies: link.replies.map((w) => new ByteChannel(w)),
    };
    channels.set(link.requests, c);
  }
  return c;
}

function* remoteCall(c: Channels, id: number, op: string, args: unknown[]): Steps<unknown> {
  const slot = yield* claimSlot(c.claims);
  try {
    if ((yield* c.requests.put(serialize([id, op, args, slot] satisfies Request), Infinity)) === Outcome.Closed) {
      throw new ClosedError('the manager was shut down');
    }
    const got = yield* c.replies[slot]!.get(Infinity, bytesFor);
    if (got === Outcome.Closed || got === Outcome.TimedOut) throw new ClosedError('the manager was shut down');
    const [failed, value] = deserialize(got) as Reply;
    if (failed) throw value;
    return value;
  } finally {
    Atomics.store(c.claims, slot, 0);
    Atomics.add(c.claims, FREED, 1);
    Atomics.notify(c.claims, FREED, 1);
  }
}

function* claimSlot(claims: Int32Array): Steps<number> {
  for (;;) {
    const freed = Atomics.load(claims, FREED);
    for (let i = 0; i < SLOTS; i++) if (Atomics.compareExchange(claims, i, 0, 1) === 0) return i;
    yield [claims, FREED, freed, Infinity];
  }
}

/** A dict on the manager (Python's DictProxy); keys and values are copies of structured-clone data. */
export class DictProxy<V = unknown> {
  constructor(
    /** @internal */ readonly link: Link,
    /** @internal */ readonly id: number,
  ) {
    markShareable(this, dictType);
  }
  get(key: unknown, fallback?: V): V | undefined {
    return call(this.link, this.id, 'get', [key, fallback]) as V | undefined;
  }
  set(key: unknown, value: V): this {
    call(this.link, this.id, 'set', [key, value]);
    return this;
  }
  has(key: unknown): boolean {
    return call(this.link, this.id, 'has', [key]) as boolean;
  }
  delete(key: unknown): boolean {
    return call(this.link, this.id, 'delete', [key]) as boolean;
  }
  /** Adds `by` to the number at `key` (0 if absent) in one call: atomic, unlike get then set. Returns the sum. */
  increment(key: unknown, by = 1): number {
    finiteNumber(by, 'by');
    return call(this.link, this.id, 'incr', [key, by]) as number;
  }
  get size(): number {
    return call(this.link, this.id, 'size', []) as number;
  }
  keys(): unknown[] {
    return call(this.link, this.id, 'keys', []) as unknown[];
  }
  values(): V[] {
    return call(this.link, this.id, 'values', []) as V[];
  }
  entries(): [unknown, V][] {
    return call(this.link, this.id, 'entries', []) as [unknown, V][];
  }
  update(entries: Iterable<[unknown, V]>): void {
    call(this.link, this.id, 'update', [[...entries]]);
  }
  clear(): void {
    call(this.link, this.id, 'clear', []);
  }
  /** A copy as a Map. */
  toMap(): Map<unknown, V> {
    return new Map(this.entries());
  }
}

/** A list on the manager (Python's ListProxy). */
export class ListProxy<V = unknown> {
  constructor(
    /** @internal */ readonly link: Link,
    /** @internal */ readonly id: number,
  ) {
    markShareable(this, listType);
  }
  /** The item at `index` (negative counts from the end). */
  get(index: number): V | undefined {
    if (!Number.isSafeInteger(index)) throw invalid('index', 'an integer', index);
    return call(this.link, this.id, 'get', [index]) as V | undefined;
  }
  set(index: number, value: V): void {
    if (!Number.isSafeInteger(index)) throw invalid('index', 'an integer', index);
    call(this.link, this.id, 'set', [index, value]);
  }
  /** Python's append/extend: adds the items at the end; returns the new length. */
  push(...items: V[]): number {
    return call(this.link, this.id, 'push', items) as number;
  }
  pop(): V | undefined {
    return call(this.link, this.id, 'pop', []) as V | undefined;
  }
  get length(): number {
    return call(this.link, this.id, 'length', []) as number;
  }
  clear(): void {
    call(this.link, this.id, 'clear', []);
  }
  /** A copy as an array. */
  toArray(): V[] {
    return call(this.link, this.id, 'toArray', []) as V[];
  }
}

function namespaceProxy(link: Link, id: number): Record<string, unknown> {
  const target = { link, id };
  const proxy = new Proxy(target as unknown as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' ? call(link, id, 'get', [key]) : undefined),
    set: (_t, key, value) => {
      if (typeof key !== 'string') return false;
      call(link, id, 'set', [key, value]);
      return true;
    },
    has: (_t, key) => typeof key === 'string' && (call(link, id, 'has', [key]) as boolean),
    deleteProperty: (_t, key) => typeof key === 'string' && (call(link, id, 'delete', [key]) as boolean),
    ownKeys: () => call(link, id, 'keys', []) as string[],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && call(link, id, 'has', [key])
        ? { value: call(link, id, 'get', [key]), enumerable: true, configurable: true, writable: true }
        : undefined,
  });
  markShareable(proxy, namespaceType);
  namespaces.set(proxy, target);
  return proxy;
}
const namespaces = new WeakMap<object, { link: Link; id: number }>();

interface ProxyDescriptor {
  link: Link;
  id: number;
  /** The heaps the sender knows: values may hold primitives that live there. */
  heaps?: SharedArrayBuffer[];
}

export const dictType = defineShareable<DictProxy, ProxyDescriptor>({
  tag: 'poolkit.DictProxy',
  encode: (p) => ({ link: p.link, id: p.id, heaps: knownHeaps() }),
  revive: (d) => {
    adoptHeaps(d.heaps);
    return new DictProxy(d.link, d.id);
  },
});

export const listType = defineShareable<ListProxy, ProxyDescriptor>({
  tag: 'poolkit.ListProxy',
  encode: (p) => ({ link: p.link, id: p.id, heaps: knownHeaps() }),
  revive: (d) => {
    adoptHeaps(d.heaps);
    return new ListProxy(d.link, d.id);
  },
});

export const namespaceType = defineShareable<Record<string, unknown>, ProxyDescriptor>({
  tag: 'poolkit.Namespace',
  encode: (p) => ({ ...namespaces.get(p)!, heaps: knownHeaps() }),
  revive: (d) => {
    adoptHeaps(d.heaps);
    return namespaceProxy(d.link, d.id);
  },
});
