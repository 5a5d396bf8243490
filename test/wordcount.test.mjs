// The word-count suite (test/suites/wordcount.mjs) under Node, and the cases of files, process memory and internal
// modules (the cut finder), which only Node has.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as poolkit from '../dist/index.js';
import { InvalidArgumentError } from '../dist/index.js';
import { wordCount } from '../dist/wordcount/index.js';
import { cutAtSeparator } from '../dist/wordcount/cuts.js';
import { rng, randomInput, cutKeepsCounts, cjkText } from './fixtures/text-fuzz.mjs';
import wordCountSuite, { sameCountsAssertion } from './suites/wordcount.mjs';
import { nodeEnv } from './suites/node-env.mjs';

const enc = new TextEncoder();
const assertSame = sameCountsAssertion(assert);

wordCountSuite({ poolkit, describe, it, before, after, assert, env: nodeEnv });

describe('wordCount: files, process memory and the cut finder (Node)', function () {
  this.timeout(60000);
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-wc-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts only where counting both sides apart equals counting the whole (cut finder property)', () => {
    const rnd = rng(11);
    let cuts = 0;
    for (let iter = 0; iter < 300; iter++) {
      const bytes = randomInput(rnd, 1 + Math.floor(rnd() * 60));
      for (let to = 1; to <= bytes.length; to++) {
        const cut = cutAtSeparator(bytes, 0, to);
        if (cut < 0) continue;
        cuts++;
        assert.ok(cut > 0 && cut <= to);
        assert.ok(cutKeepsCounts(bytes, cut), `cut at ${cut} of ${Buffer.from(bytes).toString('hex')}`);
      }
    }
    assert.ok(cuts > 1000);
  });

  it('cuts CJK files after non-word characters', async () => {
    const bytes = enc.encode(cjkText(rng(3), 60000));
    const file = join(dir, 'cjk.txt');
    writeFileSync(file, bytes);
    assertSame(await wordCount({ path: file }, { backend: 'wasm', threads: 2, splitBytes: 2000 }), bytes, 'cjk file');
  });

  it('accepts { path } and file URLs', async () => {
    const text = 'Zwei zwei ZWEI drei ΣΑΣ\n'.repeat(2000);
    const bytes = enc.encode(text);
    const file = join(dir, 'text.txt');
    writeFileSync(file, bytes);
    const inputs = {
      path: () => ({ path: file }),
      url: () => pathToFileURL(file),
    };
    for (const [name, make] of Object.entries(inputs)) {
      for (const backend of ['js', 'wasm']) {
        const r = await wordCount(make(), { backend, threads: 2 });
        assert.equal(r.get('zwei'), 6000, `${name} ${backend}`);
        assert.equal(r.get('σας'), 2000, `${name} ${backend}`);
        assert.equal(r.total, 10000, `${name} ${backend}`);
        assert.equal(r.bytes, bytes.length, `${name} ${backend}`);
      }
    }
  });

  it('rejects a missing file and a directory with InvalidArgumentError naming the input', async () => {
    const cases = [
      [() => wordCount({ path: join(dir, 'missing.txt') }), 'input', /no such file/],
      [() => wordCount({ path: dir }), 'input', /directory/],
    ];
    for (const [call, argument, message] of cases) {
      await assert.rejects(
        call,
        (e) => e instanceof InvalidArgumentError && e.argument === argument && (!message || message.test(e.message)),
      );
    }
  });

  it('counts files in pieces at any split size, words carried across splits', async () => {
    const rnd = rng(99);
    const parts = [];
    for (let i = 0; i < 40; i++) parts.push(randomInput(rnd, 2000 + Math.floor(rnd() * 3000)));
    parts.push(enc.encode(`${'Q'.repeat(20000)} tail`));
    const bytes = new Uint8Array(Buffer.concat(parts));
    const file = join(dir, 'mixed.bin');
    writeFileSync(file, bytes);
    for (const [threads, splitBytes] of [
      [1, 1000],
      [2, 3000],
      [3, 100000],
    ]) {
      assertSame(
        await wordCount({ path: file }, { backend: 'wasm', threads, splitBytes }),
        bytes,
        `file threads ${threads} split ${splitBytes}`,
      );
    }
  });

  it('streams with bounded memory and reports progress', async () => {
    const line = enc.encode('alpha beta Gamma delta epsilon zeta eta theta iota kappa lambda mu nu\n');
    const reps = Math.ceil((256 << 20) / line.length);
    const block = new Uint8Array(line.length * 1000);
    for (let i = 0; i < 1000; i++) block.set(line, i * line.length);
    let sent = 0;
    const stream = new ReadableStream({
      pull(c) {
        if (sent >= reps) return c.close();
        c.enqueue(block.slice());
        sent += 1000;
      },
    });
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    let calls = 0;
    const r = await wordCount(stream, {
      backend: 'wasm',
      threads: 2,
      onProgress: () => {
        calls++;
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    assert.equal(r.get('gamma'), Math.ceil(reps / 1000) * 1000);
    assert.ok(calls > 10);
    const growth = (peak - rss0) / 2 ** 20;
    assert.ok(growth < 160, `RSS grew ${growth.toFixed(0)} MiB over a 256 MiB stream`);
  });
});
