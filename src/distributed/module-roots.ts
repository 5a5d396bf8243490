/**
 * Where a worker finds a task's module (docs/distributed.md, "Module resolution"): the host names it by its own
 * URL; a worker on a machine where that path differs rewrites the URL's prefix by its module-root mapping.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A mapping's side as a URL prefix: paths become file: URLs; both end with '/' so only whole segments match. */
function prefix(root: string): string {
  const href = isAbsolute(root) ? pathToFileURL(root).href : new URL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Rewrites URLs under `from` to the same place under `to`; the first matching pair applies. */
export function moduleResolver(roots: ReadonlyArray<readonly [string, string]>): (url: string) => string {
  const pairs = roots.map(([from, to]) => [prefix(from), prefix(to)] as const);
  return (url) => {
    for (const [from, to] of pairs) if (url.startsWith(from)) return to + url.slice(from.length);
    return url;
  };
}
