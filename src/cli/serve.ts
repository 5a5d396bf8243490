/**
 * `poolkit serve [--port P] [--host H] [--open]`: serves the analytics page (dist/web/) and the browser build next to
 * it, with the cross-origin isolation headers that SharedArrayBuffer (and so wasm threads) needs. Loopback by default;
 * the first line of stdout is the page's URL. Runs until SIGINT or SIGTERM, then exits 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import { stat, readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integerArg, runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

const DEFAULT_PORT = 8123;

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: 'serves the analytics page with cross-origin isolation (wasm threads); the first stdout line is its URL',
  positionals: [],
  options: {
    port: { type: 'string', value: 'P', help: `port (default ${DEFAULT_PORT}; 0 picks a free one)` },
    host: { type: 'string', value: 'H', help: 'address to listen on (default 127.0.0.1, this machine only)' },
    open: { type: 'boolean', help: 'open the page in the default browser' },
  },
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wgsl': 'text/plain; charset=utf-8',
};

/** COOP + COEP make the page cross-origin isolated; CORP lets isolated pages load these files. */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Maps a request path to a file under `root`, or undefined when it would leave `root`. */
function fileFor(root: string, url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return undefined;
  }
  const file = normalize(join(root, path));
  return file === root.slice(0, -1) || file.startsWith(root) ? file : undefined;
}

async function respond(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  if (pathname === '/' || pathname === '/web') {
    res.writeHead(302, { Location: '/web/', ...ISOLATION }).end();
    return;
  }
  let file = fileFor(root, req.url ?? '/');
  if (!file) {
    res.writeHead(403, ISOLATION).end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...ISOLATION,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...ISOLATION }).end('not found\n');
  }
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  // A missing opener is not an error: the URL is on stdout.
  spawn(cmd, args, { stdio: 'ignore', detached: true })
    .on('error', () => {})
    .unref();
}

/** Runs `poolkit serve`; resolves with the exit code once the server has stopped. */
export function serveCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(serveSpec, argv, io, async ({ values }) => {
    const port = values.port === undefined ? DEFAULT_PORT : integerArg(values.port as string, '--port', 0);
    if (port > 65535) throw new UsageError(`expected an integer from 0 to 65535, got '${values.port}'`, '--port');
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    if (host.trim() === '') throw new UsageError("expected a host name or address, got ''", '--host');
    return serve({ port, host, open: values.open === true }, io);
  });
}

async function serve(options: { port: number; host: string; open: boolean }, io: Io): Promise<number> {
  // dist/cli/main.js → dist/: the page lives in dist/web/ and imports ../browser/index.js.
  const root = fileURLToPath(new URL('../', import.meta.url));
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  try {
    await stat(join(rootWithSep, 'web', 'index.html'));
  } catch {
    io.stderr(`poolkit serve: the page is missing (${join(rootWithSep, 'web', 'index.html')}); run the build first`);
    return 1;
  }
  const server = createServer((req, res) => {
    respond(rootWithSep, req, res).catch(() => res.writeHead(500).end());
  });
  const { port, host } = options;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.stderr(
      `poolkit serve: cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use (try --port 0)' : (e as Error).message}`,
    );
    return 2;
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${boundPort}/`;
  let stopping = false;
  let stopped: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  // The listeners stay until the server has closed: a signal-exit handler (loaded with the CLI's progress output)
  // re-raises a signal that it finds no other listener for, which would kill the process with 143, not exit 0.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      stopped();
    });
    server.closeAllConnections();
  };
  // Listening before the URL is printed: whoever reads it may stop the server at once, and a signal that arrives
  // while no listener exists kills the process.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  io.stdout(url);
  io.stdout('serving the analytics page with cross-origin isolation (COOP/COEP); Ctrl-C stops');
  if (options.open) openInBrowser(url);
  await done;
  return 0;
}
