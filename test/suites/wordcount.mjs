// The word-count suite shared by Node (test/wordcount.test.mjs) and Chromium (test/browser/suites.test.mjs, pages with
// and without cross-origin isolation): identical to the reference tokenization on any input, backend, thread count
// and chunking (docs/ARCHITECTURE.md, "Word tokenization"). Cases on files, process memory and internal
// modules stay in test/wordcount.test.mjs.
import { rng, randomInput, referenceCounts, chunked, cjkText, PIECES } from '../fixtures/text-fuzz.mjs';

const enc = new TextEncoder();
const asMap = (r) => new Map(r.entries());
const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));

/** An assertion that `result` holds exactly the reference counts of `bytes`. */
export function sameCountsAssertion(assert) {
  return function assertSame(result, bytes, label) {
    const want = referenceCounts(bytes);
    const got = asMap(result);
    if (got.size !== want.size || [...want].some(([k, v]) => got.get(k) !== v)) {
      const missing = [...want].filter(([k, v]) => got.get(k) !== v).slice(0, 3);
      const extra = [...got].filter(([k]) => !want.has(k)).slice(0, 3);
      assert.fail(
        `${label}: counts differ from the reference; want ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}; input ${toHex(bytes.subarray(0, 80))}`,
      );
    }
    assert.equal(result.total, sum(want), `${label}: total`);
    assert.equal(result.unique, want.size, `${label}: unique`);
  };
}

/**
 * @param {object} t
 * @param {object} t.poolkit the loaded package (dist/index.js or dist/browser/index.js)
 * @param {object} t.env `{ platform: 'node' | 'browser', isolated }`; without isolation the wasm backend runs one thread
 */
