/**
 * What this machine can run: Node, cores, shared memory, wasm threads and SIMD, the WebGPU adapter (or why there is
 * none), and which benchmark peers are installed. Shown by `poolkit info` and kept with every benchmark report.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageDir } from './package-root.js';

/** The WebGPU adapter poolkit would use, or why there is none. */
export interface GpuInfo {
  adapter: string | null;
  /** A CPU implementation (SwiftShader, lavapipe): runs, but `backend: 'auto'` never picks it. */
  software: boolean | null;
  limits: Record<string, number> | null;
  /** Why there is no adapter, or what a software adapter means here. */
  note: string | null;
}

/** A benchmark peer: its version when present, else why it is missing. */
export interface PeerInfo {
  name: string;
  version: string | null;
  missing: string | null;
}

export interface MachineInfo {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  sharedMemory: boolean;
  wasm: { threads: boolean; simd: boolean; relaxedSimd: boolean };
  webgpu: GpuInfo;
  peers: PeerInfo[];
}

// Smallest modules using each feature (the probes of the wasm-feature-detect project).
const WASM_SIMD = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
];
const WASM_THREADS = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0,
  26, 11,
];
const WASM_RELAXED_SIMD = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15,
  253, 128, 2, 11,
];

const validates = (bytes: number[]) => {
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
};

function sharedMemory(): boolean {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

const NODE_PEERS = ['piscina', 'tinypool', 'workerpool', 'threads', 'ml-kmeans', 'webgpu'];

/** The version in node_modules/NAME/package.json, searched upwards from this file as Node resolves packages. */
function installedVersion(name: string): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
    if (dirname(dir) === dir) return null;
  }
}

function python(code: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('/usr/bin/python3', ['-c', code], { timeout: 20_000 }, (err, stdout) =>
      resolve(err ? null : stdout.trim()),
    );
  });
}

async function pythonPeers(): Promise<PeerInfo[]> {
  const [sklearn, mp] = await Promise.all([
    python('import sklearn; print(sklearn.__version__)'),
    python('import multiprocessing, platform; print(platform.python_version())'),
  ]);
  return [
    {
      name: 'scikit-learn',
      version: sklearn,
      missing: sklearn ? null : 'not importable by /usr/bin/python3 (Debian: apt-get install python3-sklearn)',
    },
    { name: 'Python multiprocessing', version: mp, missing: mp ? null : 'no /usr/bin/python3 with multiprocessing' },
  ];
}

function vulkanHint(): string {
  if (process.platform !== 'linux') return '';
  const loader = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'].some((d) =>
    existsSync(join(d, 'libvulkan.so.1')),
  );
  if (!loader) return 'no Vulkan loader (libvulkan.so.1; Debian: apt-get install libvulkan1)';
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES)
    return 'the Vulkan driver named by VK_ICD_FILENAMES / VK_DRIVER_FILES gave no adapter';
  const icds = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
  return icds.length
    ? `no adapter from the installed Vulkan drivers (${icds.join(', ')})`
    : "no Vulkan driver (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, SwiftShader from Debian's chromium)";
}

// Run in a child process: Dawn writes its Vulkan warnings straight to the process's stderr, which would land in the
// middle of a command's output.
const GPU_PROBE = `
const dist = process.argv[1];
await import(dist + '/index.js');
const { acquireGpu, releaseGpu } = await import(dist + '/gpu/device.js');
try {
  const c = await acquireGpu();
  console.log(JSON.stringify({ adapter: c.description, software: c.software, limits: c.limits }));
  await releaseGpu();
} catch (e) {
  console.log(JSON.stringify({ error: String(e.message) }));
}
process.exit(0);
`;

function gpuProbe(): Promise<{
  adapter?: string;
  software?: boolean;
  limits?: Record<string, number>;
  error?: string;
}> {
  const dist = pathToFileURL(join(packageDir(), 'dist')).href;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', GPU_PROBE, dist], { timeout: 30_000 }, (err, stdout) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
      } catch {
        resolve({ error: err ? err.message : 'the WebGPU probe printed nothing' });
      }
    });
  });
}

async function gpuInfo(): Promise<GpuInfo> {
  if (installedVersion('webgpu') === null)
    return {
      adapter: null,
      software: null,
      limits: null,
      note: "the optional package 'webgpu' is not installed (npm i webgpu)",
    };
  const probe = await gpuProbe();
  if (probe.adapter === undefined)
    return {
      adapter: null,
      software: null,
      limits: null,
      note: vulkanHint() || (probe.error ?? 'no adapter').split('. ')[0]!,
    };
  return {
    adapter: probe.adapter,
    software: probe.software ?? null,
    limits: probe.limits ?? null,
    note: probe.software
      ? 'only a software adapter (a CPU implementation): the webgpu backend runs, slower than wasm threads, and auto never picks it'
      : null,
  };
}

/** Probes the machine; `peers: false` leaves out the peer search (and its Python start-up). */
export async function probeMachine({ peers = true }: { peers?: boolean } = {}): Promise<MachineInfo> {
  const [webgpu, python] = await Promise.all([gpuInfo(), peers ? pythonPeers() : Promise.resolve([])]);
  const nodePeers: PeerInfo[] = peers
    ? NODE_PEERS.map((name) => {
        const version = installedVersion(name);
        return { name, version, missing: version ? null : 'not installed' };
      })
    : [];
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    sharedMemory: sharedMemory(),
    wasm: {
      threads: validates(WASM_THREADS) && sharedMemory(),
      simd: validates(WASM_SIMD),
      relaxedSimd: validates(WASM_RELAXED_SIMD),
    },
    webgpu,
    peers: [...nodePeers, ...python],
  };
}

/** `info` as aligned lines for a terminal. */
export function formatMachine(m: MachineInfo): string {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const gpu = m.webgpu.adapter ? `${m.webgpu.adapter}${m.webgpu.software ? ' (software)' : ''}` : 'none';
  const rows: [string, string][] = [
    ['node', m.node],
    ['platform', m.platform],
    ['cpu', `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB`],
    ['shared memory', yes(m.sharedMemory)],
    ['wasm threads', yes(m.wasm.threads)],
    ['wasm SIMD', `${yes(m.wasm.simd)} (relaxed SIMD: ${yes(m.wasm.relaxedSimd)})`],
    ['WebGPU adapter', m.webgpu.note ? `${gpu}: ${m.webgpu.note}` : gpu],
  ];
  if (m.webgpu.limits)
    rows.push([
      'WebGPU limits',
      Object.entries(m.webgpu.limits)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]);
  for (const p of m.peers) rows.push([`peer ${p.name}`, p.version ?? `missing: ${p.missing}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
