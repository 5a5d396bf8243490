// Every public export of dist/index.js that is a function or a class, walked with a bad value and an unknown option
// key: each must fail with a PoolkitError carrying its code and the argument's path as the caller wrote it. The case
// list is explicit and must equal the module's exports, so a new export without a case fails here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as api from '../dist/index.js';

const { Pool, PoolkitError, InvalidArgumentError, AbortError, DataCloneError } = api;
const ok = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3]);
const identity = (x) => x;

/** Asserts that `run` throws or rejects with an InvalidArgumentError naming `argument`, in the one grammar. */
async function rejectsNaming(run, argument, label) {
  let error;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `${label}: did not fail`);
  assert.ok(error instanceof PoolkitError, `${label}: ${error?.name}: ${error?.message} is not a PoolkitError`);
  assert.ok(error instanceof InvalidArgumentError, `${label}: ${error.name} is not an InvalidArgumentError`);
  assert.equal(error.code, 'ERR_INVALID_ARGUMENT', label);
  assert.equal(error.argument, argument, `${label}: ${error.message}`);
  assert.match(error.message, new RegExp(`^${argument.replace(/[.[\]]/g, '\\$&')}: expected .+, got .+`), label);
}

let pool;
const pools = () => pool;
let manager;
const managers = () => manager;
const target = () => 1;

/**
 * For each export: `bad` cases (a bad value) and `unknownKey` cases (an options object with a key it does not take),
 * as [label, call, argument]. An export that takes no options object says why in `noOptions` instead.
 */
