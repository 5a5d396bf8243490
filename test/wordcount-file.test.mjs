// wordCount over files in Node: workers claim splits and read their own byte ranges (src/mapreduce/wordcount-splits.ts).
// Identical to the reference of docs/ARCHITECTURE.md ("Word tokenization") at any thread count and split size, including splits that end beyond a
// worker's read-ahead; growth, progress and abort work as they do for streamed input.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wordCount } from '../dist/index.js';
import { cutAtOrAfter } from '../dist/wordcount/cuts.js';
import * as splits from '../dist/wordcount/splits.js';
import { WordCountJob as Job, WordCountRecord as Rec } from '../dist/wordcount/generated/layouts.js';

const { READ_AHEAD } = splits;
import { rng, randomInput, referenceCounts, cutKeepsCounts } from './fixtures/text-fuzz.mjs';

const enc = new TextEncoder();

function assertSame(result, bytes, label) {
  const want = referenceCounts(bytes);
  const got = new Map(result.entries());
  const wrong = [...want].filter(([k, v]) => got.get(k) !== v);
  assert.equal(got.size, want.size, `${label}: unique words`);
  assert.deepEqual(wrong.slice(0, 3), [], `${label}: counts differ from the reference`);
  assert.equal(
    result.total,
    [...want.values()].reduce((a, b) => a + b, 0),
    `${label}: total`,
  );
  assert.equal(result.unique, want.size, `${label}: unique`);
}

/** Top k by the documented order, from reference counts. */
function referenceTop(bytes, k) {
  return [...referenceCounts(bytes)]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k);
}

