// The Pool's compile-time types (typed proxies, awaited results, generator streams, events), checked by tsc.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('Pool: compile-time types', function () {
  it('test/types/pool-types.ts type-checks (expectTypeOf and @ts-expect-error cases)', function () {
    this.timeout(120000);
    const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
    const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
    } catch (e) {
      out = `${e.stdout}${e.stderr}`;
    }
    assert.equal(out, '', out);
  });
});