const calls = {
  Pool: {
    bad: [
      ['new Pool({ workers: 0 })', () => new Pool({ workers: 0 }), 'options.workers'],
      ['new Pool({ taskTimeout: "1s" })', () => new Pool({ taskTimeout: '1s' }), 'options.taskTimeout'],
      ['new Pool(5)', () => new Pool(5), 'options'],
      [
        'new Pool({ resourceLimits: { stackSizeMb: -1 } })',
        () => new Pool({ resourceLimits: { stackSizeMb: -1 } }),
        'options.resourceLimits.stackSizeMb',
      ],
      ['apply(42)', () => pools().apply(42), 'fn'],
      ['apply(fn, 5)', () => pools().apply(identity, 5), 'args'],
      ['apply signal', () => pools().apply(identity, [1], { signal: {} }), 'options.signal'],
      ['applyAsync callback', () => pools().applyAsync(identity, [1], { callback: 1 }).get(), 'options.callback'],
      ['map(fn, 42)', () => pools().map(identity, 42), 'items'],
      ['map chunksize', () => pools().map(identity, [1], { chunksize: 0 }), 'options.chunksize'],
      [
        'mapAsync errorCallback',
        () => pools().mapAsync(identity, [1], { errorCallback: 'x' }).get(),
        'options.errorCallback',
      ],
      ['starmap(fn, 42)', () => pools().starmap(identity, 42), 'argTuples'],
      ['starmap(fn, [1])', () => pools().starmap(identity, [1]), 'argTuples[0]'],
      [
        'starmapAsync chunksize',
        () =>
          pools()
            .starmapAsync(identity, [[1]], { chunksize: 1.5 })
            .get(),
        'options.chunksize',
      ],
      ['imap chunksize', () => pools().imap(identity, [1], { chunksize: -1 }), 'options.chunksize'],
      ['imapUnordered(fn, 42)', () => pools().imapUnordered(identity, 42), 'items'],
    ],
    unknownKey: [
      ['new Pool({ wokers })', () => new Pool({ wokers: 2 }), 'options.wokers'],
      [
        'new Pool({ resourceLimits: { maxOld } })',
        () => new Pool({ resourceLimits: { maxOld: 1 } }),
        'options.resourceLimits.maxOld',
      ],
      ['apply does not take chunksize', () => pools().apply(identity, [1], { chunksize: 2 }), 'options.chunksize'],
      [
        'applyAsync { callbak }',
        () =>
          pools()
            .applyAsync(identity, [1], { callbak: () => {} })
            .get(),
        'options.callbak',
      ],
      ['map { chunkSize }', () => pools().map(identity, [1], { chunkSize: 2 }), 'options.chunkSize'],
      ['map does not take callback', () => pools().map(identity, [1], { callback: () => {} }), 'options.callback'],
      ['mapAsync { signall }', () => pools().mapAsync(identity, [1], { signall: null }).get(), 'options.signall'],
      ['starmap { chunk }', () => pools().starmap(identity, [[1]], { chunk: 1 }), 'options.chunk'],
      [
        'starmapAsync { callbacks }',
        () =>
          pools()
            .starmapAsync(identity, [[1]], { callbacks: [] })
            .get(),
        'options.callbacks',
      ],
      ['imap { ordered }', () => pools().imap(identity, [1], { ordered: false }), 'options.ordered'],
      ['imapUnordered { window }', () => pools().imapUnordered(identity, [1], { window: 4 }), 'options.window'],
    ],
  },
  AsyncResult: {
    bad: [
      ['get(-1)', () => pools().applyAsync(identity, [1]).get(-1), 'timeoutMs'],
      ['get("1")', () => pools().applyAsync(identity, [1]).get('1'), 'timeoutMs'],
    ],
    noOptions:
      'made by applyAsync / mapAsync / starmapAsync (whose options are walked under Pool); get(timeoutMs) takes a number',
  },
  task: {
    bad: [
      ['task("tasks.js")', () => api.task('tasks.js'), 'url'],
      ['task(42)', () => api.task(42), 'url'],
      ['task(url, "")', () => api.task(new URL('file:///tasks.js'), ''), 'name'],
      ['task(url, 1)', () => api.task(new URL('file:///tasks.js'), 1), 'name'],
    ],
    noOptions: 'task(url, name) takes two values, no options object',
  },
  defineTasks: {
    bad: [
      ['defineTasks("tasks.js")', () => api.defineTasks('tasks.js'), 'url'],
      ['defineTasks(42)', () => api.defineTasks(42), 'url'],
    ],
    noOptions: 'defineTasks(url) takes a module URL, no options object',
  },
  kmeans: {
    bad: [
      ['k 0', () => api.kmeans(ok, { k: 0, dims: 2 }), 'options.k'],
      ['dims "2"', () => api.kmeans(ok, { k: 1, dims: '2' }), 'options.dims'],
      ['backend', () => api.kmeans(ok, { k: 1, dims: 2, backend: 'gpu' }), 'options.backend'],
      ['threads 2000', () => api.kmeans(ok, { k: 1, dims: 2, threads: 2000 }), 'options.threads'],
      ['data', () => api.kmeans('1,2', { k: 1 }), 'data'],
      ['options', () => api.kmeans(ok), 'options'],
    ],
    unknownKey: [['{ iterations }', () => api.kmeans(ok, { k: 1, dims: 2, iterations: 5 }), 'options.iterations']],
  },
  predict: {
    bad: [
      ['threads 0', () => api.predict(ok, ok, { dims: 2, threads: 0 }), 'options.threads'],
      ['centroids', () => api.predict(null, ok, { dims: 2 }), 'centroids'],
      ['data rows of another length', () => api.predict([[1, 2]], [[1, 2, 3]]), 'data'],
      ['signal', () => api.predict(ok, ok, { dims: 2, signal: true }), 'options.signal'],
    ],
    unknownKey: [['{ dim }', () => api.predict(ok, ok, { dim: 2 }), 'options.dim']],
  },
  miniBatchKMeans: {
    bad: [
      ['batchSize 0', () => api.miniBatchKMeans(ok, { k: 1, dims: 2, batchSize: 0 }), 'options.batchSize'],
      ['k missing', () => api.miniBatchKMeans(ok, { dims: 2 }), 'options.k'],
      ['source', () => api.miniBatchKMeans(7, { k: 1 }), 'source'],
      ['no such file', () => api.miniBatchKMeans('/nonexistent/x.npy', { k: 1 }), 'source'],
      ['onLabels', () => api.miniBatchKMeans(ok, { k: 1, dims: 2, onLabels: 1 }), 'options.onLabels'],
    ],
    unknownKey: [
      ['{ nClusters }', () => api.miniBatchKMeans(ok, { k: 1, dims: 2, nClusters: 2 }), 'options.nClusters'],
    ],
  },
  predictFile: {
    bad: [
      ['source', () => api.predictFile(7, new Float32Array(2)), 'source'],
      ['centroids', () => api.predictFile('x.npy', [[1, 2]]), 'centroids'],
      ['no such file', () => api.predictFile('/nonexistent/x.npy', new Float32Array(2)), 'source'],
      ['out', () => api.predictFile('x.npy', new Float32Array(2), { out: 'labels.csv' }), 'options.out'],
    ],
    unknownKey: [['{ output }', () => api.predictFile('x.npy', new Float32Array(2), { output: 1 }), 'options.output']],
  },
  MiniBatchKMeans: {
    bad: [
      ['k 0', () => new api.MiniBatchKMeans({ k: 0 }), 'options.k'],
      ['block', () => new api.MiniBatchKMeans({ k: 2, dims: 2 }).partialFit(null), 'block'],
    ],
    unknownKey: [['{ batch }', () => new api.MiniBatchKMeans({ k: 1, batch: 9 }), 'options.batch']],
  },
  mapReduce: {
    bad: [
      [
        'partitions 0',
        () => api.mapReduce(['a'], { map: identity, partitions: 0, pool: pools() }),
        'options.partitions',
      ],
      ['map missing', () => api.mapReduce(['a'], { pool: pools() }), 'options.map'],
      ['pool', () => api.mapReduce(['a'], { map: identity, pool: {} }), 'options.pool'],
      ['onProgress', () => api.mapReduce(['a'], { map: identity, onProgress: 1, pool: pools() }), 'options.onProgress'],
      ['input', () => api.mapReduce(42, { map: identity, pool: pools() }), 'input'],
      ['options', () => api.mapReduce(['a']), 'options'],
    ],
    unknownKey: [
      [
        '{ partition }',
        () => api.mapReduce(['a'], { map: identity, partition: 2, pool: pools() }),
        'options.partition',
      ],
    ],
  },
  wordCount: {
    bad: [
      ['threads 0', () => api.wordCount('x', { threads: 0 }), 'options.threads'],
      ['backend', () => api.wordCount('x', { backend: 'gpu' }), 'options.backend'],
      ['pool', () => api.wordCount('x', { pool: 2 }), 'options.pool'],
      ['tuning.initialSlots', () => api.wordCount('x', { tuning: { initialSlots: 0 } }), 'options.tuning.initialSlots'],
      ['options', () => api.wordCount('x', 'fast'), 'options'],
      ['input', () => api.wordCount(42), 'input'],
    ],
    unknownKey: [
      ['{ thread }', () => api.wordCount('x', { thread: 2 }), 'options.thread'],
      ['{ tuning: { slots } }', () => api.wordCount('x', { tuning: { slots: 2 } }), 'options.tuning.slots'],
    ],
  },
  Lock: {
    bad: [
      ['acquire(-1)', () => new api.Lock().acquire(-1), 'timeoutMs'],
      ['acquireAsync("1")', () => new api.Lock().acquireAsync('1'), 'timeoutMs'],
      ['held(NaN)', () => new api.Lock().held(NaN), 'timeoutMs'],
      ['new Lock({ timeout })', () => new api.Lock({ timeout: 1 }), 'shared'],
    ],
    noOptions: 'new Lock() takes no arguments; its methods take a timeout in milliseconds',
  },
  RLock: {
    bad: [
      ['acquire(-1)', () => new api.RLock().acquire(-1), 'timeoutMs'],
      ['acquireAsync("1")', () => new api.RLock().acquireAsync('1'), 'timeoutMs'],
      ['held(NaN)', () => new api.RLock().held(NaN), 'timeoutMs'],
      ['new RLock(1)', () => new api.RLock(1), 'shared'],
    ],
    noOptions: 'new RLock() takes no arguments; its methods take a timeout in milliseconds',
  },
  Semaphore: {
    bad: [
      ['new Semaphore(-1)', () => new api.Semaphore(-1), 'value'],
      ['new Semaphore(2 ** 31)', () => new api.Semaphore(2 ** 31), 'value'],
      ['new Semaphore("2")', () => new api.Semaphore('2'), 'value'],
      ['release(0)', () => new api.Semaphore(1).release(0), 'n'],
      ['acquire(-1)', () => new api.Semaphore(1).acquire(-1), 'timeoutMs'],
      ['acquireAsync("x")', () => new api.Semaphore(1).acquireAsync('x'), 'timeoutMs'],
    ],
    noOptions: 'new Semaphore(value) takes a count; its methods take a count or a timeout in milliseconds',
  },
  BoundedSemaphore: {
    bad: [
      ['new BoundedSemaphore(1.5)', () => new api.BoundedSemaphore(1.5), 'value'],
      ['release(-1)', () => new api.BoundedSemaphore(1).release(-1), 'n'],
      ['held(-5)', () => new api.BoundedSemaphore(1).held(-5), 'timeoutMs'],
    ],
    noOptions: 'as Semaphore: new BoundedSemaphore(value) takes a count',
  },
  Event: {
    bad: [
      ['wait(-1)', () => new api.Event().wait(-1), 'timeoutMs'],
      ['waitAsync("1")', () => new api.Event().waitAsync('1'), 'timeoutMs'],
      ['new Event(true)', () => new api.Event(true), 'shared'],
    ],
    noOptions: 'new Event() takes no arguments; wait takes a timeout in milliseconds',
  },
  Condition: {
    bad: [
      ['new Condition({})', () => new api.Condition({}), 'lock'],
      ['new Condition(semaphore)', () => new api.Condition(new api.Semaphore()), 'lock'],
      ['notify(-1)', () => new api.Condition().notify(-1), 'n'],
      ['notify(1.5)', () => new api.Condition().notify(1.5), 'n'],
      ['wait("1")', () => new api.Condition().wait('1'), 'timeoutMs'],
      ['waitForAsync(fn, -1)', () => new api.Condition().waitForAsync(() => true, -1), 'timeoutMs'],
    ],
    noOptions: 'new Condition(lock) takes a Lock or an RLock; its methods take a count or a timeout in milliseconds',
  },
  Barrier: {
    bad: [
      ['new Barrier(0)', () => new api.Barrier(0), 'parties'],
      ['new Barrier("3")', () => new api.Barrier('3'), 'parties'],
      ['new Barrier(2, 5)', () => new api.Barrier(2, 5), 'options'],
      ['new Barrier(2, { action: "x" })', () => new api.Barrier(2, { action: 'x' }), 'options.action'],
      ['new Barrier(2, { timeout: -1 })', () => new api.Barrier(2, { timeout: -1 }), 'options.timeout'],
      ['wait(-1)', () => new api.Barrier(1).wait(-1), 'timeoutMs'],
      ['waitAsync(NaN)', () => new api.Barrier(1).waitAsync(NaN), 'timeoutMs'],
    ],
    unknownKey: [['new Barrier(2, { timeOut })', () => new api.Barrier(2, { timeOut: 5 }), 'options.timeOut']],
  },
  Value: {
    bad: [
      ['new Value("x", 0)', () => new api.Value('x', 0), 'type'],
      ['new Value("i", "1")', () => new api.Value('i', '1'), 'initial'],
      ['new Value("q", 1)', () => new api.Value('q', 1), 'initial'],
      ['new Value("i", 0, "lock")', () => new api.Value('i', 0, 'lock'), 'options'],
      ['new Value("i", 0, { lock: 1 })', () => new api.Value('i', 0, { lock: 1 }), 'options.lock'],
    ],
    unknownKey: [['new Value("i", 0, { locks })', () => new api.Value('i', 0, { locks: false }), 'options.locks']],
  },
  RawValue: {
    bad: [
      ['new RawValue(5)', () => new api.RawValue(5), 'type'],
      ['new RawValue("d", 1n)', () => new api.RawValue('d', 1n), 'initial'],
    ],
    noOptions: 'new RawValue(type, initial): a RawValue has no lock to choose',
  },
  SharedArray: {
    bad: [
      ['SharedArray("z", 1)', () => api.SharedArray('z', 1), 'type'],
      ['SharedArray("i", -1)', () => api.SharedArray('i', -1), 'lengthOrItems'],
      ['SharedArray("i", 1.5)', () => api.SharedArray('i', 1.5), 'lengthOrItems'],
      ['SharedArray("d", null)', () => api.SharedArray('d', null), 'lengthOrItems'],
      ['SharedArray("Q", [1])', () => api.SharedArray('Q', [1]), 'lengthOrItems[0]'],
    ],
    noOptions: 'SharedArray(type, lengthOrItems) takes a type code and a length or items',
  },
  RawArray: {
    bad: [
      ['RawArray(1, 1)', () => api.RawArray(1, 1), 'type'],
      ['RawArray("f", {})', () => api.RawArray('f', {}), 'lengthOrItems'],
      ['RawArray("i", [1, "a"])', () => api.RawArray('i', [1, 'a']), 'lengthOrItems[1]'],
    ],
    noOptions: 'as SharedArray: RawArray(type, lengthOrItems)',
  },
  Queue: {
    bad: [
      ['new Queue(5)', () => new api.Queue(5), 'options'],
      ['new Queue({ maxsize: -1 })', () => new api.Queue({ maxsize: -1 }), 'options.maxsize'],
      ['new Queue({ capacity: 10 })', () => new api.Queue({ capacity: 10 }), 'options.capacity'],
      ['get({ timeout: -1 })', () => new api.Queue().get({ timeout: -1 }), 'options.timeout'],
      ['getAsync({ timeout: "1" })', () => new api.Queue().getAsync({ timeout: '1' }), 'options.timeout'],
      ['put(1, { block: "no" })', () => new api.Queue().put(1, { block: 'no' }), 'options.block'],
      ['putAsync(1, 5)', () => new api.Queue().putAsync(1, 5), 'options'],
    ],
    unknownKey: [
      ['new Queue({ maxSize })', () => new api.Queue({ maxSize: 1 }), 'options.maxSize'],
      ['put(1, { timout })', () => new api.Queue().put(1, { timout: 5 }), 'options.timout'],
      ['get({ blocking })', () => new api.Queue().get({ blocking: false }), 'options.blocking'],
    ],
  },
  SimpleQueue: {
    bad: [
      ['new SimpleQueue({ capacity: 1 })', () => new api.SimpleQueue({ capacity: 1 }), 'options.capacity'],
      ['get({ timeout: NaN })', () => new api.SimpleQueue().get({ timeout: NaN }), 'options.timeout'],
    ],
    unknownKey: [
      ['new SimpleQueue({ maxsize }): it is unbounded', () => new api.SimpleQueue({ maxsize: 2 }), 'options.maxsize'],
    ],
  },
  JoinableQueue: {
    bad: [
      ['new JoinableQueue({ maxsize: 1.5 })', () => new api.JoinableQueue({ maxsize: 1.5 }), 'options.maxsize'],
      ['join(-1)', () => new api.JoinableQueue().join(-1), 'timeoutMs'],
      ['joinAsync("x")', () => new api.JoinableQueue().joinAsync('x'), 'timeoutMs'],
    ],
    unknownKey: [['new JoinableQueue({ size })', () => new api.JoinableQueue({ size: 1 }), 'options.size']],
  },
  Pipe: {
    bad: [['Pipe("yes")', () => api.Pipe('yes'), 'duplex']],
    noOptions: 'Pipe(duplex) takes one boolean',
  },
  Connection: {
    bad: [
      ['recv(-1)', () => api.Pipe()[0].recv(-1), 'timeoutMs'],
      ['recvAsync(NaN)', () => api.Pipe()[0].recvAsync(NaN), 'timeoutMs'],
      ['poll("1")', () => api.Pipe()[1].poll('1'), 'timeoutMs'],
    ],
    noOptions: 'made by Pipe(); recv and poll take a timeout in milliseconds',
  },
  Process: {
    bad: [
      ['new Process()', () => new api.Process(), 'options'],
      ['new Process(target)', () => new api.Process(target), 'options'],
      ['new Process({ target: 3 })', () => new api.Process({ target: 3 }), 'options.target'],
      ['new Process({ args: "x" })', () => new api.Process({ target, args: 'x' }), 'options.args'],
      ['new Process({ name: 5 })', () => new api.Process({ target, name: 5 }), 'options.name'],
      ['new Process({ daemon: "yes" })', () => new api.Process({ target, daemon: 'yes' }), 'options.daemon'],
      ['join(-1)', () => new api.Process({ target }).join(-1), 'timeoutMs'],
    ],
    unknownKey: [['new Process({ arg })', () => new api.Process({ target, arg: [1] }), 'options.arg']],
  },
  prewarmProcesses: {
    bad: [
      ['prewarmProcesses(-1)', () => api.prewarmProcesses(-1), 'count'],
      ['prewarmProcesses("2")', () => api.prewarmProcesses('2'), 'count'],
    ],
    noOptions: 'prewarmProcesses(count) takes one count',
  },
  Manager: {
    bad: [
      ['dict(42)', () => managers().dict(42), 'entries'],
      ['dict([[1]])', () => managers().dict([[1]]), 'entries[0]'],
      ['list(5)', () => managers().list(5), 'items'],
      ['Namespace("x")', () => managers().Namespace('x'), 'init'],
      ['Queue({ maxsize: -1 })', () => managers().Queue({ maxsize: -1 }), 'options.maxsize'],
      ['Value("z")', () => managers().Value('z'), 'type'],
    ],
    unknownKey: [
      ['Queue({ maxSize })', () => managers().Queue({ maxSize: 2 }), 'options.maxSize'],
      ['Value("i", 0, { locked })', () => managers().Value('i', 0, { locked: true }), 'options.locked'],
    ],
  },
  DictProxy: {
    bad: [['increment(key, "one")', () => managers().dict().increment('k', 'one'), 'by']],
    noOptions: "made by manager.dict(); its methods take keys and values, which are the caller's data",
  },
  ListProxy: {
    bad: [
      ['set(1.5, x)', () => managers().list([1, 2]).set(1.5, 'x'), 'index'],
      ['get("0")', () => managers().list([1]).get('0'), 'index'],
    ],
    noOptions: 'made by manager.list(); its methods take indexes and values',
  },
  setGpuProvider: {
    bad: [['setGpuProvider({})', () => api.setGpuProvider({}), 'provider']],
    noOptions: "a provider is the caller's own object: members beyond { name, requestAdapter } are its business",
  },
};

