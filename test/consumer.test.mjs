// The published types as a user gets them: `npm pack` the built package, install the tarball into a copy of
// test/consumer/ (offline, from npm's cache: only what package.json declares arrives), and type-check that project
// with skipLibCheck false, so every poolkit .d.ts it reaches must compile, under both module resolutions users have.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The entry .d.ts each variant must reach through the exports map: a bundler resolves the browser condition.
const variants = { nodenext: 'index.d.ts', bundler: 'browser.d.ts' };

/** Runs the repository's tsc in `cwd`; returns the exit status and everything it printed. */
function typecheck(cwd, project, ...flags) {
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false', ...flags], {
    cwd,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('published types in a consumer project (npm pack, skipLibCheck false)', function () {
  this.timeout(240_000);
  let dir;
  let app;

  before(function () {
    assert.ok(
      existsSync(join(root, 'dist', 'index.d.ts')),
      'dist/index.d.ts missing: run the build first (node scripts/build.mjs)',
    );
    dir = mkdtempSync(join(tmpdir(), 'poolkit-consumer-'));
    const packed = JSON.parse(
      execFileSync(npm, ['pack', '--json', '--pack-destination', dir], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    const tarball = join(dir, packed[0].filename);
    app = join(dir, 'app');
    cpSync(join(root, 'test', 'consumer'), app, { recursive: true });
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-save', tarball], {
      cwd: app,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The user's own toolchain: the repository's TypeScript runs the check, its @types/node is the app's.
    mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs the tarball with the type packages its .d.ts reference', () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'poolkit', 'package.json'), 'utf8'));
    assert.ok(
      installed.dependencies?.['@webgpu/types'],
      'poolkit must depend on @webgpu/types: its .d.ts use GPUDevice, GPUAdapter, ...',
    );
    assert.ok(
      existsSync(join(app, 'node_modules', '@webgpu', 'types', 'package.json')),
      '@webgpu/types was not installed with the tarball',
    );
  });

  for (const [variant, entry] of Object.entries(variants)) {
    it(`type-checks with moduleResolution ${variant}`, () => {
      const config = JSON.parse(readFileSync(join(app, `tsconfig.${variant}.json`), 'utf8'));
      assert.equal(config.compilerOptions.skipLibCheck, false);
      const { status, output } = typecheck(app, `tsconfig.${variant}.json`, '--listFiles');
      assert.equal(status, 0, `tsc -p tsconfig.${variant}.json failed:\n${output}`);
      const files = output.split('\n').map((f) => f.replaceAll('\\', '/'));
      const poolkitEntries = files.filter((f) => /\/node_modules\/poolkit\/dist\/(index|browser)\.d\.ts$/.test(f));
      assert.deepEqual(
        poolkitEntries.map((f) => f.split('/').pop()),
        [entry],
        'the exports map sent the types elsewhere',
      );
    });

    it(`sees poolkit's real types with moduleResolution ${variant} (a wrong use is an error in the user's file only)`, () => {
      writeFileSync(
        join(app, 'wrong.ts'),
        "import { Pool } from 'poolkit';\nexport const size: string = new Pool().size;\n",
      );
      writeFileSync(
        join(app, `tsconfig.wrong-${variant}.json`),
        JSON.stringify({ extends: `./tsconfig.${variant}.json`, include: ['wrong.ts'] }),
      );
      const { status, output } = typecheck(app, `tsconfig.wrong-${variant}.json`);
      assert.notEqual(status, 0, 'assigning Pool.size (a number) to a string must not type-check');
      const errors = output.split('\n').filter((line) => line.includes('error TS'));
      assert.equal(errors.length, 1, output);
      assert.match(errors[0], /^wrong\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'string'/);
    });
  }
});
