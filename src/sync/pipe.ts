/**
 * Pipe: Python's multiprocessing.Pipe, two connected ends. Each direction is a byte channel in shared memory
 * (src/sync/byte-channel.ts), so either end may be used from any thread; messages are copies of structured-clone
 * data of any size. Closing an end closes both directions: the other end reads what is left, then gets EOFError.
 */
import { boolean } from '../core/validate.js';
import { defineShareable, markShareable } from '../pool/shareable.js';
import { ByteChannel, Outcome } from './byte-channel.js';
import { ClosedError, EOFError } from './errors.js';
import { deserialize, serialize } from './serialize.js';
import { runAsync, runBlocking } from './steps.js';
import { deadlineOf, SyncTimeoutError } from './wait.js';
import { adoptHeaps, ensureHeap, knownHeaps } from './heap.js';

const CAPACITY = 64 * 1024;

interface Descriptor {
  send: Int32Array | null;
  recv: Int32Array | null;
  /** The heaps the sender knows: messages may hold primitives that live there. */
  heaps?: SharedArrayBuffer[];
}

/** One end of a Pipe. */
export class Connection<T = unknown> {
  private readonly out: ByteChannel | null;
  private readonly in: ByteChannel | null;

  constructor(/** @internal */ d: Descriptor) {
    this.out = d.send ? new ByteChannel(d.send) : null;
    this.in = d.recv ? new ByteChannel(d.recv) : null;
    markShareable(this, connectionType);
  }

  /** True when this end can send (false for the reading end of a one-way pipe). */
  get writable(): boolean {
    return this.out !== null;
  }

  get readable(): boolean {
    return this.in !== null;
  }

  /** Sends a copy of `value`. Throws ClosedError when either end is closed. */
  send(value: T): void {
    const out = this.sender();
    this.sent(runBlocking(out.put(serialize(value), Infinity), 'Connection.send'));
  }

  async sendAsync(value: T): Promise<void> {
    const out = this.sender();
    this.sent(await runAsync(out.put(serialize(value).slice(), Infinity)));
  }

  /** Receives the next message, waiting up to `timeoutMs` (SyncTimeoutError); EOFError once the other end closed. */
  recv(timeoutMs?: number): T {
    const got = runBlocking(this.receiver().get(deadlineOf(timeoutMs), bytesFor), 'Connection.recv');
    return received(got, timeoutMs);
  }

  async recvAsync(timeoutMs?: number): Promise<T> {
    return received(await runAsync(this.receiver().get(deadlineOf(timeoutMs), bytesFor)), timeoutMs);
  }

  /** Whether a message (or EOF) is there to receive, waiting up to `timeoutMs` (default 0: just look). */
  poll(timeoutMs = 0): boolean {
    return runBlocking(this.receiver().poll(deadlineOf(timeoutMs)), 'Connection.poll');
  }

  pollAsync(timeoutMs = 0): Promise<boolean> {
    return runAsync(this.receiver().poll(deadlineOf(timeoutMs)));
  }

  /** Closes this end (both directions): the other end's recv returns what was sent, then throws EOFError. */
  close(): void {
    this.out?.close();
    this.in?.close();
  }

  get closed(): boolean {
    return (this.out ?? this.in)!.closed();
  }

  /** @internal */
  descriptor(): Descriptor {
    return { send: this.out?.words ?? null, recv: this.in?.words ?? null, heaps: knownHeaps() };
  }

  private sender(): ByteChannel {
    if (!this.out) throw new ClosedError('this end of a one-way Pipe only receives');
    return this.out;
  }

  private receiver(): ByteChannel {
    if (!this.in) throw new ClosedError('this end of a one-way Pipe only sends');
    return this.in;
  }

  private sent(out: Outcome): void {
    if (out === Outcome.Closed) throw new ClosedError('send() on a closed pipe');
  }
}

/** `[a, b]`: what one sends the other receives. `duplex = false` gives `[reader, writer]`, as in Python. */
export function Pipe<T = unknown>(duplex = true): [Connection<T>, Connection<T>] {
  boolean(duplex, 'duplex');
  const ab = ByteChannel.create(CAPACITY, 0, 'Pipe');
  ensureHeap('Pipe');
  if (!duplex) return [new Connection({ send: null, recv: ab.words }), new Connection({ send: ab.words, recv: null })];
  const ba = ByteChannel.create(CAPACITY, 0, 'Pipe');
  return [new Connection({ send: ab.words, recv: ba.words }), new Connection({ send: ba.words, recv: ab.words })];
}

const bytesFor = (n: number) => new Uint8Array(n);

function received<T>(got: Uint8Array | Outcome, timeoutMs: number | undefined): T {
  if (got === Outcome.TimedOut) throw new SyncTimeoutError('Connection.recv', timeoutMs!);
  if (got === Outcome.Closed) throw new EOFError();
  return deserialize(got as Uint8Array) as T;
}

export const connectionType = defineShareable<Connection, Descriptor>({
  tag: 'poolkit.Connection',
  encode: (c) => c.descriptor(),
  revive: (d) => {
    adoptHeaps(d.heaps);
    return new Connection(d);
  },
});