/** Exports that take no input at all: what each is checked for instead. */
const inputless = {
  releaseGpu: async () => assert.equal(await api.releaseGpu(), undefined),
  MapReduceResult: () => assert.ok(new api.MapReduceResult() instanceof Map),
  currentProcess: () => {
    const me = api.currentProcess();
    assert.equal(me.name, 'MainProcess');
    assert.ok(Number.isInteger(me.ident));
  },
  activeChildren: () => assert.deepEqual(api.activeChildren(), []),
  cpuCount: () => assert.ok(Number.isInteger(api.cpuCount()) && api.cpuCount() >= 1),
  releaseProcesses: async () => assert.equal(await api.releaseProcesses(), undefined),
  // Outside a task there is nobody to report to: progress() is a no-op, never an error.
  progress: () => assert.equal(api.progress(0.5), undefined),
};

/** The error classes: each a PoolkitError with its own stable code, built as poolkit builds it. */
const errorClasses = {
  PoolkitError: [() => new PoolkitError('x'), 'ERR_POOLKIT'],
  InvalidArgumentError: [() => new InvalidArgumentError('options.x', 'expected 1, got 2'), 'ERR_INVALID_ARGUMENT'],
  AbortError: [() => new AbortError(), 'ABORT_ERR'],
  TimeoutError: [() => new api.TimeoutError(5), 'ERR_TASK_TIMEOUT'],
  WorkerCrashedError: [() => new api.WorkerCrashedError(1), 'ERR_WORKER_CRASHED'],
  PoolClosedError: [() => new api.PoolClosedError('closed'), 'ERR_POOL_CLOSED'],
  QueueFullError: [() => new api.QueueFullError(3), 'ERR_QUEUE_FULL'],
  InitializerError: [() => new api.InitializerError('init'), 'ERR_INITIALIZER'],
  NotSelfContainedError: [() => new api.NotSelfContainedError('closure'), 'ERR_NOT_SELF_CONTAINED'],
  ResultTimeoutError: [() => new api.ResultTimeoutError('late'), 'ERR_RESULT_TIMEOUT'],
  WasmMemoryError: [() => new api.WasmMemoryError('big', 2 ** 33), 'ERR_WASM_MEMORY'],
  BufferLimitError: [() => new api.BufferLimitError('full', 'maxBufferedValues', 1), 'ERR_BUFFER_LIMIT'],
  KernelError: [() => new api.KernelError('status 9'), 'ERR_KERNEL'],
  DataCloneError: [() => new DataCloneError('a function'), 'ERR_DATA_CLONE'],
  SharedMemoryUnavailableError: [() => new api.SharedMemoryUnavailableError('Lock'), 'ERR_NO_SHARED_MEMORY'],
  WebGpuUnavailableError: [() => new api.WebGpuUnavailableError('none'), 'ERR_WEBGPU_UNAVAILABLE'],
  WebGpuDeviceLostError: [() => new api.WebGpuDeviceLostError('destroyed', ''), 'ERR_WEBGPU_DEVICE_LOST'],
  WebGpuLimitError: [() => new api.WebGpuLimitError('memory', 'too big'), 'ERR_WEBGPU_LIMIT'],
  WebGpuError: [() => new api.WebGpuError('rejected'), 'ERR_WEBGPU'],
  BlockingNotAllowedError: [() => new api.BlockingNotAllowedError('Lock.acquire'), 'ERR_BLOCKING_NOT_ALLOWED'],
  SyncTimeoutError: [() => new api.SyncTimeoutError('Lock.acquire', 5), 'ERR_SYNC_TIMEOUT'],
  LockNotOwnedError: [() => new api.LockNotOwnedError('not mine'), 'ERR_LOCK_NOT_OWNED'],
  BrokenBarrierError: [() => new api.BrokenBarrierError(), 'ERR_BROKEN_BARRIER'],
  QueueEmptyError: [() => new api.QueueEmptyError(5), 'ERR_QUEUE_EMPTY'],
  ClosedError: [() => new api.ClosedError('closed'), 'ERR_CLOSED'],
  EOFError: [() => new api.EOFError(), 'ERR_EOF'],
  SemaphoreOverflowError: [() => new api.SemaphoreOverflowError('too many'), 'ERR_SEMAPHORE_OVERFLOW'],
  NotSerializableError: [() => new api.NotSerializableError('a function'), 'ERR_NOT_SERIALIZABLE'],
};

