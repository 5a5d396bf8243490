/**
 * The page's job worker: reads and parses input, runs poolkit (which starts its own workers for wasm threads and the
 * Pool), and posts progress and results back. The page thread only draws, so it never freezes.
 */
import { kmeans, wordCount } from 'poolkit';
import type {
  ColoursParams,
  CompareRow,
  FromWorker,
  Job,
  Phase,
  ToWorker,
  WordsParams,
  Input,
  Backend,
} from './protocol.js';
import { sampleImage, sampleText } from './samples.js';
import { quantize } from './colours.js';
import { checkImage, inputName, InputError, readAll } from './read-input.js';
import { clusterRun, elbow, readTable, type Progress } from './clusters-job.js';

const scope = self as unknown as {
  postMessage(m: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const running = new Map<number, AbortController>();

const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'cancel') {
    running.get(m.id)?.abort(new DOMException('cancelled', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  running.set(m.id, controller);
  let lastPhase: Phase | null = null;
  let lastAt = 0;
  // A new phase is always posted; within one, at most 20 updates a second (and the last, fraction 1): a kernel
  // reporting each slice would keep the page thread redrawing bars no one can read that fast.
  const progress = (phase: Phase, fraction: number | null, detail = '') => {
    const now = performance.now();
    if (phase === lastPhase && now - lastAt < 50 && fraction !== 1) return;
    lastPhase = phase;
    lastAt = now;
    post({ type: 'progress', id: m.id, phase, fraction, detail, heap: heap() });
  };
  run(m.id, m.job, controller.signal, progress)
    .then(
      () => post({ type: 'done', id: m.id }),
      (err: unknown) => {
        if (controller.signal.aborted) post({ type: 'cancelled', id: m.id });
        else post({ type: 'error', id: m.id, message: message(err) });
      },
    )
    .finally(() => running.delete(m.id));
};

function message(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

async function run(id: number, job: Job, signal: AbortSignal, progress: Progress): Promise<void> {
  if (job.task === 'clusters') {
    const table = await readTable(job.input, signal, progress);
    if (job.mode === 'elbow')
      return elbow(table, job.params, signal, progress, (point, of) => post({ type: 'elbow', id, point, of }));
    if (job.mode === 'compare') {
      return compare(
        id,
        job.backends ?? [],
        (b) => clusterRun(table, { ...job.params, backend: b }, signal, progress),
        (r) => ({ ...r.result.json, value: `inertia ${r.inertia.toPrecision(7)}` }),
        (r, ref) => agreement(r.labels, ref.labels),
      );
    }
    const r = await clusterRun(table, job.params, signal, progress);
    post({ type: 'result', id, result: r.result }, [
      r.result.labels.buffer,
      r.result.xy.buffer,
      r.result.centroidXY.buffer,
    ]);
  } else if (job.task === 'colours') {
    const image = await readImage(job.input, signal, progress);
    if (job.mode === 'compare') {
      return compare(
        id,
        job.backends ?? [],
        (b) => colourRun(image, { ...job.params, backend: b }, signal, progress),
        (r) => ({ ...r.result, value: `PSNR ${r.psnr.toFixed(2)} dB` }),
        (r, ref) =>
          r.palette.map((p) => p.hex).join() === ref.palette.map((p) => p.hex).join()
            ? 'same palette'
            : `ΔPSNR ${(r.psnr - ref.psnr).toFixed(3)} dB`,
      );
    }
    post({ type: 'result', id, result: (await colourRun(image, job.params, signal, progress)).result });
  } else {
    if (job.mode === 'compare') {
      return compare(
        id,
        job.backends ?? [],
        (b) => wordRun(job.input, { ...job.params, backend: b }, signal, progress),
        (r) => ({ ...r.result, seconds: r.json.seconds, value: `${r.json.total} words, ${r.json.unique} unique` }),
        (r, ref) => (JSON.stringify(r.entries) === JSON.stringify(ref.entries) ? 'identical counts' : 'counts differ'),
      );
    }
    const r = await wordRun(job.input, job.params, signal, progress);
    post({ type: 'result', id, result: r.result });
  }
}

function agreement(a: Int32Array, b: Int32Array): string {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return `${((100 * same) / a.length).toFixed(2)} % same labels`;
}

type Described = { backend: string; threads: number; seconds: number; value: string };

/** Runs the same job on each backend in turn, posting a table row per backend; the first is the reference. */
async function compare<R>(
  id: number,
  backends: Backend[],
  once: (b: Backend) => Promise<R>,
  describe: (r: R) => Described,
  agrees: (r: R, ref: R) => string,
): Promise<void> {
  let ref: R | undefined;
  for (const b of backends) {
    const r = await once(b);
    const d = describe(r);
    const row: CompareRow = {
      backend: d.backend,
      threads: d.threads,
      seconds: d.seconds,
      value: d.value,
      agrees: ref === undefined ? 'reference' : agrees(r, ref),
    };
    ref ??= r;
    post({ type: 'compare', id, row });
  }
}

// ---- Colours

async function readImage(input: Input, signal: AbortSignal, progress: Progress) {
  if (input.kind === 'sample') {
    const { width, height, rgba } = sampleImage();
    return { width, height, rgba, original: await png(rgba, width, height) };
  }
  const name = inputName(input, '');
  const bytes = await readAll(input.file, signal, (f) => progress('reading', f));
  const type = checkImage(bytes, name);
  progress('decoding', null, name);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  } catch {
    throw new InputError(
      `${name}: the browser could not decode this ${type.slice(6).toUpperCase()} image (damaged or unsupported)`,
    );
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return {
    width: bitmap.width,
    height: bitmap.height,
    rgba: data,
    original: new Blob([bytes as Uint8Array<ArrayBuffer>], { type }),
  };
}

async function png(rgba: Uint8ClampedArray, width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

async function colourRun(
  image: { width: number; height: number; rgba: Uint8ClampedArray; original: Blob },
  p: ColoursParams,
  signal: AbortSignal,
  progress: Progress,
) {
  const t0 = performance.now();
  const q = await quantize(
    image.rgba,
    {
      k: p.k,
      space: p.space,
      backend: p.backend,
      threads: p.threads,
      signal,
      onProgress: ({ iteration, inertia }) =>
        progress('iterating', iteration / 100, `iteration ${iteration}, inertia ${inertia.toPrecision(7)}`),
    },
    kmeans,
  );
  const seconds = (performance.now() - t0) / 1000;
  const quantized = await png(q.rgba, image.width, image.height);
  const { rgba: _rgba, ...rest } = q;
  const result = {
    task: 'colours' as const,
    ...rest,
    width: image.width,
    height: image.height,
    original: image.original,
    quantized,
    k: q.palette.length,
    space: p.space,
    seconds,
    timings: { quantize: seconds },
  };
  return { result, psnr: q.psnr, palette: q.palette };
}

// ---- Words

async function wordRun(input: Input, p: WordsParams, signal: AbortSignal, progress: Progress) {
  const source: Blob =
    input.kind === 'sample' ? new Blob([sampleText() as Uint8Array<ArrayBuffer>], { type: 'text/plain' }) : input.file;
  if (input.kind === 'file' && input.file.size === 0) throw new InputError(`${input.file.name}: the file is empty`);
  const t0 = performance.now();
  // A Blob is read in slices by poolkit: a file of any size never becomes one string.
  const counts = await wordCount(source, {
    backend: p.backend === 'webgpu' ? 'auto' : p.backend,
    threads: p.threads,
    signal,
    onProgress: ({ bytes, totalBytes }) =>
      progress('counting', totalBytes ? bytes / totalBytes : null, `${(bytes / 1e6).toFixed(1)} MB`),
  });
  const seconds = (performance.now() - t0) / 1000;
  const json = {
    total: counts.total,
    unique: counts.unique,
    bytes: counts.bytes,
    seconds: +seconds.toFixed(4),
    top: counts.top(p.top),
  };
  const c = counts as unknown as { backend: string; threads: number };
  return {
    json,
    entries: counts.top(Infinity),
    result: { task: 'words' as const, json, backend: c.backend, threads: c.threads, timings: { count: seconds } },
  };
}
