/** Messages between the page (main.ts) and its job worker (job-worker.ts). */

export type Task = 'clusters' | 'colours' | 'words';
export type Backend = 'auto' | 'webgpu' | 'wasm' | 'js';

/** The data a job runs on: the task's built-in sample, or a file the person chose. */
export type Input = { kind: 'sample' } | { kind: 'file'; file: File };

export interface ClustersParams {
  k: number;
  seed: number;
  nInit: number;
  maxIter: number;
  backend: Backend;
  threads: number;
  /** Scatter axes: column indexes, or -1 for the first two principal components. */
  x: number;
  y: number;
}
export interface ColoursParams {
  k: number;
  space: 'srgb' | 'oklab';
  backend: Backend;
  threads: number;
}
export interface WordsParams {
  top: number;
  backend: Backend;
  threads: number;
}

export type Job =
  | { task: 'clusters'; params: ClustersParams; input: Input; mode: 'run' | 'elbow' | 'compare'; backends?: Backend[] }
  | { task: 'colours'; params: ColoursParams; input: Input; mode: 'run' | 'compare'; backends?: Backend[] }
  | { task: 'words'; params: WordsParams; input: Input; mode: 'run' | 'compare'; backends?: Backend[] };

export type Phase = 'reading' | 'parsing' | 'iterating' | 'counting' | 'decoding' | 'elbow';

export type ToWorker = { type: 'run'; id: number; job: Job } | { type: 'cancel'; id: number };

/** `poolkit kmeans --json`'s object. */
export interface KMeansJson {
  n: number;
  dims: number;
  k: number;
  inertia: number;
  iterations: number;
  converged: boolean;
  backend: string;
  threads: number;
  algorithm: string;
  seconds: number;
  centroids: number[][];
}
/** `poolkit wordcount --json`'s object. */
export interface WordCountJson {
  total: number;
  unique: number;
  bytes: number;
  seconds: number;
  top: [string, number][];
}

export interface ClustersResult {
  task: 'clusters';
  json: KMeansJson;
  header: string[] | null;
  sizes: number[];
  labels: Int32Array;
  /** The labels download: one label per line, as `poolkit kmeans --labels` writes. */
  labelsCsv: Blob;
  /** The centroids download: cluster, size, then one column per dimension. */
  centroidsCsv: Blob;
  xy: Float32Array;
  centroidXY: Float32Array;
  axes: [string, string];
  timings: Record<string, number>;
}
export interface ColoursResult {
  task: 'colours';
  width: number;
  height: number;
  original: Blob;
  quantized: Blob;
  palette: { hex: string; rgb: [number, number, number]; share: number }[];
  psnr: number;
  deltaE: number;
  distinctColours: number;
  k: number;
  space: string;
  inertia: number;
  iterations: number;
  converged: boolean;
  backend: string;
  threads: number;
  seconds: number;
  timings: Record<string, number>;
}
export interface WordsResult {
  task: 'words';
  json: WordCountJson;
  backend: string;
  threads: number;
  timings: Record<string, number>;
}
export interface ElbowPoint {
  k: number;
  inertia: number;
  seconds: number;
}
export interface CompareRow {
  backend: string;
  threads: number;
  seconds: number;
  value: string;
  agrees: string;
}

export type FromWorker =
  | { type: 'progress'; id: number; phase: Phase; fraction: number | null; detail: string; heap?: number }
  | { type: 'result'; id: number; result: ClustersResult | ColoursResult | WordsResult }
  | { type: 'elbow'; id: number; point: ElbowPoint; of: number }
  | { type: 'compare'; id: number; row: CompareRow }
  | { type: 'done'; id: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string };