/**
 * Error classes that are a kind of another one and keep its name and code, so that one check catches both: each
 * with how it is built and the class it is a kind of.
 */
const errorKinds = {
  QueueFullTimeoutError: [() => new api.QueueFullTimeoutError(2, 5), 'QueueFullError'],
};

describe('api errors: every public export', function () {
  before(() => {
    pool = new Pool({ workers: 1 });
    manager = new api.Manager();
  });
  after(async () => {
    await manager.shutdown();
    await pool.terminate();
  });

  it('has a case for each export of dist/index.js, and the exports are all functions or classes', () => {
    const covered = [
      ...Object.keys(calls),
      ...Object.keys(inputless),
      ...Object.keys(errorClasses),
      ...Object.keys(errorKinds),
    ].sort();
    assert.equal(new Set(covered).size, covered.length, 'an export listed twice');
    assert.deepEqual(Object.keys(api).sort(), covered);
    for (const name of covered) assert.equal(typeof api[name], 'function', name);
  });

  for (const [name, c] of Object.entries(calls)) {
    describe(name, () => {
      it('a bad value is an InvalidArgumentError naming it: <path>: expected <what>, got <value>', async () => {
        assert.ok(c.bad.length > 0);
        for (const [label, run, argument] of c.bad) await rejectsNaming(run, argument, `${name} ${label}`);
      });
      if (c.unknownKey) {
        it('an unknown option key is rejected by its path', async () => {
          for (const [label, run, argument] of c.unknownKey) {
            await rejectsNaming(run, argument, `${name} ${label}`);
            assert.ok(argument.split('.').length >= 2);
          }
        });
      } else {
        it(`takes no options object (${c.noOptions})`, () => assert.equal(typeof c.noOptions, 'string'));
      }
    });
  }

  for (const [name, check] of Object.entries(inputless)) it(`${name} takes no input`, check);

  it('every error class is a PoolkitError with its own code and its export name', () => {
    const codes = new Map();
    for (const [name, [make, code]] of Object.entries(errorClasses)) {
      const e = make();
      assert.ok(e instanceof PoolkitError && e instanceof Error, name);
      assert.ok(e instanceof api[name], name);
      assert.equal(e.name, name);
      assert.equal(e.code, code, name);
      assert.ok(!codes.has(code), `${name} shares ${code} with ${codes.get(code)}`);
      codes.set(code, name);
    }
    for (const [name, [make, kind]] of Object.entries(errorKinds)) {
      const e = make();
      assert.ok(e instanceof api[name] && e instanceof api[kind] && e instanceof PoolkitError, name);
      assert.notEqual(api[name], api[kind]);
      assert.equal(e.name, kind, name);
      assert.equal(e.code, errorClasses[kind][1], name);
    }
    assert.equal(new PoolkitError('x', { code: 'ERR_X' }).code, 'ERR_X');
    assert.equal(new api.WebGpuError('x', { code: 'ERR_WEBGPU_VALIDATION' }).code, 'ERR_WEBGPU_VALIDATION');
  });
});

