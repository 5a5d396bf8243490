// The README's examples run as written against the built package. Every ```js block runs on the Node running this
// test (20 in CI, so Node 24-only syntax such as `await using` fails here); every ```ts block runs after esbuild strips
// its types and lowers it to Node 20, as a TypeScript user's build would. A block marked `fragment` (```js fragment)
// is a sketch and is not run. A ```text block right after an example is its exact expected output.
//
// Each block is written to a scratch folder inside the repository, so `import ... from 'poolkit'` resolves through the
// package's own name and `exports` (Node's self-reference) to dist/index.js, exactly as a user's import would.
// The second part checks docs/ARCHITECTURE.md: every section a code comment cites by name (`docs/ARCHITECTURE.md,
// "Memory contract"`) and every README link into it exists.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transform } from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

const RUNNABLE = new Set(['js', 'ts']);
const KNOWN_INFO = new Set(['js', 'ts', 'js fragment', 'ts fragment', 'sh', 'text']);

/** Fenced blocks in order: info string, body, first line number, and the text between it and the next block. */
function fencedBlocks(markdown) {
  const blocks = [];
  const re = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    blocks.push({ info: m[1].trim(), body: m[2], line, start: m.index, end: m.index + m[0].length });
  }
  for (let i = 0; i < blocks.length; i++) {
    const next = blocks[i + 1];
    const adjacent = next && next.info === 'text' && markdown.slice(blocks[i].end, next.start).trim() === '';
    if (adjacent) blocks[i].output = next.body;
  }
  return blocks;
}

const blocks = fencedBlocks(readme);
const examples = blocks.filter((b) => RUNNABLE.has(b.info));
const scratch = join(root, '.tmp', `readme-${process.pid}`);

describe('README examples', function () {
  before(() => {
    assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/index.js is missing: run `npm run build` first');
    mkdirSync(scratch, { recursive: true });
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("resolves 'poolkit' to the repository's dist/index.js", () => {
    assert.equal(fileURLToPath(import.meta.resolve('poolkit')), join(root, 'dist', 'index.js'));
  });

  it('marks every code block: js, ts, sh, text, or a fragment', () => {
    for (const b of blocks) assert.ok(KNOWN_INFO.has(b.info), `README.md line ${b.line}: a block marked '${b.info}'`);
  });

  it('has complete, runnable js examples of Pool, kmeans and wordCount, each with its expected output', () => {
    const js = examples.filter((b) => b.info === 'js');
    for (const [what, pattern] of [
      ['Pool', /new Pool\(/],
      ['kmeans', /\bkmeans\(/],
      ['wordCount', /\bwordCount\(/],
    ]) {
      const b = js.find((x) => pattern.test(x.body));
      assert.ok(b, `no runnable js block uses ${what}`);
      assert.ok(b.output !== undefined, `the js example of ${what} (line ${b.line}) has no text block of output`);
    }
  });

  it('shows `await using` only in TypeScript, and gives the plain-JS form with terminate() in finally', () => {
    assert.ok(examples.some((b) => b.info === 'ts' && /await using \w+ = new Pool\(/.test(b.body)));
    for (const b of blocks.filter((x) => x.info.startsWith('js'))) {
      assert.doesNotMatch(b.body, /\bawait using\b/, `README.md line ${b.line}: \`await using\` in a js block`);
    }
    assert.ok(examples.some((b) => b.info === 'js' && /finally\s*\{\s*await pool\.terminate\(\)/.test(b.body)));
  });

  for (const [i, b] of examples.entries()) {
    const printing = b.output !== undefined ? ', printing its output' : '';
    it(`README.md line ${b.line} (${b.info}) runs on Node 20 and exits 0${printing}`, async function () {
      this.timeout(90_000);
      const ts = b.info === 'ts';
      const code = ts ? (await transform(b.body, { loader: 'ts', format: 'esm', target: 'node20' })).code : b.body;
      const file = join(scratch, `block-${i}.mjs`);
      writeFileSync(file, code);
      let out;
      try {
        const env = { ...process.env, NODE_OPTIONS: '' }; // plain `node file.mjs`, without the runner's flags
        out = await run(process.execPath, [file], { cwd: scratch, timeout: 60_000, env });
      } catch (e) {
        assert.fail(`README.md line ${b.line} exited with ${e.code ?? e.signal}:\n${e.stderr || e.message}`);
      }
      if (b.output !== undefined) assert.equal(out.stdout.trim(), b.output.trim(), `output, README.md line ${b.line}`);
    });
  }
});

describe('docs/ARCHITECTURE.md', function () {
  const doc = readFileSync(join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const headings = [...doc.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1].trim());
  // GitHub's heading anchors: lower case, spaces to hyphens, punctuation dropped.
  const anchors = new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N} -]/gu, '')
        .replace(/ /g, '-'),
    ),
  );

  it('has the sections the code and the README rely on', () => {
    const names = ['Layers', 'Pool', 'Shareable types', 'Memory contract', 'Word tokenization', 'Determinism'];
    for (const h of [...names, 'Errors']) assert.ok(headings.includes(h), `no section "${h}"`);
  });

  it('has every section a comment in the repository cites by name', () => {
    const cited = [];
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|mjs|cjs|js|wgsl)$/.test(e.name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/docs\/ARCHITECTURE\.md[,\s(]*"([^"]+)"/g)) {
            cited.push([relative(root, p), m[1]]);
          }
        }
      }
    };
    for (const dir of ['src', 'assembly', 'scripts', 'shaders', 'bench', 'test']) walk(join(root, dir));
    assert.ok(cited.length > 0, 'no citations found: the pattern no longer matches how comments cite the doc');
    for (const [file, section] of cited) assert.ok(headings.includes(section), `${file} cites missing "${section}"`);
  });

  it("resolves the README's links into it", () => {
    const links = [...readme.matchAll(/\]\(docs\/ARCHITECTURE\.md#([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 0);
    for (const a of links) assert.ok(anchors.has(a), `README links to a missing anchor #${a}`);
  });
});