export default function wordCountSuite({ poolkit, describe, it, assert }) {
  const { wordCount, InvalidArgumentError } = poolkit;
  const assertSame = sameCountsAssertion(assert);

  describe('wordCount', function () {
    this.timeout(60000);

    it('counts by the tokenization rules of docs/ARCHITECTURE.md: Unicode words, toLowerCase with final sigma and İ, invalid bytes separate', async () => {
      const text =
        'The the THE ΣΑΣ σας ΟΔΟΣ İstanbul İ straße ǅemal e\u0301 \u0301x 日本語 😀 a😀b ½ ① 42\u00A0x1 \uFEFFz';
      for (const backend of ['js', 'wasm']) {
        const r = await wordCount(text, { backend, threads: 1 });
        assertSame(r, enc.encode(text), backend);
        assert.equal(r.get('the'), 3);
        assert.equal(r.get('σας'), 2);
        assert.equal(r.get('οδος'), 1);
        assert.equal(r.get('i̇stanbul'), 1);
        assert.equal(r.backend, backend);
      }
      const bad = Uint8Array.from([0x61, 0xff, 0x62, 0xe2, 0x82, 0x63, 0xc3, 0xa9, 0xed, 0xa0, 0x80, 0x64]);
      assertSame(await wordCount(bad, { backend: 'wasm', threads: 1 }), bad, 'invalid bytes');
    });

    it('matches the reference on random inputs at 1, 2 and 3 threads, any chunking and split size (fuzz)', async () => {
      const rnd = rng(20240611);
      for (let iter = 0; iter < 160; iter++) {
        const bytes = randomInput(rnd, 1 + Math.floor(rnd() * (iter % 8 === 0 ? 4000 : 80)));
        const cuts = [];
        for (let c = 1; c < bytes.length; c++) if (rnd() < 0.08) cuts.push(c);
        const threads = 1 + (iter % 3);
        const splitBytes = 1 + Math.floor(rnd() * 32);
        assertSame(
          await wordCount(chunked(bytes, cuts), { backend: 'wasm', threads, splitBytes }),
          bytes,
          `wasm threads ${threads} split ${splitBytes} iter ${iter}`,
        );
        if (iter % 4 === 0)
          assertSame(await wordCount(chunked(bytes, cuts), { backend: 'js' }), bytes, `js iter ${iter}`);
      }
    });

    it('matches the reference with a chunk boundary at every offset of short inputs', async () => {
      const samples = [PIECES.join(' '), PIECES.join(''), 'ΌΣΟΣ İİ e\u0301\u0301 😀👍🏽 x'];
      samples.push(fromHex('c3a9ff61e282ac62f09f9880edbfbf63efbbbf64c4b0cea3cf82'));
      for (const s of samples) {
        const bytes = typeof s === 'string' ? enc.encode(s) : new Uint8Array(s);
        const options = [
          { backend: 'wasm', threads: 1, splitBytes: 1 },
          { backend: 'wasm', threads: 2, splitBytes: 3 },
          { backend: 'js' },
        ];
        for (let k = 0; k <= bytes.length; k++) {
          const o = options[k % options.length];
          assertSame(await wordCount(chunked(bytes, [k]), o), bytes, `offset ${k} ${JSON.stringify(o)}`);
        }
      }
    });

    it('grows per-thread tables and key arenas mid-split', async () => {
      const words = [];
      for (let i = 0; i < 30000; i++)
        words.push(i % 3 ? `w${i.toString(36)}` : `verylongwordnumber${i.toString(36)}xyz`);
      const bytes = enc.encode(`${words.join(' ')} ${words.slice(0, 5000).join('\n')}`);
      for (const threads of [1, 2, 3]) {
        const r = await wordCount(bytes, {
          backend: 'wasm',
          threads,
          splitBytes: 50000,
          tuning: { initialSlots: 16, arenaBytes: 4096 },
        });
        assertSame(r, bytes, `threads ${threads}`);
      }
    });

    it('cuts text without ASCII separators (CJK) after non-word characters, so it still splits', async () => {
      const bytes = enc.encode(cjkText(rng(3), 60000));
      let splits = 0;
      const r = await wordCount(chunked(bytes, [1000, 5001, 77777]), {
        backend: 'wasm',
        threads: 3,
        splitBytes: 2000,
        onProgress: () => splits++,
      });
      assertSame(r, bytes, 'cjk stream');
      assert.ok(splits > 20, `only ${splits} splits`);
    });

    it('handles one enormous word and long runs without separators', async () => {
      const bytes = enc.encode(`${'Ab'.repeat(300000)} x ${'日'.repeat(100000)}`);
      assertSame(await wordCount(bytes, { backend: 'wasm', threads: 2, splitBytes: 4096 }), bytes, 'giant words');
    });

    it('accepts strings, Uint8Array, ArrayBuffer, Blob, ReadableStream and async iterables', async () => {
      const text = 'Zwei zwei ZWEI drei ΣΑΣ\n'.repeat(2000);
      const bytes = enc.encode(text);
      const inputs = {
        string: () => text,
        uint8array: () => bytes,
        arraybuffer: () => bytes.slice().buffer,
        blob: () => new Blob([bytes]),
        readablestream: () => new Blob([bytes]).stream(),
        asyncIterable: () => chunked(bytes, [7, 100, 5000]),
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

    it('orders top(n) by count descending, then word by UTF-16 code units', async () => {
      const r = await wordCount('b a c b a 😀 ﬀ ｚ z z Z Ω ω', { backend: 'wasm', threads: 1 });
      assert.deepEqual(r.top(3), [
        ['z', 3],
        ['a', 2],
        ['b', 2],
      ]);
      const all = r.top();
      assert.equal(all.length, r.unique);
      for (let i = 1; i < all.length; i++) {
        const [a, b] = [all[i - 1], all[i]];
        assert.ok(a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]), `${a} before ${b}`);
      }
      assert.deepEqual(r.top(0), []);
      assert.equal(r.get('nope'), 0);
      assert.deepEqual(new Map(r.entries()).get('ω'), 2);
    });

    it('rejects bad input with InvalidArgumentError naming the argument', async () => {
      const cases = [
        [() => wordCount('x', { threads: 0 }), 'options.threads'],
        [() => wordCount('x', { threads: -2 }), 'options.threads'],
        [() => wordCount('x', { threads: 1.5 }), 'options.threads'],
        [() => wordCount('x', { backend: 'gpu' }), 'options.backend'],
        [() => wordCount('x', { splitBytes: 0 }), 'options.splitBytes'],
        [() => wordCount('x', { splitBytes: 2 ** 31 }), 'options.splitBytes', /1 GiB/],
        [() => wordCount(42), 'input'],
        [() => wordCount(null), 'input'],
      ];
      for (const [call, argument, message] of cases) {
        await assert.rejects(
          call,
          (e) => e instanceof InvalidArgumentError && e.argument === argument && (!message || message.test(e.message)),
        );
      }
    });

    it('counts binary files as bytes, never crashing', async () => {
      const rnd = rng(7);
      const bytes = Uint8Array.from({ length: 300000 }, () => Math.floor(rnd() * 256));
      assertSame(await wordCount(bytes, { backend: 'wasm', threads: 2, splitBytes: 10000 }), bytes, 'binary');
    });

    it('stops on abort', async () => {
      const ac = new AbortController();
      async function* endless() {
        const chunk = enc.encode('lorem ipsum dolor sit amet '.repeat(40000));
        for (;;) yield chunk;
      }
      setTimeout(() => ac.abort(), 100);
      await assert.rejects(
        wordCount(endless(), { backend: 'wasm', threads: 2, signal: ac.signal }),
        (e) => e.name === 'AbortError',
      );
      const pre = new AbortController();
      pre.abort();
      await assert.rejects(wordCount('x', { signal: pre.signal }), (e) => e.name === 'AbortError');
    });
  });
}