describe('api errors: failures inside workers come back as PoolkitErrors', function () {
  before(() => {
    pool = new Pool({ workers: 1 });
  });
  after(() => pool.terminate());

  it('a result structured clone cannot copy is a DataCloneError', async () => {
    await assert.rejects(
      pool.apply(() => () => 1),
      (e) => e instanceof DataCloneError && e.code === 'ERR_DATA_CLONE' && /cannot be sent back/.test(e.message),
    );
  });

  it('arguments structured clone cannot copy are a DataCloneError', async () => {
    await assert.rejects(
      pool.apply(identity, [() => 1]),
      (e) => e instanceof DataCloneError && e.code === 'ERR_DATA_CLONE' && /cannot be sent to a worker/.test(e.message),
    );
  });

  it('a mapReduce map yielding something other than pairs is an InvalidArgumentError naming options.map, thrown in the worker', async () => {
    await rejectsNaming(() => api.mapReduce(['a'], { map: () => [1], pool }), 'options.map', 'map yielding a number');
    await rejectsNaming(() => api.mapReduce(['a'], { map: () => 42, pool }), 'options.map', 'map returning a number');
  });

  it("a user task's own errors keep their class name and message", async () => {
    await assert.rejects(
      pool.apply(() => {
        throw new RangeError('mine');
      }),
      (e) => e.name === 'RangeError' && e.message === 'mine' && !(e instanceof PoolkitError),
    );
  });
});

