/** The poolkit package's own folder and version, found from this module wherever the build put it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: { dir: string; version: string } | undefined;

function find(): { dir: string; version: string } {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'poolkit') return { dir, version: pkg.version ?? '0.0.0' };
    }
    if (dirname(dir) === dir)
      throw new Error(`poolkit's package.json not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The folder holding poolkit's package.json. */
export function packageDir(): string {
  return (root ??= find()).dir;
}

/** poolkit's version, from its package.json. */
export function packageVersion(): string {
  return (root ??= find()).version;
}