describe('wordCount over files', function () {
  this.timeout(120000);
  let dir;
  let n = 0;
  const fileOf = (bytes) => {
    const path = join(dir, `f${n++}.txt`);
    writeFileSync(path, bytes);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-wcf-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the first cut at or after x, the same from any window starting 4 bytes before x', () => {
    const rnd = rng(5);
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    // Independent rule: after an ASCII byte other than [0-9A-Za-z], or after one whole valid non-word character.
    const isCut = (b, y) => {
      if (y === 0) return false;
      const last = b[y - 1];
      if (last < 0x80) return !/[0-9A-Za-z]/.test(String.fromCharCode(last));
      for (let k = 2; k <= 4 && k <= y; k++) {
        if (b[y - k] < 0xc2 || b[y - k] > 0xf4) continue;
        try {
          const ch = strict.decode(b.subarray(y - k, y));
          return [...ch].length === 1 && !/[\p{L}\p{M}\p{N}]/u.test(ch);
        } catch {
          return false;
        }
      }
      return false;
    };
    let checked = 0;
    for (let iter = 0; iter < 300; iter++) {
      const bytes = randomInput(rnd, 1 + Math.floor(rnd() * 80));
      for (let x = 0; x <= bytes.length; x++) {
        const q = cutAtOrAfter(bytes, x, bytes.length);
        let first = -1;
        for (let y = Math.max(x, 1); y <= bytes.length && first < 0; y++) if (isCut(bytes, y)) first = y;
        assert.equal(q, first, `first cut at or after ${x} of ${Buffer.from(bytes).toString('hex')}`);
        for (const from of new Set([Math.max(0, x - 4), Math.max(0, x - 9), 0])) {
          for (const end of new Set([q < 0 ? bytes.length : q, bytes.length])) {
            const got = cutAtOrAfter(bytes.subarray(from, end), x - from, end - from);
            assert.equal(got < 0 ? -1 : got + from, q, `window ${from}..${end} for x ${x}`);
          }
        }
        if (q < 0) continue;
        checked++;
        assert.ok(cutKeepsCounts(bytes, q), `cut at ${q} of ${Buffer.from(bytes).toString('hex')}`);
      }
    }
    assert.ok(checked > 3000, `only ${checked} cuts checked`);
  });

  it('tiles a file exactly into splits that start and end at cuts, also when the file is shorter than its size said', () => {
    // countSplits with a stand-in for the kernel: it records what it is given.
    const rnd = rng(17);
    const memory = new WebAssembly.Memory({ initial: 4 });
    const job = 0;
    const rec = 64;
    for (let iter = 0; iter < 200; iter++) {
      const data = randomInput(rnd, 1 + Math.floor(rnd() * 2000));
      const S = 1 + Math.floor(rnd() * 300);
      const claimed = data.length + (iter % 4 === 0 ? Math.floor(rnd() * 500) : 0); // shrank after its size was taken
      const file = {
        readAt: (target, pos) => {
          const n = Math.max(0, Math.min(target.length, data.length - pos));
          target.set(data.subarray(pos, pos + n));
          return n;
        },
        close() {},
      };
      new Uint8Array(memory.buffer).fill(0, 0, 128);
      const words = new Int32Array(memory.buffer, job, Job.bytes / 4);
      words[Job.index.split] = S;
      new Float64Array(memory.buffer, job, Job.bytes / 8)[Job.index.size] = claimed;
      const r = new Uint32Array(memory.buffer, rec, Rec.bytes / 4);
      r[Rec.index.buf] = 1024;
      r[Rec.index.bufCap] = splits.splitBufferBytes(S);
      const seen = [];
      const count = (_st, ptr, len) => {
        seen.push(new Uint8Array(memory.buffer, ptr, len).slice());
        return len;
      };
      // One split at a time, as the calling thread runs it.
      let status;
      let rounds = 0;
      do status = splits.countSplits(count, memory, job, rec, file, 1);
      while (status === 0 && splits.splitsLeft(memory, job) && ++rounds < 100000);
      assert.equal(status, 0, 'done, without asking the host for anything');
      assert.deepEqual(Buffer.concat(seen), Buffer.from(data), `iter ${iter}: the splits tile the data`);
      let at = 0;
      for (const piece of seen.slice(0, -1)) {
        at += piece.length;
        assert.equal(cutAtOrAfter(data, at, data.length), at, `iter ${iter}: a split ends at ${at}, not at a cut`);
      }
      assert.equal(new Float64Array(memory.buffer, rec, 8)[Rec.index.bytes], data.length, 'bytes counted');
      // The host's forward scan (64-byte reads here) finds the same cuts; the end of the data is one.
      for (const x of [0, 1, S, Math.floor(data.length / 2), data.length - 1, data.length].filter(
        (x) => x <= data.length,
      )) {
        const q = x <= 0 ? 0 : cutAtOrAfter(data, x, data.length);
        assert.equal(
          splits.cutInFile(file, x, claimed, new Uint8Array(64)),
          q < 0 ? data.length : q,
          `iter ${iter}: cut(${x})`,
        );
      }
    }
    // No cut after x, and the file ends before its size said: the end is where the reads stop.
    const short = enc.encode('abc def');
    const file = {
      readAt: (t, pos) => {
        t.set(short.subarray(pos, pos + t.length));
        return Math.max(0, Math.min(t.length, short.length - pos));
      },
      close() {},
    };
    assert.equal(splits.cutInFile(file, 5, 100, new Uint8Array(64)), 7);
  });

  it('matches the reference on random files at 1, 2 and 3 threads and any split size (fuzz)', async () => {
    const rnd = rng(21);
    for (let iter = 0; iter < 24; iter++) {
      const parts = [];
      const pieces = 1 + Math.floor(rnd() * 12);
      for (let i = 0; i < pieces; i++) parts.push(randomInput(rnd, 1 + Math.floor(rnd() * 3000)));
      const bytes = new Uint8Array(Buffer.concat(parts));
      const path = fileOf(bytes);
      const threads = 1 + (iter % 3);
      const splitBytes = [1, 3, 17, 256, 1000, 4096, 1 << 20][Math.floor(rnd() * 7)];
      assertSame(
        await wordCount({ path }, { backend: 'wasm', threads, splitBytes }),
        bytes,
        `iter ${iter}: threads ${threads}, split ${splitBytes}`,
      );
    }
  });

  it('counts splits that end beyond the read-ahead (words and unbroken CJK longer than 64 KiB) on the main thread', async () => {
    const giant = 'Ab'.repeat(READ_AHEAD); // 128 KiB, one word
    const cjk = '日本語'.repeat(READ_AHEAD / 4); // 192 KiB of word characters
    const text = `start ${giant} mid ${cjk}。tail ${giant}x end\nlast`;
    const bytes = enc.encode(text);
    const path = fileOf(bytes);
    for (const [threads, splitBytes] of [
      [1, 4096],
      [2, 4096],
      [3, 50000],
      [2, 1 << 20],
    ]) {
      const r = await wordCount({ path }, { backend: 'wasm', threads, splitBytes });
      assertSame(r, bytes, `threads ${threads}, split ${splitBytes}`);
      assert.equal(r.get(giant.toLowerCase()), 1);
    }
  });

  it("grows tables and key arenas between a worker's runs", async () => {
    const words = [];
    for (let i = 0; i < 30000; i++) words.push(i % 3 ? `w${i.toString(36)}` : `verylongwordnumber${i.toString(36)}xyz`);
    const bytes = enc.encode(`${words.join(' ')}\n${words.slice(0, 5000).join('\n')}`);
    const path = fileOf(bytes);
    for (const threads of [1, 2, 3]) {
      const r = await wordCount(
        { path },
        { backend: 'wasm', threads, splitBytes: 50000, tuning: { initialSlots: 16, arenaBytes: 4096 } },
      );
      assertSame(r, bytes, `threads ${threads}`);
    }
  });

  it('reports progress up to the file size, and stops on abort within a split or two', async () => {
    const path = join(dir, 'big.txt');
    const line = enc.encode('alpha beta Gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi\n');
    const block = new Uint8Array(line.length * 10000);
    for (let i = 0; i < 10000; i++) block.set(line, i * line.length);
    const fd = openSync(path, 'w');
    for (let i = 0; i < 180; i++) writeSync(fd, block); // 133 MB
    closeSync(fd);
    const size = block.length * 180;
    const seen = [];
    const t0 = performance.now();
    const r = await wordCount({ path }, { backend: 'wasm', threads: 2, onProgress: (p) => seen.push(p) });
    const full = performance.now() - t0;
    assert.equal(r.total, 180 * 10000 * 14);
    assert.equal(r.get('gamma'), 1800000);
    assert.ok(seen.length >= 1);
    assert.deepEqual(seen.at(-1), { bytes: size, totalBytes: size });
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].bytes >= seen[i - 1].bytes, 'progress never goes back');

    const ac = new AbortController();
    let aborted = 0;
    const pending = wordCount(
      { path },
      {
        backend: 'wasm',
        threads: 2,
        splitBytes: 1 << 16,
        signal: ac.signal,
        onProgress: ({ bytes }) => {
          if (bytes > 0 && !aborted) {
            aborted = performance.now();
            ac.abort();
          }
        },
      },
    );
    await assert.rejects(pending, (e) => e.name === 'AbortError');
    assert.ok(aborted > 0, 'progress was reported before the end');
    // Workers check the abort flag between splits (64 KiB here): far sooner than the rest of the count would take.
    const latency = performance.now() - aborted;
    assert.ok(
      latency < Math.max(40, full / 4),
      `stopped ${latency.toFixed(0)} ms after abort; a whole count takes ${full.toFixed(0)} ms`,
    );
    // The pool is unharmed.
    assert.equal((await wordCount({ path }, { backend: 'wasm', threads: 2 })).total, 180 * 10000 * 14);
  });

  it('finds the top k without decoding every key, in the same order as the reference (ties included)', async () => {
    const rnd = rng(8);
    const words = [];
    for (let i = 0; i < 4000; i++) {
      const w = `w${Math.floor(rnd() ** 3 * 500).toString(36)}`;
      words.push(rnd() < 0.1 ? w.toUpperCase() : w);
    }
    for (const extra of ['', ' ΣΑΣ σας ΟΔΟΣ']) {
      const bytes = enc.encode(words.join(' ') + extra);
      const path = fileOf(bytes);
      const r = await wordCount({ path }, { backend: 'wasm', threads: 2, splitBytes: 2048 });
      for (const k of [1, 2, 3, 10, 33, 100, r.unique - 1, r.unique, r.unique + 5]) {
        assert.deepEqual(r.top(k), referenceTop(bytes, k), `top ${k}${extra ? ' with Σ keys' : ''}`);
      }
      assertSame(r, bytes, 'after top');
    }
  });
});