describe("api errors: abort is always AbortError, its cause the signal's reason", function () {
  let dir;
  before(() => {
    pool = new Pool({ workers: 1 });
    dir = mkdtempSync(join(tmpdir(), 'poolkit-abort-'));
  });
  after(async () => {
    await pool.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  const isAbortWith = (reason) => (e) => {
    assert.ok(e instanceof AbortError, `${e?.name}: ${e?.message}`);
    assert.ok(e instanceof PoolkitError);
    assert.equal(e.code, 'ABORT_ERR');
    assert.equal(e.cause, reason);
    return true;
  };
  const aborted = () => {
    const reason = new Error('stop here');
    return { signal: AbortSignal.abort(reason), reason };
  };

  for (const [name, run] of [
    ['Pool.apply', (signal) => pool.apply(identity, [1], { signal })],
    ['Pool.map', (signal) => pool.map(identity, [1, 2], { signal })],
    [
      'Pool.imap',
      async (signal) => {
        for await (const _ of pool.imap(identity, [1], { signal }));
      },
    ],
    ['kmeans', (signal) => api.kmeans(ok, { k: 1, dims: 2, signal })],
    ['predict', (signal) => api.predict(ok, ok, { dims: 2, signal })],
    ['wordCount', (signal) => api.wordCount('a b', { signal })],
    ['mapReduce', (signal) => api.mapReduce(['a'], { map: (r) => [[r, 1]], pool, signal })],
  ]) {
    it(`${name} with an aborted signal`, async () => {
      const { signal, reason } = aborted();
      await assert.rejects(run(signal), isAbortWith(reason));
    });
  }

  it('wordCount over a file aborted between two reads (the file reader checks the signal)', async () => {
    const file = join(dir, 'big.txt');
    writeFileSync(file, 'lorem ipsum '.repeat(800_000)); // 9.6 MB: more than one 4 MiB read
    const ac = new AbortController();
    const reason = new Error('enough');
    await assert.rejects(
      api.wordCount({ path: file }, { backend: 'js', signal: ac.signal, onProgress: () => ac.abort(reason) }),
      isAbortWith(reason),
    );
  });
});
