/** A FIFO queue with O(1) push, shift and unshift (a growable ring buffer). */
export class Deque<T> {
  private buf: (T | undefined)[] = new Array(16);
  private head = 0;
  private len = 0;

  get length(): number {
    return this.len;
  }

  push(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) & (this.buf.length - 1)] = v;
    this.len++;
  }

  unshift(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = v;
    this.len++;
  }

  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.len--;
    return v;
  }

  peek(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  at(i: number): T | undefined {
    return i < 0 || i >= this.len ? undefined : this.buf[(this.head + i) & (this.buf.length - 1)];
  }

  clear(): T[] {
    const out: T[] = [];
    while (this.len) out.push(this.shift()!);
    return out;
  }

  private grow(): void {
    const next: (T | undefined)[] = new Array(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
